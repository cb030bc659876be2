"""An ID number that another account holds: the application is accepted exactly like a
fresh one (nothing tells who has an account), the six departments check it as usual,
and only when they confirm the name is the duplicate settled: the case waits for the
service desk with a neutral reason, the holder is told by SMS and in the app, the
administrators see the holder and cannot approve a second member. A duplicate the
departments reject tells nobody anything."""

from __future__ import annotations

import re
import threading

import pytest
from celery.result import allow_join_result
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification
from app.privacy.operations import delete_account
from app.verification import operations, runtime, tasks
from app.verification.models import Case, CaseState, CheckState
from tests.applicants import apply, cases, id_number
from tests.factories import login_as
from tests.review_helpers import sign_in_admin

HOLDER_NAME = "李四"
NEWCOMER_NAME = "王五"


@pytest.fixture
def holder(app: Flask) -> User:
    """A member who holds ``id_number()`` (every department passed)."""
    client = app.test_client()
    user = login_as(app, client)
    assert apply(client, name=HOLDER_NAME, number=id_number()).status_code == 302
    assert state_of(app, user.id) is AccountState.member
    return user


def english_client(app: Flask):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def state_of(app: Flask, user_id: int) -> AccountState:
    with app.app_context():
        return db.session.get(User, user_id).state


def kinds(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification.kind)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


def shape(page: str) -> str:
    """A page with every digit and the session's CSRF token blanked: case ids, masked ID
    digits, times and tokens differ between two applications, nothing else may."""
    page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", page)
    return re.sub(r"\d", "#", page)


def test_a_held_id_number_is_answered_exactly_like_a_fresh_one(app, holder, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks.dispatch_case, "delay", queued.append)  # departments not asked yet
    held, fresh = english_client(app), english_client(app)
    login_as(app, held)
    login_as(app, fresh)
    answers = [
        apply(held, name=NEWCOMER_NAME, number=id_number()),
        apply(fresh, name=NEWCOMER_NAME, number=id_number(gender="3")),
    ]
    assert [a.status_code for a in answers] == [302, 302]
    locations = [a.headers["Location"] for a in answers]
    assert all(re.fullmatch(r"/verify/cases/\d+", where) for where in locations)
    assert shape(answers[0].get_data(as_text=True)) == shape(answers[1].get_data(as_text=True))
    pages = [client.get(where) for client, where in zip((held, fresh), locations, strict=True)]
    assert [p.status_code for p in pages] == [200, 200]
    assert shape(pages[0].get_data(as_text=True)) == shape(pages[1].get_data(as_text=True))
    assert len(queued) == 2  # both sent to the six departments
    assert [c.state for c in cases(app)][1:] == [CaseState.checking, CaseState.checking]


def test_once_the_departments_confirm_the_name_the_duplicate_waits_for_the_service_desk(
    app, holder, outbox
):
    client = english_client(app)
    newcomer = login_as(app, client)
    location = apply(client, name=NEWCOMER_NAME, number=id_number()).headers["Location"]

    (case,) = cases(app, newcomer.id)
    assert case.state is CaseState.review
    assert state_of(app, newcomer.id) is AccountState.verifying
    assert state_of(app, holder.id) is AccountState.member
    with app.app_context():
        checks = db.session.get(Case, case.id).checks
        assert [c.state for c in checks] == [CheckState.passed] * 6  # all six were asked
    for page in (client.get(location), client.get("/notifications"), client.get("/verify/")):
        body = page.get_data(as_text=True)
        for hint in ("another account", holder.masked_phone, holder.phone, "李", "held"):
            assert hint not in body
    assert "needs a manual check by the service desk" in client.get(location).get_data(as_text=True)
    assert "needs a manual check by the service desk" in client.get("/notifications").get_data(
        as_text=True
    )
    assert kinds(app, newcomer.id) == ["verification.review"]
    # The holder is told, in the app and by SMS, and nobody else gets a text.
    assert kinds(app, holder.id) == ["verification.approved", "verification.identity_used"]
    assert [phone for phone, _ in outbox] == [holder.phone]
    assert "ID number" in outbox[0][1] or "身份证" in outbox[0][1]


def test_the_holder_reads_what_to_do_if_it_was_not_them(app, outbox):
    client = english_client(app)
    user = login_as(app, client)
    assert apply(client, number=id_number()).status_code == 302
    with app.app_context():
        db.session.get(User, user.id).locale = "en"
        db.session.commit()
    other = app.test_client()
    login_as(app, other)
    apply(other, name=NEWCOMER_NAME, number=id_number())
    page = client.get("/notifications").get_data(as_text=True)
    assert "Someone applied for real-name verification with your ID number" in page
    assert "If it was not you, contact the service desk." in page
    ((phone, text),) = outbox
    assert phone == user.phone
    assert "[Queqiao] Someone applied for real-name verification with your ID number" in text
    assert "contact the service desk" in text


def approved_holder_of(app: Flask, number: str) -> User:
    """A member holding ``number`` whose own application passed, whatever the stub says
    for the number now (the departments confirmed the holder's name back then)."""
    client = app.test_client()
    user = login_as(app, client)
    with app.app_context():
        case = operations.open_case(
            db.session.get(User, user.id),
            HOLDER_NAME,
            number,
            "2026-11",
            runtime.protector(),
            runtime.policy(),
        )
        for check in case.checks:
            check.state, check.source = CheckState.passed, "stub"
        assert operations.decide(case, runtime.policy()) == "approve"
        db.session.commit()
    return user


def test_a_duplicate_the_departments_reject_is_rejected_and_tells_nobody(app, outbox):
    number = id_number("90")  # public security: the name does not match the number
    holder = approved_holder_of(app, number)
    client = english_client(app)
    newcomer = login_as(app, client)
    location = apply(client, name=NEWCOMER_NAME, number=number).headers["Location"]
    (case,) = cases(app, newcomer.id)
    assert (case.state, case.decision_reason) == (CaseState.rejected, "name_mismatch")
    assert "The name does not match" in client.get(location).get_data(as_text=True)
    assert kinds(app, holder.id) == ["verification.approved"]
    assert kinds(app, newcomer.id) == ["verification.rejected"]
    assert outbox == []
    with app.app_context():
        held = select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "verification.identity_held"
        )
        assert db.session.scalar(held) == 0


def held_case(app: Flask) -> int:
    """A newcomer's case held for review: ``id_number()`` is already a member's."""
    client = app.test_client()
    newcomer = login_as(app, client)
    apply(client, name=NEWCOMER_NAME, number=id_number())
    (case,) = cases(app, newcomer.id)
    assert case.state is CaseState.review
    return case.id


def test_the_administrator_sees_the_holder_and_cannot_approve_a_second_member(app, holder):
    case_id = held_case(app)
    admin = english_client(app)
    sign_in_admin(app, admin)
    (holder_case,) = cases(app, holder.id)
    page = admin.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert "This ID number is held by another account" in page
    assert holder.masked_phone in page
    assert f'href="/admin/cases/{holder_case.id}"' in page
    queue = admin.get("/admin/reviews").get_data(as_text=True)
    assert "ID number held by another account" in queue

    decision = {"decision": "approve", "reason": "The applicant came to the desk."}
    refused = admin.post(f"/admin/cases/{case_id}/decision", data=decision)
    assert refused.status_code == 409
    assert "one person can have only one account" in refused.get_data(as_text=True)
    (case,) = [c for c in cases(app) if c.id == case_id]
    assert case.state is CaseState.review
    assert state_of(app, case.user_id) is AccountState.verifying
    with app.app_context():
        approvals = select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "verification.approve"
        )
        assert db.session.scalar(approvals) == 1  # the holder's own

    decision = {"decision": "reject", "reason": "The holder says it was not them."}
    assert admin.post(f"/admin/cases/{case_id}/decision", data=decision).status_code == 302
    assert state_of(app, case.user_id) is AccountState.registered


def test_a_held_identity_is_free_again_once_the_holder_erased_their_account(app, holder):
    case_id = held_case(app)
    with app.app_context():
        delete_account(db.session.get(User, holder.id))
        db.session.commit()
    admin = english_client(app)
    sign_in_admin(app, admin)
    assert "held by another account" not in admin.get(f"/admin/cases/{case_id}").get_data(
        as_text=True
    )
    decision = {"decision": "approve", "reason": "The holder account is gone."}
    assert admin.post(f"/admin/cases/{case_id}/decision", data=decision).status_code == 302
    (case,) = [c for c in cases(app) if c.id == case_id]
    assert state_of(app, case.user_id) is AccountState.member


@pytest.mark.commits  # threads
def test_applicants_with_one_id_number_at_once_make_one_member(app):
    """Real threads, each its own account and client, released together: every case is
    checked at the same time, and the database lets only one of them become a member."""
    n = 6
    clients = [app.test_client() for _ in range(n)]
    users = [login_as(app, client) for client in clients]
    start = threading.Barrier(n)
    statuses: list[int] = []

    def one(client) -> None:
        start.wait(30)
        statuses.append(apply(client, name=NEWCOMER_NAME, number=id_number()).status_code)

    threads = [threading.Thread(target=one, args=(client,)) for client in clients]
    # Eager tasks in several threads at once race on Celery's process-wide "a join would
    # block" flag (each Task.apply saves and restores it); leaving this block puts it
    # back as it was, so later tests can still read eager results.
    with allow_join_result():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert statuses == [302] * n
    found = cases(app)
    assert len(found) == n
    assert sorted(c.state.value for c in found) == ["approved"] + ["review"] * (n - 1)
    members = [u.id for u in users if state_of(app, u.id) is AccountState.member]
    assert len(members) == 1
    (approved,) = [c for c in found if c.state is CaseState.approved]
    assert approved.user_id == members[0]
    assert kinds(app, members[0]).count("verification.identity_used") == n - 1
