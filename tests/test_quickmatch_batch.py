"""The nightly quick-match batch, eager (in-process): who gets suggestions, idempotent
re-runs, the history, and the chord over shards."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.profiles.loader import load_profiles
from app.quickmatch import service, tasks
from app.quickmatch.models import DailyList, DailySuggestion
from app.quickmatch.settings import Settings
from app.relations.models import Block, Match
from app.verification.models import CaseState
from matching import Suggestion, engine
from matching.metrics import eligible
from tests.quickmatch_helpers import (
    add_members,
    lists_by_viewer,
    population,
    same_rows,
    suggestion_rows,
)

DAY = date(2026, 11, 28)
K = 8


@pytest.fixture
def people():
    return population(150, today=DAY)


@pytest.fixture
def members(app, people) -> list[int]:
    return add_members(app, people)


def run(app, day: date = DAY) -> dict:
    with app.app_context():
        return tasks.run_daily.apply(args=[day.isoformat()]).get()


def pairs(rows) -> set[tuple[int, int]]:
    return {(viewer, candidate) for _day, viewer, _rank, candidate, *_ in rows}


def clear(app) -> None:
    with app.app_context():
        db.session.execute(delete(DailySuggestion))
        db.session.execute(delete(DailyList))
        db.session.commit()


def test_every_verified_member_gets_a_list_of_verified_members_only(app, members, people):
    # Copies of verified members' profiles on accounts that are not verified members.
    outsiders = [
        *add_members(app, people[:5], state=AccountState.registered, case_state=None),
        *add_members(app, people[5:10], state=AccountState.suspended),
        *add_members(
            app, people[10:15], state=AccountState.verifying, case_state=CaseState.checking
        ),
        *add_members(
            app, people[15:20], state=AccountState.registered, case_state=CaseState.lapsed
        ),
    ]
    summary = run(app)
    rows = suggestion_rows(app, DAY)
    lists = lists_by_viewer(rows)
    assert set(lists) <= set(members)
    assert {candidate for _, candidate in pairs(rows)} <= set(members)
    assert not set(outsiders) & ({v for v, _ in pairs(rows)} | {c for _, c in pairs(rows)})
    # Every pair meets both sides' requirements (checked independently of the engine),
    # and everyone with an eligible candidate gets a list: of at most K, never themselves.
    with app.app_context():
        profiles = {p.id: p for p in load_profiles()}
    assert all(eligible(profiles[v], profiles[c], DAY) for v, c in pairs(rows))
    assert set(lists) == {
        a.id for a in profiles.values() if any(eligible(a, b, DAY) for b in profiles.values())
    }
    assert all(0 < len(items) <= K and len(set(items)) == len(items) for items in lists.values())
    assert all(viewer not in items for viewer, items in lists.items())
    ranks = {}
    for _day, viewer, rank, *_ in rows:
        ranks.setdefault(viewer, []).append(rank)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks.values())
    assert summary["members"] == len(members)
    assert summary["filled"] == len(lists)
    assert summary["suggestions"] == len(rows)
    assert sum(summary["sizes"].values()) == len(members)


def test_a_rerun_for_the_same_day_changes_nothing(app, members):
    listed = run(app)
    first = suggestion_rows(app)
    with app.app_context():
        created = db.session.scalars(select(DailySuggestion.created_at)).all()
    summary = run(app)
    assert suggestion_rows(app) == first
    with app.app_context():
        assert db.session.scalars(select(DailySuggestion.created_at)).all() == created
    assert summary["suggestions"] == 0
    assert summary["filled"] == 0
    # Every member's list was written, the empty ones (nobody eligible) included.
    assert summary["already"] == listed["members"] >= len(lists_by_viewer(first))


def test_a_member_added_after_the_run_gets_a_list_on_the_rerun(app, members, people):
    run(app)
    before = lists_by_viewer(suggestion_rows(app))
    # The newcomer is the twin of a member who got a full list.
    twin = next(p for p, i in zip(people, members, strict=True) if len(before.get(i, [])) == K)
    [newcomer] = add_members(app, [twin])
    summary = run(app)
    after = lists_by_viewer(suggestion_rows(app))
    assert after[newcomer]
    assert {viewer: items for viewer, items in after.items() if viewer != newcomer} == before
    assert summary["filled"] == 1
    assert summary["suggestions"] == len(after[newcomer])


def test_a_rerun_filling_newcomers_counts_the_lists_already_written_towards_the_cap(
    app, members, people, monkeypatch
):
    run(app)
    rows = suggestion_rows(app)
    before = lists_by_viewer(rows)
    shown: dict[int, int] = {}
    for items in before.values():
        for candidate in items:
            shown[candidate] = shown.get(candidate, 0) + 1
    twin = next(p for p, i in zip(people, members, strict=True) if len(before.get(i, [])) == K)
    [newcomer] = add_members(app, [twin])
    # A cap every candidate of the first run has reached already: the newcomer's list
    # may only use candidates still under it, or (coverage) the least-shown one.
    cap = max(shown.values())
    seen = {}
    original = engine.Matcher.assign

    def spy(self, lists, k, shown_today=None):
        seen.update(shown_today or {})
        return original(self, lists, k, shown_today)

    monkeypatch.setattr(engine.Matcher, "assign", spy)
    config = engine.MatcherConfig
    monkeypatch.setattr(engine, "MatcherConfig", lambda **kw: config(**kw, exposure_cap=cap))
    run(app)
    assert seen == shown
    after = lists_by_viewer(suggestion_rows(app))[newcomer]
    assert after
    assert all(shown.get(c, 0) < cap for c in after) or len(after) == 1


def test_a_pair_shown_within_the_window_is_not_suggested_again(app, members):
    run(app)
    run(app, DAY + timedelta(days=1))
    first = pairs(suggestion_rows(app, DAY))
    second = pairs(suggestion_rows(app, DAY + timedelta(days=1)))
    assert second
    assert not first & second


def test_blocked_and_matched_pairs_are_never_suggested(app, members):
    run(app)
    rows = suggestion_rows(app)
    clear(app)
    run(app)
    assert pairs(suggestion_rows(app)) == pairs(rows)  # the same input, the same lists
    lists = lists_by_viewer(rows)
    viewers = [v for v, items in lists.items() if items]
    blocked = (viewers[0], lists[viewers[0]][0])
    blocked_back = (viewers[1], lists[viewers[1]][0])
    matched = (viewers[2], lists[viewers[2]][0])
    clear(app)
    with app.app_context():
        db.session.add(Block(blocker_id=blocked[0], blocked_id=blocked[1]))
        # Blocked by the candidate: the viewer never sees them either.
        db.session.add(Block(blocker_id=blocked_back[1], blocked_id=blocked_back[0]))
        db.session.add(Match.between(*matched))
        db.session.commit()
    run(app)
    found = pairs(suggestion_rows(app))
    for a, b in (blocked, blocked_back, matched):
        assert (a, b) not in found
        assert (b, a) not in found


def test_the_chord_over_two_shards_writes_what_one_process_writes(app_factory, members):
    one = app_factory()
    run(one)
    expected = suggestion_rows(one)
    clear(one)
    sharded = app_factory(QUICKMATCH_SHARDS=2)
    with sharded.app_context():
        settings = Settings.from_config(sharded.config)
        halves = [service.shard_candidates(DAY, shard, settings) for shard in (0, 1)]
        assert tasks.run_daily.apply(args=[DAY.isoformat()]).get() is None  # started the chord
    assert same_rows(suggestion_rows(sharded), expected)
    # Each shard serves the members whose id is its number modulo 2.
    served = [service.unpack(half["viewers"], "<i8").tolist() for half in halves]
    assert {v % 2 for v in served[0]} == {0} and {v % 2 for v in served[1]} == {1}
    assert sorted(served[0] + served[1]) == members


def test_the_write_skips_members_no_longer_verified_and_lists_already_written(app, members):
    viewer, other, candidate, suspended = members[:4]
    with app.app_context():
        db.session.get(User, suspended).state = AccountState.suspended
        db.session.commit()
        lists = {
            viewer: [Suggestion(candidate, 0.9), Suggestion(suspended, 0.8)],
            suspended: [Suggestion(candidate, 0.7)],
        }
        summary = service.store(DAY, lists, service.Summary(day=DAY))
        db.session.commit()
        # A second writer for the same day (a re-run, a re-delivered task) adds nothing
        # for the viewer, only for members without a list.
        lists = {viewer: [Suggestion(other, 0.5)], other: [Suggestion(candidate, 0.6)]}
        again = service.store(DAY, lists, service.Summary(day=DAY))
        db.session.commit()
        total = db.session.scalar(select(func.count(DailySuggestion.id)))
    assert [row[1:4] for row in suggestion_rows(app)] == [
        (viewer, 1, candidate),
        (other, 1, candidate),
    ]
    assert (summary.suggestions, summary.filled) == (1, 1)
    assert (again.suggestions, again.filled) == (1, 1)
    assert total == 2


@pytest.mark.commits  # threads
def test_two_writers_of_one_day_never_mix_lists(app, members):
    """A second run writing while the first has not committed yet (a re-delivered task,
    a run by hand) waits for the day's lock, then finds the lists and adds nothing."""
    viewer, first, second = members[:3]
    stored, done = threading.Event(), threading.Event()
    results: dict[str, service.Summary] = {}

    def write(name: str, candidate: int, hold: float) -> None:
        with app.app_context():
            lists = {viewer: [Suggestion(candidate, 0.5)]}
            results[name] = service.store(DAY, lists, service.Summary(day=DAY))
            stored.set()
            time.sleep(hold)  # still uncommitted
            db.session.commit()

    slow = threading.Thread(target=write, args=("slow", first, 1.0))
    slow.start()
    assert stored.wait(10)
    late = threading.Thread(target=lambda: (write("late", second, 0), done.set()))
    late.start()
    slow.join(20)
    late.join(20)
    assert done.is_set()
    assert [row[1:4] for row in suggestion_rows(app)] == [(viewer, 1, first)]
    assert (results["slow"].suggestions, results["late"].suggestions) == (1, 0)


def test_structured_reasons_are_stored(app, members):
    run(app)
    reasons = [row[5] for row in suggestion_rows(app)]
    assert all(reasons)
    codes = {reason["code"] for items in reasons for reason in items}
    assert codes <= {"shared_tags", "values", "same_city", "similar_age", "same_education",
                     "mutual_fit"}  # fmt: skip
    assert all(isinstance(reason["params"], dict) for items in reasons for reason in items)


def test_every_row_is_written_once_in_chunks_or_copied(app, members, monkeypatch):
    # Chunked INSERTs on SQLite (a small chunk here), COPY on PostgreSQL.
    monkeypatch.setattr(service, "INSERT_CHUNK", 7)
    summary = run(app)
    rows = suggestion_rows(app)
    assert len(rows) == summary["suggestions"] > 7
    assert len(pairs(rows)) == len(rows)


def test_a_member_whose_preferences_nobody_meets_gets_an_empty_list_and_no_error(
    app, members, people
):
    [lonely] = add_members(app, [replace(people[0], height_min=230, height_max=None)])
    summary = run(app)
    assert lonely not in lists_by_viewer(suggestion_rows(app))
    assert summary["sizes"].get("0", 0) >= 1
