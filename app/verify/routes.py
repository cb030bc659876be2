"""Applicant views (filled in by the verification issue)."""

from __future__ import annotations

from app.verify import bp  # noqa: F401
