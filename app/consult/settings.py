"""Consultation settings: how many requests a member may have open, and send."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import FeatureSettings, at_least, rate_limit, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # A member's requests waiting or open at once.
    max_unresolved: int = setting(
        "CONSULTATION_MAX_UNRESOLVED", 3, int, at_least(1), "must be at least 1"
    )
    request_limit: str = setting(  # consultation requests, per member
        "RATELIMIT_CONSULTATION", "3 per day", rate_limit, rule="must be a rate limit"
    )
