"""Fair assignment of consultations: the fewest open requests; ties to the longest
since the last assignment (never assigned first), then the lowest id; no matchmaker:
the request waits and is assigned when one appears; two simultaneous requests on
PostgreSQL go to two different matchmakers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.consult import assignment, operations
from app.consult.models import Consultation, ConsultationState, Topic
from app.db_types import utcnow
from app.extensions import db
from tests.consult_helpers import add_consultation, english, notifications_of, user_ids

__all__ = ["english"]

TEXT = "我想请老师帮我看看资料怎么写"


def ask(app, member_id: int) -> Consultation:
    with app.app_context():
        consultation = operations.ask(member_id, Topic.profile, TEXT)
        db.session.commit()
        db.session.refresh(consultation)
        db.session.expunge(consultation)
        return consultation


def test_the_matchmaker_with_the_fewest_open_requests_gets_it(app):
    busy, free = user_ids(app, "matchmaker", 2)
    member, others = user_ids(app, "member", 2)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=3)
        for _ in range(2):
            add_consultation(others, busy, assigned_at=long_ago)
        add_consultation(others, free, assigned_at=utcnow())
        # Resolved requests do not count as open.
        for _ in range(3):
            add_consultation(others, free, ConsultationState.resolved, assigned_at=long_ago)
        db.session.commit()
    consultation = ask(app, member)
    assert consultation.matchmaker_id == free
    assert consultation.state is ConsultationState.open
    assert consultation.answer_due_at - consultation.assigned_at == timedelta(hours=24)
    assert ("consultation_assigned", {"consultation_id": consultation.id}) in notifications_of(
        app, free
    )
    assert notifications_of(app, busy) == []


def test_ties_go_to_the_longest_since_the_last_assignment_then_the_lowest_id(app):
    recent, earlier, never_a, never_b = user_ids(app, "matchmaker", 4)
    (member,) = user_ids(app, "member", 1)
    with app.app_context():
        now = utcnow()
        add_consultation(member, recent, ConsultationState.resolved, assigned_at=now)
        add_consultation(
            member, earlier, ConsultationState.resolved, assigned_at=now - timedelta(hours=5)
        )
        db.session.commit()
    # Never assigned first, the lower id of the two first.
    askers = [member, *user_ids(app, "member", 3)]
    assert [ask(app, asker).matchmaker_id for asker in askers] == [
        never_a,
        never_b,
        earlier,
        recent,
    ]


def test_administrators_and_suspended_matchmakers_get_no_requests(app):
    user_ids(app, "admin", 1)
    (suspended,) = user_ids(app, "matchmaker", 1)
    with app.app_context():
        from app.accounts.models import AccountState

        db.session.get(User, suspended).state = AccountState.suspended
        db.session.commit()
    (member,) = user_ids(app, "member", 1)
    consultation = ask(app, member)
    assert consultation.matchmaker_id is None
    assert consultation.state is ConsultationState.waiting


def test_a_waiting_request_is_assigned_when_a_matchmaker_is_granted(app):
    (member,) = user_ids(app, "member", 1)
    first, second = ask(app, member), ask(app, member)
    assert first.state is second.state is ConsultationState.waiting
    (admin,) = user_ids(app, "admin", 1)
    (future,) = user_ids(app, "member", 1)
    with app.app_context():
        from app.consult import roles

        roles.grant(
            db.session.get(User, admin), db.session.get(User, future), Role.member, "可靠的志愿者"
        )
        db.session.commit()
        rows = db.session.scalars(select(Consultation).order_by(Consultation.id)).all()
        assert [(c.matchmaker_id, c.state) for c in rows] == [
            (future, ConsultationState.open),
            (future, ConsultationState.open),
        ]
    # The member is told that someone took each waiting request.
    taken = [
        params for kind, params in notifications_of(app, member) if kind == "consultation_taken"
    ]
    assert taken == [{"consultation_id": first.id}, {"consultation_id": second.id}]


def test_a_matchmaker_asking_for_help_is_never_given_their_own_request(app):
    asker, other = user_ids(app, "matchmaker", 2)
    with app.app_context():
        add_consultation(asker, other, assigned_at=utcnow())  # other has one open
        db.session.commit()
    assert ask(app, asker).matchmaker_id == other


def test_the_assignment_lock_is_taken_before_reading(app, monkeypatch):
    """``ask`` locks before it counts: the race test below needs PostgreSQL, this one
    shows the order on every engine."""
    calls: list[str] = []
    original = assignment.next_matchmaker
    monkeypatch.setattr(assignment, "lock_assignments", lambda: calls.append("lock"))
    monkeypatch.setattr(
        assignment, "next_matchmaker", lambda **kw: calls.append("read") or original(**kw)
    )
    user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    ask(app, member)
    assert calls[0] == "lock" and "read" in calls


def skip_unless_postgresql(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the race needs two concurrent transactions (PostgreSQL)")


@pytest.mark.commits  # threads
def test_a_request_while_another_is_uncommitted_goes_to_the_other_matchmaker(app):
    """The second request comes while the first is assigned but not committed. Without
    the lock it would not see that assignment under READ COMMITTED, and both would go
    to the same matchmaker (both have 0 open, the lower id wins the tie)."""
    skip_unless_postgresql(app)
    one, two = user_ids(app, "matchmaker", 2)
    first_member, second_member = user_ids(app, "member", 2)
    asked = threading.Event()
    errors: list[BaseException] = []

    def request_help(member_id: int, hold: float) -> None:
        try:
            with app.app_context():
                operations.ask(member_id, Topic.chatting, TEXT)
                asked.set()
                time.sleep(hold)  # still uncommitted
                db.session.commit()
        except BaseException as error:
            errors.append(error)
            asked.set()

    first = threading.Thread(target=request_help, args=(first_member, 1.0))
    first.start()
    assert asked.wait(10)
    second = threading.Thread(target=request_help, args=(second_member, 0))
    second.start()
    first.join(20)
    second.join(20)
    assert errors == []
    with app.app_context():
        rows = db.session.execute(select(Consultation.member_id, Consultation.matchmaker_id))
        assert dict(rows.all()) == {first_member: one, second_member: two}


@pytest.mark.commits  # threads
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_requests_go_to_two_different_matchmakers(app, attempt):
    skip_unless_postgresql(app)
    one, two = user_ids(app, "matchmaker", 2)
    members = user_ids(app, "member", 2)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def request_help(member_id: int) -> None:
        try:
            with app.app_context():
                start.wait(10)
                operations.ask(member_id, Topic.chatting, TEXT)
                db.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=request_help, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    with app.app_context():
        assigned = db.session.scalars(select(Consultation.matchmaker_id)).all()
    assert sorted(assigned) == sorted([one, two])
