"""Helpers to build valid resident ID numbers that trigger a stub scenario."""

from __future__ import annotations

from datetime import date

from verification.resident_id import check_character


def id_number(scenario: str = "12", birth: date = date(1996, 5, 20), gender: str = "M") -> str:
    """A valid ID number whose digits 15-16 pick the stub scenario (see departments README)."""
    last = "1" if gender == "M" else "2"
    body = f"330106{birth:%Y%m%d}{scenario}{last}"
    return body + check_character(body)
