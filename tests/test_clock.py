"""One clock: every date and time on a page goes through the shared filters (app/clock.py),
in Asia/Shanghai, worded for the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import refresh

from app import clock

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(ROOT.glob("app/**/templates/**/*.html"))

# A moment: 16:30 UTC on 6 December is 00:30 on 7 December in Shanghai.
LATE = datetime(2026, 12, 6, 16, 30, tzinfo=UTC)


def _in(app, language: str):
    context = app.test_request_context("/", headers={"Cookie": f"lang={language}"})
    context.push()
    refresh()
    return context


@pytest.fixture
def zh(app):
    context = _in(app, "zh_CN")
    yield
    context.pop()


@pytest.fixture
def en(app):
    context = _in(app, "en")
    yield
    context.pop()


def test_absolute_times_are_in_shanghai_in_chinese(zh):
    assert clock.when(LATE) == "2026年12月7日 00:30"
    assert clock.day(LATE) == "2026年12月7日"
    assert clock.hm(LATE) == "00:30"
    assert clock.month(LATE) == "2026年12月"
    assert clock.month("2026-11") == "2026年11月"


def test_absolute_times_are_in_shanghai_in_english(en):
    assert clock.when(LATE) == "7 Dec 2026, 00:30"
    assert clock.day(LATE) == "7 Dec 2026"
    assert clock.month("2026-11") == "November 2026"


def test_a_naive_time_is_taken_as_utc_and_a_date_has_no_zone(zh):
    assert clock.when(LATE.replace(tzinfo=None)) == "2026年12月7日 00:30"
    assert clock.day(date(2026, 12, 6)) == "2026年12月6日"
    assert clock.iso(LATE) == "2026-12-06T16:30:00+00:00"


def test_relative_times_in_lists(zh, app):
    now = LATE + timedelta(minutes=3)
    assert clock.ago(LATE, now=now) == "3分钟前"
    assert clock.ago(LATE, now=LATE + timedelta(seconds=5)) == "刚刚"
    assert clock.ago(LATE, now=LATE + timedelta(days=30)) == "2026年12月7日"


def test_relative_times_in_english(en):
    assert clock.ago(LATE, now=LATE + timedelta(minutes=3)) == "3 minutes ago"
    assert clock.ago(LATE + timedelta(hours=2), now=LATE) == "in 2 hours"


def test_nothing_shows_a_dash(zh):
    assert {clock.when(None), clock.day(None), clock.ago(None), clock.month(None)} == {"—"}


def test_the_filters_are_installed_in_templates(app, zh):
    rendered = app.jinja_env.from_string("{{ t|when }} / {{ t|ago }} / {{ t|day }}").render(t=LATE)
    assert rendered.startswith("2026年12月7日 00:30 / ")


# ---- the scan -------------------------------------------------------------------------

SHARED = {"when", "ago", "day", "hm", "month", "iso"}
# A name that holds a date or time: *_at, *_on, *_until, *_date, deadlines, day, date...
TIME_NAME = re.compile(
    r"(?<![\w'\"|.])(?:[a-z_][\w]*\.)*"
    r"([a-z_]*(?:_at|_on|_until|_date|deadline)|day|date|time|when|since|moment|at)"
    r"\b(?!\s*\()"
)
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
# Formatting that bypasses the shared clock.
FORBIDDEN = re.compile(
    r"datetimeformat|dateformat|timeformat|timedeltaformat|strftime|isoformat|"
    r"format_datetime|format_date"
)


def _offences(text: str) -> list[str]:
    # Formatting outside the shared clock anywhere: {{ }}, {% set %}, a macro's body.
    found = [
        m.group(0) for m in re.finditer(r"\{%.*?%\}", text, re.S) if FORBIDDEN.search(m.group(0))
    ]
    for match in EXPRESSION.finditer(text):
        expression = STRING.sub("''", match.group(1))
        if FORBIDDEN.search(expression):
            found.append(match.group(0).strip())
            continue
        # Split at the top-level pieces the expression is made of (arguments, filters).
        for name_match in TIME_NAME.finditer(expression):
            rest = expression[name_match.end() :]
            before = expression[: name_match.start()]
            piped = re.match(r"\s*\|\s*(\w+)", rest)
            if piped and piped.group(1) in SHARED:
                continue
            if re.search(r"(?:when|ago|day|hm|month|iso)\(\s*$", before):
                continue  # a macro or function called on it
            if re.match(r"\s*(?:is\b|==|!=|<|>|and\b|or\b|if\b|else\b)", rest) or re.match(
                r"\s*(?:if|not)\s*$", before[-4:]
            ):
                continue  # a test, not a rendering
            if name_match.group(0).startswith("form."):
                continue  # a form field, not a value
            if re.match(r"\s*=", rest):
                continue  # a keyword argument's name
            if re.search(r"(?:\bnot|\bif)\s+$", before):
                continue
            found.append(match.group(0).strip())
            break
    return found


def test_the_scan_catches_a_raw_date_and_passes_the_filters():
    assert _offences("{{ c.created_at }}")
    assert _offences("{{ c.created_at|datetimeformat('short') }}")
    assert _offences("{{ row.day }}")
    assert _offences("{{ _('On %(d)s', d=e.starts_at) }}")
    assert not _offences("{{ c.created_at|when }}")
    assert not _offences("{{ _('On %(d)s', d=e.starts_at|day) }}")
    assert not _offences("{{ 'x' if c.checked_in_at else 'y' }}")
    assert not _offences("{{ when(event) }}")
    assert _offences("{% set shown = c.created_at|datetimeformat('short') %}")


def test_every_template_renders_dates_through_the_shared_filters():
    offences = {}
    for path in TEMPLATES:
        found = _offences(path.read_text(encoding="utf-8"))
        if found:
            offences[str(path.relative_to(ROOT))] = found
    assert offences == {}, "render these with |when, |ago, |day, |hm or |month: " + repr(offences)
