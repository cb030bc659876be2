"""What the matcher is given: verified members as ``Profile``s and the history, loaded
in a fixed number of queries."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountState
from app.extensions import db
from app.profiles.loader import load_profiles
from app.profiles.models import MemberProfile
from app.quickmatch.history import load_history
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.relations.models import Block, Match
from app.verification.models import CaseState
from matching import Profile
from tests.quickmatch_helpers import add_members, population

DAY = date(2026, 11, 28)
ANNA = Profile(
    id=0,
    gender="F",
    birth_date=date(1997, 8, 2),
    city="杭州",
    height_cm=163,
    education=4,
    occupation="教师",
    tags=frozenset({"读书", "猫"}),
    bio="平时喜欢看书。",
    answers={"kids": 4},
    answer_importance={"kids": 3},
    age_min=27,
    age_max=35,
    cities=frozenset({"杭州", "宁波"}),
    min_education=3,
    height_min=170,
)


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def test_a_verified_member_is_loaded_with_gender_birth_and_education_from_verification(app):
    [anna_id] = add_members(app, [ANNA])
    [no_degree_id] = add_members(app, [replace(ANNA, education=None)])
    with app.app_context():
        anna, no_degree = load_profiles()
    assert anna == replace(ANNA, id=anna_id, wants_gender="")
    assert (anna.gender, anna.birth_date, anna.education) == ("F", date(1997, 8, 2), 4)
    assert no_degree.id == no_degree_id
    assert no_degree.education == 0  # no verified degree: unknown


def test_only_verified_members_with_a_profile_are_loaded(app):
    [member] = add_members(app, [ANNA])
    add_members(app, [ANNA], with_profile=False)
    add_members(app, [ANNA], state=AccountState.registered, case_state=None)
    add_members(app, [ANNA], state=AccountState.verifying, case_state=CaseState.checking)
    add_members(app, [ANNA], state=AccountState.suspended)
    add_members(app, [ANNA], state=AccountState.registered, case_state=CaseState.lapsed)
    add_members(app, [ANNA], state=AccountState.registered, case_state=CaseState.rejected)
    with app.app_context():
        assert [p.id for p in load_profiles()] == [member]


def test_a_malformed_profile_is_logged_and_skipped_the_rest_load(app, caplog):
    good, bad = add_members(app, [ANNA, ANNA])
    with app.app_context():
        db.session.execute(
            update(MemberProfile).where(MemberProfile.user_id == bad).values(tags={"x": 1})
        )
        db.session.commit()
        with caplog.at_level(logging.WARNING, logger="app.profiles.loader"):
            assert [p.id for p in load_profiles()] == [good]
    assert f"skipping the profile of member {bad}" in caplog.text


@pytest.mark.commits  # counts every statement, savepoints too
def test_members_load_in_one_query_however_many(app):
    add_members(app, population(5))
    with app.app_context(), count_queries() as few:
        assert len(load_profiles()) == 5
    add_members(app, population(60, seed=8))
    with app.app_context(), count_queries() as many:
        assert len(load_profiles()) > 60
    assert len(few) == len(many) == 1


@pytest.mark.commits  # counts every statement, savepoints too
def test_history_comes_from_suggestions_reactions_blocks_and_matches(app):
    a, b, c, d = add_members(app, [ANNA] * 4)
    with app.app_context():
        db.session.add_all(
            [
                DailySuggestion(
                    day=date(2026, 10, 29), viewer_id=a, candidate_id=b, rank=1, score=0.5
                ),
                DailySuggestion(
                    day=date(2026, 10, 30), viewer_id=a, candidate_id=c, rank=1, score=0.5
                ),
                DailySuggestion(day=DAY, viewer_id=c, candidate_id=d, rank=1, score=0.5),
                Reaction(from_id=a, to_id=c, kind=ReactionKind.like, day=date(2026, 10, 30)),
                Reaction(from_id=c, to_id=a, kind=ReactionKind.pass_, day=date(2026, 10, 31)),
                Block(blocker_id=b, blocked_id=d),
                Match.between(d, c),
            ]
        )
        db.session.commit()
        with count_queries() as queries:
            history = load_history(DAY, repeat_window_days=30)
    assert len(queries) == 4
    # Shown on 29 October is 30 days before: outside the window.
    assert sorted(history.shown) == [(a, c, date(2026, 10, 30)), (c, d, DAY)]
    assert list(history.likes) == [(a, c, date(2026, 10, 30))]
    assert list(history.passes) == [(c, a, date(2026, 10, 31))]
    assert list(history.blocks) == [(b, d)]
    assert list(history.matches) == [(min(c, d), max(c, d))]


@pytest.mark.parametrize(
    "row",
    [
        lambda a, b: Match(user_a_id=max(a, b), user_b_id=min(a, b)),
        lambda a, b: Block(blocker_id=a, blocked_id=a),
        lambda a, b: Reaction(from_id=a, to_id=a, kind=ReactionKind.like, day=DAY),
    ],
    ids=["match-out-of-order", "self-block", "self-reaction"],
)
def test_the_database_refuses_malformed_history(app, row):
    a, b = add_members(app, [ANNA, ANNA])
    with app.app_context():
        db.session.add(row(a, b))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_one_suggestion_per_day_viewer_and_candidate(app):
    a, b = add_members(app, [ANNA, ANNA])
    with app.app_context():
        db.session.add(DailySuggestion(day=DAY, viewer_id=a, candidate_id=b, rank=1, score=1))
        db.session.commit()
        db.session.add(DailySuggestion(day=DAY, viewer_id=a, candidate_id=b, rank=2, score=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
