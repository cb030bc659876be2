"""Lounge settings: how fast a member may send."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import FeatureSettings, rate_limit, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    send_limit: str = setting(  # messages, per member
        "RATELIMIT_LOUNGE_SEND",
        "20 per minute;500 per day",
        rate_limit,
        rule="must be a rate limit",
    )
