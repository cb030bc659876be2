"""One clock: every date and time a page shows goes through these Jinja filters, in the
app's time zone (``BABEL_DEFAULT_TIMEZONE``, Asia/Shanghai) and the reader's language.

- ``|when``: an absolute date and time, for details ("2026年12月6日 21:30" /
  "6 Dec 2026, 21:30");
- ``|ago``: relative, for lists ("3分钟前" / "3 minutes ago"); past a week it gives
  the day instead;
- ``|day``: the date only ("2026年12月6日" / "6 Dec 2026");
- ``|hm``: the time of day only ("21:30"), e.g. an event's end on its start's day;
- ``|month``: a month ("2026年11月" / "November 2026"); also takes "2026-11".
- ``|iso``: the machine-readable moment for ``<time datetime>``, in UTC.

Stored datetimes are aware UTC (app/db_types.py); a naive one is taken as UTC, as
Flask-Babel does. A ``date`` has no time zone and is shown as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import (
    format_date,
    format_datetime,
    format_timedelta,
    get_locale,
    gettext,
    to_user_timezone,
)

# CLDR patterns per language: Chinese writes the date with 年月日, English day month year.
_PATTERNS = {
    "zh": {"when": "y年M月d日 HH:mm", "day": "y年M月d日", "month": "y年M月"},
    "en": {"when": "d MMM y, HH:mm", "day": "d MMM y", "month": "MMMM y"},
}
RELATIVE_FOR = timedelta(days=7)
FILTERS = ("when", "ago", "day", "hm", "month", "iso")


def _patterns() -> dict[str, str]:
    locale = get_locale()
    return _PATTERNS["en" if locale is not None and locale.language == "en" else "zh"]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _moment(value: datetime | date | str | None) -> datetime | date | None:
    """A datetime or date; ISO text (a snapshot kept as JSON) is read as one."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def when(value: datetime | date | str | None) -> str:
    """An absolute date and time in the app's time zone ("—" for none)."""
    value = _moment(value)
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return day(value)
    return format_datetime(_aware(value), _patterns()["when"])


def day(value: datetime | date | None) -> str:
    """The date only; a datetime's date in the app's time zone."""
    value = _moment(value)
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = to_user_timezone(_aware(value)).date()
    return format_date(value, _patterns()["day"])


def hm(value: datetime | None) -> str:
    """The time of day, 24-hour, in the app's time zone."""
    value = _moment(value)
    if value is None:
        return "—"
    return format_datetime(_aware(value), "HH:mm")


def ago(value: datetime | date | None, now: datetime | None = None) -> str:
    """How long ago (or from now), within a week; further away, the day."""
    value = _moment(value)
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return day(value)
    moment = _aware(value)
    delta = moment - (now or datetime.now(UTC))
    if abs(delta) >= RELATIVE_FOR:
        return day(moment)
    if abs(delta) < timedelta(minutes=1):
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, threshold=0.9)


def month(value: datetime | date | str | None) -> str:
    """A month: a date, a datetime, or text "YYYY-MM" (e.g. a wording version); any
    other text is shown as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.strptime(value[:7], "%Y-%m").date()
        except ValueError:
            return value
    elif isinstance(value, datetime):
        value = to_user_timezone(_aware(value)).date()
    locale = get_locale()
    return babel_format_date(value, _patterns()["month"], locale=locale or "zh_Hans_CN")


def iso(value: datetime | date | str | None) -> str:
    """The value for a ``<time datetime>`` attribute (UTC for a datetime)."""
    value = _moment(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _aware(value).astimezone(UTC).isoformat()
    return value.isoformat()


def init_app(app: Flask) -> None:
    for name in FILTERS:
        app.add_template_filter(globals()[name], name)
