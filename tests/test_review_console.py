"""The administrators' console: who may open it, the review queue and the case page.

Cases are opened through ``app.verification.operations.open_case`` and checked in-process
by the stub departments (ID digits 15-16 choose the scenario; ``93``: education answers
``review``), so the queue holds what the real workflow puts there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.verification import admin as routes
from app.verification.models import Case, CaseState
from tests.factories import PASSWORD, login_as
from tests.review_helpers import (
    NAME,
    case_links,
    count,
    id_number,
    load,
    open_case,
    set_check,
    set_created,
    sign_in_admin,
    text,
)

SIGNED_IN_NON_ADMINS = ["registered", "verifying", "member", "matchmaker"]
DECISION = {"decision": "approve", "reason": "Saw the original diploma at the service desk."}


@pytest.fixture
def admin(app, client) -> User:
    return sign_in_admin(app, client)


def queue_ids(page: str) -> list[int]:
    return case_links(page)


# --- The queue -------------------------------------------------------------------------


def test_admin_home_is_the_review_queue(app, client, admin):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reviews"


def test_the_queue_holds_cases_in_review_oldest_first(app, client, admin):
    now = datetime.now(UTC)
    newest = open_case(app, birth="19950612")
    oldest = open_case(app, birth="19950613")
    middle = open_case(app, birth="19950614")
    approved = open_case(app, birth="19950615", sequence="12")  # every department passes
    rejected = open_case(app, birth="19950616", sequence="92")  # married
    checking = open_case(app, birth="19950617", dispatch=False)
    for offset, case_id in enumerate([oldest, middle, newest]):
        set_created(app, case_id, now - timedelta(hours=3 - offset))
    assert load(app, Case, approved).state is CaseState.approved
    assert load(app, Case, rejected).state is CaseState.rejected
    assert load(app, Case, checking).state is CaseState.checking

    response = client.get("/admin/reviews")
    assert response.status_code == 200
    assert queue_ids(text(response)) == [oldest, middle, newest]
    assert "Cases waiting: 3" in text(response)


def test_the_queue_shows_the_masked_identity_and_what_needs_attention(app, client, admin):
    open_case(app, birth="19950612")
    page = text(client.get("/admin/reviews"))
    assert "欧***" in page
    assert "3301**********9313" in page
    assert NAME not in page
    assert id_number("19950612") not in page
    assert "Education: Needs review" in page
    assert "Public Security: " not in page  # it passed: nothing to look at


def test_an_empty_queue_says_so(app, client, admin):
    response = client.get("/admin/reviews")
    assert response.status_code == 200
    assert "No cases are waiting for review." in text(response)


@pytest.fixture
def three_kinds(app):
    """Cases in review because of education, of social insurance, and of an error."""
    education = open_case(app, birth="19950612", sequence="93")
    insurance = open_case(app, birth="19950613", sequence="94")
    error = open_case(app, birth="19950614", sequence="12", dispatch=False)
    set_check(app, error, "public_security", "error", "unavailable")
    for department in ["civil_affairs", "education", "hr_social_security", "justice"]:
        set_check(app, error, department, "passed", None)
    set_check(app, error, "development_reform", "passed", None)
    with app.app_context():
        db.session.get(Case, error).state = CaseState.review
        db.session.commit()
    return {"education": education, "insurance": insurance, "error": error}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["education", "insurance", "error"]),
        ("?department=education", ["education"]),
        ("?department=hr_social_security", ["insurance"]),
        ("?department=public_security", ["error"]),
        ("?department=justice", []),
        ("?state=review", ["education", "insurance"]),
        ("?state=error", ["error"]),
        ("?state=failed", []),
        ("?state=passed", ["education", "insurance", "error"]),
        ("?department=education&state=passed", ["insurance", "error"]),
        ("?department=education&state=review", ["education"]),
        ("?department=&state=", ["education", "insurance", "error"]),
    ],
)
def test_the_queue_filters_by_department_and_check_state(
    app, client, admin, three_kinds, query, expected
):
    response = client.get("/admin/reviews" + query)
    assert response.status_code == 200
    assert queue_ids(text(response)) == [three_kinds[name] for name in expected]
    if not expected:
        assert "No cases waiting for review match these filters." in text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?department=police", "Choose a department from the list."),
        ("?department=Education", "Choose a department from the list."),
        ("?state=approved", "Choose a check state from the list."),
        ("?state=queued", "Choose a check state from the list."),
    ],
)
def test_an_unknown_filter_value_is_refused_with_a_message(app, client, admin, query, message):
    open_case(app)
    response = client.get("/admin/reviews" + query)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'role="alert"' in page
    assert queue_ids(page) == []


def test_the_queue_is_paginated_and_pages_keep_the_filters(app, client, admin, monkeypatch):
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    ids = [open_case(app, birth=f"1995061{day}") for day in (2, 3, 4)]
    first = text(client.get("/admin/reviews?department=education"))
    assert queue_ids(first) == ids[:2]
    assert "Page 1 of 2" in first
    assert 'href="/admin/reviews?page=2&amp;department=education"' in first
    second = text(client.get("/admin/reviews?page=2&department=education"))
    assert queue_ids(second) == ids[2:]
    assert client.get("/admin/reviews?page=3").status_code == 404
    assert client.get("/admin/reviews?page=zero").status_code == 404


# --- The case page ---------------------------------------------------------------------


def test_the_case_page_shows_the_masked_identity_and_every_answer(app, client, admin):
    case_id = open_case(app, birth="19950612")
    response = client.get(f"/admin/cases/{case_id}")
    assert response.status_code == 200
    page = text(response)
    assert NAME not in page
    assert id_number("19950612") not in page
    for shown in ["欧***", "3301**********9313", "12 Jun 1995", "Male"]:
        assert shown in page
    # Consents: what was agreed to, which wording, when.
    assert "Processing of sensitive personal information" in page
    assert "Sharing with the six departments" in page
    assert page.count("Wording of November 2026") == 2
    # Every department's answer: state, reason in words, verified facts, source, attempts.
    assert page.count('data-testid="check-') == 6
    education = page.split('data-testid="check-education"')[1].split("</li>")[0]
    assert "Needs review" in education
    assert "A degree could not be verified" in education
    assert "stub:education" in education
    assert re.search(r"Attempts</dt>\s*<dd>1</dd>", education)
    civil = page.split('data-testid="check-civil_affairs"')[1].split("</li>")[0]
    assert "Marital status" in civil
    assert "Unmarried" in civil
    assert "No decision yet." in page
    assert f'action="/admin/cases/{case_id}/decision"' in page


def test_opening_a_case_is_written_to_the_audit_log(app, client, admin):
    case_id = open_case(app)
    client.get(f"/admin/cases/{case_id}")
    client.get(f"/admin/cases/{case_id}")
    with app.app_context():
        views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.view")).all()
        assert [(v.actor_id, v.subject_type, v.subject_id) for v in views] == [
            (admin.id, "case", case_id)
        ] * 2


def test_an_unknown_case_is_404(app, client, admin):
    assert client.get("/admin/cases/999").status_code == 404
    assert client.post("/admin/cases/999/decision", data=DECISION).status_code == 404
    assert client.post("/admin/cases/999/decision", data={}).status_code == 404
    assert count(app, AuditEntry) == 0


@pytest.mark.parametrize("role", SIGNED_IN_NON_ADMINS)
def test_no_one_else_can_open_or_decide_a_case(app, client, role):
    case_id = open_case(app)
    login_as(app, client, role)
    assert client.get(f"/admin/cases/{case_id}").status_code == 403
    assert client.post(f"/admin/cases/{case_id}/decision", data=DECISION).status_code == 403
    assert client.get("/admin/reviews").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert load(app, Case, case_id).state is CaseState.review
    assert count(app, AuditEntry) == 0


def test_a_suspended_admin_is_signed_out_and_cannot_decide(app, client):
    case_id = open_case(app)
    user = login_as(app, client, "admin")
    with app.app_context():
        db.session.get(User, user.id).state = AccountState.suspended
        db.session.commit()
    response = client.post(f"/admin/cases/{case_id}/decision", data=DECISION)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/signin?next=")
    assert load(app, Case, case_id).state is CaseState.review


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(app, client):
    case_id = open_case(app)
    response = client.get(f"/admin/cases/{case_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/signin?next=%2Fadmin%2Fcases%2F{case_id}"
    user = login_as(app, app.test_client(), "admin")
    back = client.post(
        response.headers["Location"], data={"phone": user.phone, "password": PASSWORD}
    )
    assert back.headers["Location"] == f"/admin/cases/{case_id}"


def test_only_administrators_see_the_administration_link(app, client):
    login_as(app, client, "member")
    assert "/admin/reviews" not in text(client.get("/"))
    admin_client = app.test_client()
    login_as(app, admin_client, "admin")
    admin_client.set_cookie("lang", "en")
    assert re.search(
        r'href="/admin/reviews"[^>]*>(<svg.*?</svg>)?<span[^>]*>Administration</span></a>',
        text(admin_client.get("/")),
    )
