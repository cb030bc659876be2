"""System settings: the readiness check."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import FeatureSettings, optional, positive, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # Seconds each process reuses its last check of the database and the broker, so
    # load-balancer polling costs no I/O in between.
    check_interval: float = setting(
        "HEALTH_CHECK_INTERVAL", 1.0, float, positive, "must be a positive number of seconds"
    )
    # Celery's broker (None: tasks run in-process, nothing to check).
    broker_url: str | None = setting("CELERY_BROKER_URL", None, optional(str))
