"""Events settings: the waitlist's offers and the check-in limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.settings import FeatureSettings, positive, rate_limit, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # Hours a member has to take a freed seat offered to them (候补递补).
    offer_hours: float = setting(
        "EVENTS_OFFER_HOURS", 24.0, float, positive, "must be a positive number of hours"
    )
    checkin_limit: str = setting(  # check-in attempts, per member and event
        "RATELIMIT_CHECKIN", "5 per 10 minutes", rate_limit, rule="must be a rate limit"
    )
    checkin_event_limit: str = setting(  # wrong check-in codes, per event
        "RATELIMIT_CHECKIN_EVENT", "60 per 10 minutes", rate_limit, rule="must be a rate limit"
    )

    @property
    def offer_window(self) -> timedelta:
        return timedelta(hours=self.offer_hours)
