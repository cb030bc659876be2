"""The nightly quick-match run on Celery beat, and the QUICKMATCH_* settings."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta

import pytest

from app import config
from app.quickmatch.settings import BEAT_ENTRY, Settings, ZonedCrontab
from tests.conftest import make_test_app


def quickmatch_entry(app) -> dict:
    celery = app.extensions["celery"]
    entry = celery.conf.beat_schedule[BEAT_ENTRY]
    entry["schedule"].app = celery
    return entry


def due(schedule, now: datetime, last_run: datetime) -> bool:
    schedule.nowfun = lambda: now
    return schedule.is_due(last_run).is_due


def test_the_daily_run_is_on_beat_at_five_in_shanghai_which_is_21_utc_the_day_before(app):
    entry = quickmatch_entry(app)
    assert entry["task"] == "quickmatch.run_daily"
    schedule = entry["schedule"]
    last_run = datetime(2026, 11, 26, 21, 0, 1, tzinfo=UTC)  # 05:00 on the 27th, Shanghai
    assert not due(schedule, datetime(2026, 11, 27, 20, 59, 59, tzinfo=UTC), last_run)
    assert due(schedule, datetime(2026, 11, 27, 21, 0, 0, tzinfo=UTC), last_run)
    # Once run, the next one is 24 hours later.
    schedule.nowfun = lambda: datetime(2026, 11, 27, 21, 0, 1, tzinfo=UTC)
    assert schedule.remaining_estimate(datetime(2026, 11, 27, 21, 0, 1, tzinfo=UTC)) == (
        timedelta(hours=24) - timedelta(seconds=1)
    )


def test_the_hour_keeps_its_zone_whatever_celerys_timezone(app_factory):
    # The other jobs follow Celery's zone; quick match stays at 05:00 Shanghai.
    app = app_factory(BABEL_DEFAULT_TIMEZONE="UTC")
    assert str(app.extensions["celery"].timezone) == "UTC"
    schedule = quickmatch_entry(app)["schedule"]
    last_run = datetime(2026, 11, 26, 21, 0, 1, tzinfo=UTC)
    assert not due(schedule, datetime(2026, 11, 27, 4, 59, tzinfo=UTC), last_run)
    assert not due(schedule, datetime(2026, 11, 27, 20, 59, 59, tzinfo=UTC), last_run)
    assert due(schedule, datetime(2026, 11, 27, 21, 0, tzinfo=UTC), last_run)


def test_hour_and_zone_come_from_the_settings(app_factory):
    app = app_factory(QUICKMATCH_HOUR=3, QUICKMATCH_TIMEZONE="Europe/Berlin")
    schedule = quickmatch_entry(app)["schedule"]
    last_run = datetime(2026, 11, 26, 2, 0, 1, tzinfo=UTC)
    # Berlin is UTC+1 in November: 03:00 there is 02:00 UTC.
    assert not due(schedule, datetime(2026, 11, 27, 1, 59, 59, tzinfo=UTC), last_run)
    assert due(schedule, datetime(2026, 11, 27, 2, 0, tzinfo=UTC), last_run)


def test_the_schedule_survives_beats_shelve():
    schedule = ZonedCrontab(minute=0, hour=5, zone="Asia/Shanghai")
    copy = pickle.loads(pickle.dumps(schedule))  # noqa: S301 - our own object
    assert copy == schedule
    assert copy.zone == "Asia/Shanghai"
    assert str(copy.tz) == "Asia/Shanghai"


def test_the_other_jobs_are_kept(app):
    names = set(app.extensions["celery"].conf.beat_schedule)
    assert {"purge-expired-sms-codes", "verification-reconcile", BEAT_ENTRY} <= names


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("QUICKMATCH_HOUR", 24, "QUICKMATCH_HOUR"),
        ("QUICKMATCH_TIMEZONE", "Mars/Olympus", "QUICKMATCH_TIMEZONE"),
        ("QUICKMATCH_K", 0, "QUICKMATCH_K"),
        ("QUICKMATCH_SHARDS", 0, "QUICKMATCH_SHARDS"),
        ("QUICKMATCH_REPEAT_WINDOW_DAYS", -1, "QUICKMATCH_REPEAT_WINDOW_DAYS"),
    ],
)
def test_bad_settings_are_refused_at_start(setting, value, message):
    with pytest.raises(config.ConfigurationError, match=message):
        make_test_app("sqlite://", **{setting: value})


def test_settings_are_read_from_the_environment(monkeypatch):
    for name, value in {
        "QUICKMATCH_K": "5",
        "QUICKMATCH_REPEAT_WINDOW_DAYS": "14",
        "QUICKMATCH_HOUR": "6",
        "QUICKMATCH_TIMEZONE": "Asia/Urumqi",
        "QUICKMATCH_SHARDS": "4",
    }.items():
        monkeypatch.setenv(name, value)
    environment = config.from_environment(Settings.keys())
    settings = Settings.from_config({**vars(config.Config), **environment})
    assert settings == Settings(
        k=5, repeat_window_days=14, hour=6, timezone="Asia/Urumqi", shards=4
    )


def test_the_defaults():
    assert Settings.from_config(vars(config.Config)) == Settings(
        k=8, repeat_window_days=30, hour=5, timezone="Asia/Shanghai", shards=1
    )


def test_today_is_the_date_in_the_quickmatch_zone():
    settings = Settings.from_config(vars(config.Config))
    assert settings.today(datetime(2026, 11, 27, 16, 30, tzinfo=UTC)) == date(2026, 11, 28)
    assert settings.today(datetime(2026, 11, 27, 15, 59, tzinfo=UTC)) == date(2026, 11, 27)
