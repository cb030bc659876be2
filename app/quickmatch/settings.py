"""Quick match settings (``QUICKMATCH_*``), checked once when the app is created, and
the nightly beat entries built from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from celery.schedules import crontab

from app.settings import FeatureSettings, at_least, between, setting

BEAT_ENTRY = "quickmatch-daily"
MEETINGS_BEAT_ENTRY = "quickmatch-meetings"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_HOUR = "must be an hour from 0 to 23"


@dataclass(frozen=True)
class Settings(FeatureSettings):
    k: int = setting("QUICKMATCH_K", 8, int, at_least(1), "must be at least 1")  # a day
    # A pair shown is not suggested again for this long.
    repeat_window_days: int = setting(
        "QUICKMATCH_REPEAT_WINDOW_DAYS", 30, int, at_least(0), "must not be negative"
    )
    hour: int = setting("QUICKMATCH_HOUR", 5, int, between(0, 23), _HOUR)  # the run's start
    # The batch's zone; also what "today" means for it.
    timezone: str = setting(
        "QUICKMATCH_TIMEZONE", "Asia/Shanghai", str, _is_zone, "is not a time zone"
    )
    # More than 1: one candidates task per shard, then one assign.
    shards: int = setting("QUICKMATCH_SHARDS", 1, int, at_least(1), "must be at least 1")
    # "Did you meet?": asked daily at meeting_hour:00 about matches this many days old
    # whose two sides wrote at least this many messages.
    meeting_after_days: int = setting(
        "QUICKMATCH_MEETING_AFTER_DAYS", 7, int, at_least(1), "must be at least 1"
    )
    meeting_min_messages: int = setting(
        "QUICKMATCH_MEETING_MIN_MESSAGES", 6, int, at_least(0), "must not be negative"
    )
    meeting_hour: int = setting("QUICKMATCH_MEETING_HOUR", 19, int, between(0, 23), _HOUR)

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


def daily_run_schedule(config: Mapping[str, Any]) -> ZonedCrontab:
    """The nightly run: ``QUICKMATCH_HOUR``:00 in ``QUICKMATCH_TIMEZONE``."""
    settings = Settings.from_config(config)
    return ZonedCrontab(minute=0, hour=settings.hour, zone=settings.timezone)


def meetings_schedule(config: Mapping[str, Any]) -> ZonedCrontab:
    """The daily "did you meet?" questions: ``QUICKMATCH_MEETING_HOUR``:00, same zone."""
    settings = Settings.from_config(config)
    return ZonedCrontab(minute=0, hour=settings.meeting_hour, zone=settings.timezone)
