"""``flask quickmatch run [--day YYYY-MM-DD]``."""

from __future__ import annotations

from datetime import date

import pytest

from app.quickmatch.settings import Settings
from tests.quickmatch_helpers import add_members, lists_by_viewer, population, suggestion_rows

DAY = date(2026, 11, 28)


@pytest.fixture
def members(app) -> list[int]:
    return add_members(app, population(80, seed=3, today=DAY))


def test_run_for_a_day_writes_that_days_lists_and_says_who_got_how_many(app, runner, members):
    result = runner.invoke(args=["quickmatch", "run", "--day", "2026-11-28"])
    assert result.exit_code == 0, result.output
    rows = suggestion_rows(app)
    lists = lists_by_viewer(rows)
    assert rows and {row[0] for row in rows} == {DAY}
    assert "Quick match for 2026-11-28" in result.output
    assert f"{len(members)} verified members with a profile." in result.output
    sizes: dict[int, int] = {}
    for items in lists.values():
        sizes[len(items)] = sizes.get(len(items), 0) + 1
    for size, count in sizes.items():
        assert f"{count} got {size} suggestion" in result.output
    assert f"{len(rows)} suggestions written." in result.output


def test_run_again_keeps_the_lists(app, runner, members):
    runner.invoke(args=["quickmatch", "run", "--day", "2026-11-28"])
    rows = suggestion_rows(app)
    result = runner.invoke(args=["quickmatch", "run", "--day", "2026-11-28"])
    assert result.exit_code == 0, result.output
    assert suggestion_rows(app) == rows
    # Every member's list was written by the first run, the empty ones included.
    assert len(members) >= len(lists_by_viewer(rows))
    assert f"{len(members)} already had a list for the day, kept as it was." in result.output
    assert "0 suggestions written." in result.output


def test_the_day_defaults_to_today_in_the_quickmatch_zone(app, runner, members):
    result = runner.invoke(args=["quickmatch", "run"])
    assert result.exit_code == 0, result.output
    today = Settings.from_config(app.config).today()
    assert {row[0] for row in suggestion_rows(app)} == {today}
    assert f"Quick match for {today.isoformat()}" in result.output


@pytest.mark.parametrize("day", ["2026-13-01", "28.11.2026", "tomorrow", "2026-02-30"])
def test_a_bad_day_is_a_usage_error(app, runner, day):
    result = runner.invoke(args=["quickmatch", "run", "--day", day])
    assert result.exit_code == 2
    assert "Invalid value for '--day'" in result.output
    assert "%Y-%m-%d" in result.output
    assert suggestion_rows(app) == []


def test_with_nobody_verified_it_says_so(app, runner):
    result = runner.invoke(args=["quickmatch", "run", "--day", "2026-11-28"])
    assert result.exit_code == 0, result.output
    assert "0 verified members with a profile." in result.output
    assert "0 suggestions written." in result.output
