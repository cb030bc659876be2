"""Safety settings: how many reports a member may file."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import FeatureSettings, rate_limit, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    report_limit: str = setting(  # reports filed, per member
        "RATELIMIT_REPORT", "10 per day", rate_limit, rule="must be a rate limit"
    )
