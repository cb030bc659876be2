"""Quick match settings (``QUICKMATCH_*``), checked once when the app is created, and
the nightly beat entry built from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from celery.schedules import crontab

from app.config import ConfigurationError

BEAT_ENTRY = "quickmatch-daily"
MEETINGS_BEAT_ENTRY = "quickmatch-meetings"


@dataclass(frozen=True)
class Settings:
    k: int  # suggestions per member and day
    repeat_window_days: int
    hour: int
    timezone: str
    shards: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Read and check the ``QUICKMATCH_*`` settings; ``ConfigurationError`` names a
        bad one."""
        settings = cls(
            k=int(config["QUICKMATCH_K"]),
            repeat_window_days=int(config["QUICKMATCH_REPEAT_WINDOW_DAYS"]),
            hour=int(config["QUICKMATCH_HOUR"]),
            timezone=str(config["QUICKMATCH_TIMEZONE"]),
            shards=int(config["QUICKMATCH_SHARDS"]),
        )
        problems = []
        if settings.k < 1:
            problems.append("QUICKMATCH_K must be at least 1")
        if settings.repeat_window_days < 0:
            problems.append("QUICKMATCH_REPEAT_WINDOW_DAYS must not be negative")
        if not 0 <= settings.hour <= 23:
            problems.append("QUICKMATCH_HOUR must be an hour from 0 to 23")
        if settings.shards < 1:
            problems.append("QUICKMATCH_SHARDS must be at least 1")
        try:
            ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"QUICKMATCH_TIMEZONE {settings.timezone!r} is not a time zone")
        if problems:
            raise ConfigurationError("; ".join(problems))
        return settings

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime | None = None) -> date:
        """The batch's day: today's date in ``QUICKMATCH_TIMEZONE``."""
        return (now or datetime.now(self.zone)).astimezone(self.zone).date()

    def batch_time(self, now: datetime | None = None) -> datetime:
        """When today's batch runs (ran): ``hour``:00 today in the zone (aware)."""
        local = (now or datetime.now(self.zone)).astimezone(self.zone)
        return local.replace(hour=self.hour, minute=0, second=0, microsecond=0)

    def next_batch(self, now: datetime | None = None) -> datetime:
        """When the next day's lists come: the next ``hour``:00 in the zone (aware)."""
        local = (now or datetime.now(self.zone)).astimezone(self.zone)
        start = self.batch_time(local)
        return start if start > local else start + timedelta(days=1)


class ZonedCrontab(crontab):
    """A crontab read in a zone of its own, whatever Celery's ``timezone`` is.

    Celery reads a crontab's hours in the Celery app's zone (``nowfun`` does not
    change that), so the quick-match hour keeps its meaning even when the other
    jobs' zone differs.
    """

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    @cached_property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.zone)

    def __reduce__(self) -> tuple:
        # celery beat keeps its schedule in a shelve: keep the zone through pickling.
        cls, args, state = super().__reduce__()
        return (cls, args, {**state, "zone": self.zone})

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        state = dict(state)
        self.zone = state.pop("zone", "UTC")
        super().__setstate__(state)

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]} {self.zone}>"


def init_app(app: Any) -> None:
    """Check the QUICKMATCH_* settings when the app is built (a bad one fails at once)."""
    Settings.from_config(app.config)


def daily_run_schedule(config: Mapping[str, Any]) -> ZonedCrontab:
    """The nightly run: ``QUICKMATCH_HOUR``:00 in ``QUICKMATCH_TIMEZONE``."""
    settings = Settings.from_config(config)
    return ZonedCrontab(minute=0, hour=settings.hour, zone=settings.timezone)


def meetings_schedule(config: Mapping[str, Any]) -> ZonedCrontab:
    """The daily "did you meet?" questions: ``QUICKMATCH_MEETING_HOUR``:00, same zone."""
    zone = Settings.from_config(config).timezone
    return ZonedCrontab(minute=0, hour=int(config.get("QUICKMATCH_MEETING_HOUR", 19)), zone=zone)
