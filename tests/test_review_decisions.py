"""Administrators decide cases in review: approve or reject with a reason, once.

Cases are opened through ``app.verification.operations.open_case`` and checked in-process
by the stub departments (ID digits 15-16 choose the scenario; ``93``: education answers
``review``), so the queue holds what the real workflow puts there.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification
from app.verification.models import Case, CaseState, VerifiedFact
from tests.factories import login_as
from tests.review_helpers import (
    NAME,
    case_links,
    count,
    load,
    open_case,
    sign_in_admin,
    text,
)

DECISION = {"decision": "approve", "reason": "Saw the original diploma at the service desk."}


@pytest.fixture
def admin(app, client) -> User:
    return sign_in_admin(app, client)


def test_approving_makes_the_applicant_a_member(app, client, admin):
    case_id = open_case(app)
    applicant_id = load(app, Case, case_id).user_id
    response = client.post(f"/admin/cases/{case_id}/decision", data=DECISION)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reviews"
    queue = client.get("/admin/reviews")
    assert f"Case {case_id} approved. The applicant is now a member." in text(queue)
    assert case_links(text(queue)) == []

    case = load(app, Case, case_id)
    assert case.state is CaseState.approved
    assert case.decided_by_id == admin.id
    assert case.decision_reason == DECISION["reason"]
    assert load(app, User, applicant_id).state is AccountState.member
    with app.app_context():
        facts = db.session.scalars(select(VerifiedFact).where(VerifiedFact.user_id == applicant_id))
        assert sorted(f.department.value for f in facts) == [
            "civil_affairs",
            "development_reform",
            "hr_social_security",
            "justice",
            "public_security",
        ]  # education was in review: nothing verified to keep
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action.like("verification.%"))
        )
        assert (entry.action, entry.actor_id, entry.subject_id, entry.reason) == (
            "verification.approve",
            admin.id,
            case_id,
            DECISION["reason"],
        )
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.user_id == applicant_id)
        ).all()
        assert kinds == ["verification.review", "verification.approved"]


def test_rejecting_keeps_the_reason_and_tells_the_applicant(app, client, admin):
    case_id = open_case(app)
    applicant_id = load(app, Case, case_id).user_id
    reason = "证书编号在学信网查不到，请补充学历证明后重新申请。"
    response = client.post(
        f"/admin/cases/{case_id}/decision", data={"decision": "reject", "reason": f"  {reason} "}
    )
    assert response.status_code == 302
    assert f"Case {case_id} rejected." in text(client.get("/admin/reviews"))
    case = load(app, Case, case_id)
    assert (case.state, case.decision_reason, case.decided_by_id) == (
        CaseState.rejected,
        reason,
        admin.id,
    )
    assert load(app, User, applicant_id).state is AccountState.registered
    assert count(app, VerifiedFact) == 0
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action.like("verification.%"))
        )
        assert (entry.action, entry.actor_id, entry.reason) == (
            "verification.reject",
            admin.id,
            reason,
        )
        notice = db.session.scalar(
            select(Notification).where(Notification.kind == "verification.rejected")
        )
        assert (notice.user_id, notice.params) == (
            applicant_id,
            {"case_id": case_id, "reason": reason},
        )


def test_the_decided_case_shows_its_history_and_no_form(app, client, admin):
    case_id = open_case(app)
    client.post(f"/admin/cases/{case_id}/decision", data=DECISION)
    page = text(client.get(f"/admin/cases/{case_id}"))
    history = page.split('data-testid="history"')[1].split("</ol>")[0]
    assert "Verification approved" in history
    assert admin.masked_phone in history
    assert DECISION["reason"] in history
    assert f'action="/admin/cases/{case_id}/decision"' not in page
    assert "Approved" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Write the reason for your decision."),
        ({"decision": "approve", "reason": ""}, "Write the reason for your decision."),
        ({"decision": "reject", "reason": "   \n "}, "Write the reason for your decision."),
        ({"decision": "reject", "reason": "ok ok"[:4]}, "Write at least 5 characters."),
        ({"decision": "approve", "reason": "x" * 1001}, "Write at most 1000 characters."),
        ({"reason": DECISION["reason"]}, "Choose whether to approve or reject."),
        (
            {"decision": "maybe", "reason": DECISION["reason"]},
            "Choose whether to approve or reject.",
        ),
    ],
)
def test_a_decision_without_a_proper_reason_changes_nothing(app, client, admin, data, message):
    case_id = open_case(app)
    applicant_id = load(app, Case, case_id).user_id
    client.get(f"/admin/cases/{case_id}")
    before = (count(app, AuditEntry), count(app, Notification))
    response = client.post(f"/admin/cases/{case_id}/decision", data=data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert NAME not in page
    assert load(app, Case, case_id).state is CaseState.review
    assert load(app, User, applicant_id).state is AccountState.verifying
    assert (count(app, AuditEntry), count(app, Notification)) == before
    assert count(app, VerifiedFact) == 0


def test_the_reason_the_admin_typed_is_kept_on_the_form(app, client, admin):
    case_id = open_case(app)
    response = client.post(f"/admin/cases/{case_id}/decision", data={"reason": "Diploma seen"})
    assert response.status_code == 400
    assert re.search(r">\s*Diploma seen</textarea>", text(response))


def test_a_second_decision_is_refused_and_changes_nothing(app, client, admin):
    case_id = open_case(app)
    assert client.post(f"/admin/cases/{case_id}/decision", data=DECISION).status_code == 302
    before = (count(app, AuditEntry), count(app, Notification))
    response = client.post(
        f"/admin/cases/{case_id}/decision", data={"decision": "reject", "reason": "Changed my mind"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "This case is not waiting for review" in page
    assert "Nothing was changed." in page
    assert f'action="/admin/cases/{case_id}/decision"' not in page
    assert load(app, Case, case_id).state is CaseState.approved
    assert (count(app, AuditEntry), count(app, Notification)) == before


def test_a_case_still_being_checked_cannot_be_decided(app, client, admin):
    case_id = open_case(app, dispatch=False)
    response = client.post(f"/admin/cases/{case_id}/decision", data=DECISION)
    assert response.status_code == 409
    assert load(app, Case, case_id).state is CaseState.checking
    assert count(app, AuditEntry) == 0


def test_an_administrator_with_a_stale_page_gets_409(app, client, admin):
    case_id = open_case(app)
    other = app.test_client()
    login_as(app, other, "admin")
    assert client.get(f"/admin/cases/{case_id}").status_code == 200
    assert other.get(f"/admin/cases/{case_id}").status_code == 200
    assert other.post(f"/admin/cases/{case_id}/decision", data=DECISION).status_code == 302
    response = client.post(
        f"/admin/cases/{case_id}/decision", data={"decision": "reject", "reason": "Not convinced"}
    )
    assert response.status_code == 409
    assert load(app, Case, case_id).state is CaseState.approved


@pytest.mark.commits  # threads
def test_two_administrators_deciding_at_once_record_one_decision(app, admin, client):
    case_id = open_case(app)
    clients = [client, app.test_client()]
    login_as(app, clients[1], "admin")
    start = threading.Barrier(2)
    statuses: list[int] = []

    def decide(who, decision):
        start.wait()
        data = {"decision": decision, "reason": f"{decision} after checking the papers"}
        statuses.append(who.post(f"/admin/cases/{case_id}/decision", data=data).status_code)

    threads = [
        threading.Thread(target=decide, args=(c, d))
        for c, d in zip(clients, ["approve", "reject"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [302, 409]
    decisions = count(app, AuditEntry, AuditEntry.action.like("verification.%"))
    assert decisions == 1
    assert count(app, Notification, Notification.kind.like("verification.%ed")) == 1
