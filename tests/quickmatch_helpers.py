"""Helpers for quick-match tests: verified members straight into the database (user,
approved case, verified education fact, profile), from ``matching.Profile``s."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import AccountState, Role, User
from app.db_types import utcnow
from app.extensions import db
from app.profiles.loader import EDUCATION_LEVELS
from app.profiles.models import MemberProfile
from app.quickmatch.models import DailySuggestion
from app.verification import runtime
from app.verification.models import Case, CaseState, VerifiedFact
from matching import Profile
from tests.factories import password_hash
from verification.departments import Department

DEGREES = {level: name for name, level in EDUCATION_LEVELS.items()}
_numbers = itertools.count(1)


def add_members(
    app: Flask,
    profiles: Iterable[Profile],
    state: AccountState = AccountState.member,
    case_state: CaseState | None = CaseState.approved,
    with_profile: bool = True,
) -> list[int]:
    """Create one user per profile (in order) and return their ids. ``profile.id`` is
    ignored: the database numbers users. Gender, birth date and education go where
    verification keeps them (the case, the education fact)."""
    ids: list[int] = []
    with app.app_context():
        protector = runtime.protector()
        digest = password_hash()
        for profile in profiles:
            number = next(_numbers)
            user = User(
                phone=f"+86137{number:08d}", password_hash=digest, role=Role.member, state=state
            )
            db.session.add(user)
            db.session.flush()
            if case_state is not None:
                _add_case(user.id, number, profile, case_state, protector)
            if with_profile:
                db.session.add(MemberProfile.from_matching(user.id, profile, f"会员{user.id}"))
            ids.append(user.id)
        db.session.commit()
    return ids


def _add_case(user_id: int, number: int, profile: Profile, state: CaseState, protector) -> None:
    now = utcnow()
    case = Case(
        user_id=user_id,
        state=state,
        name_encrypted=protector.encrypt("测试"),
        id_number_encrypted=protector.encrypt(f"test-{number}"),
        id_number_index=protector.blind_index(f"test-{number}"),
        name_masked="测*",
        id_number_masked="3301**********0000",
        birth_date=profile.birth_date,
        gender=profile.gender,
        decided_at=now,
    )
    db.session.add(case)
    db.session.flush()
    if profile.education:
        db.session.add(
            VerifiedFact(
                user_id=user_id,
                case_id=case.id,
                department=Department.education,
                facts={"degree": DEGREES[profile.education]},
                source="test",
                verified_at=now,
                expires_at=now + timedelta(days=365),
            )
        )


def population(n: int, seed: int = 7, today: date | None = None) -> list[Profile]:
    """``n`` synthetic members without the few whose preferences nobody meets."""
    from benchmarks.synthetic import generate

    people = generate(n, seed=seed, today=today)
    impossible = set(people.unmatchable_ids)
    return [p for p in people.profiles if p.id not in impossible]


def suggestion_rows(app: Flask, day: date | None = None) -> list[tuple]:
    """Every stored suggestion as (day, viewer, rank, candidate, score, reasons), sorted."""
    with app.app_context():
        query = select(
            DailySuggestion.day,
            DailySuggestion.viewer_id,
            DailySuggestion.rank,
            DailySuggestion.candidate_id,
            DailySuggestion.score,
            DailySuggestion.reasons,
        ).order_by(DailySuggestion.day, DailySuggestion.viewer_id, DailySuggestion.rank)
        if day is not None:
            query = query.where(DailySuggestion.day == day)
        return [tuple(row) for row in db.session.execute(query)]


def same_rows(rows: list[tuple], expected: list[tuple]) -> bool:
    """Equal, scores to float32 precision (the engine scores in float32, and a batch
    of other viewers may round the last bit differently)."""
    assert [row[:4] + row[5:] for row in rows] == [row[:4] + row[5:] for row in expected]
    assert [row[4] for row in rows] == pytest.approx([row[4] for row in expected], rel=1e-6)
    return True


def lists_by_viewer(rows: Sequence[tuple]) -> dict[int, list[int]]:
    lists: dict[int, list[int]] = {}
    for _day, viewer, _rank, candidate, *_ in rows:
        lists.setdefault(viewer, []).append(candidate)
    return lists
