"""The audit log page: every privileged action, newest first, filtered by action and actor."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.audit.models import record
from app.extensions import db
from app.verification import admin as routes
from tests.factories import login_as
from tests.review_helpers import case_links, open_case, sign_in_admin, text

REASON = "Diploma checked against the original <b>by phone</b>."


@pytest.fixture
def admin(app, client) -> User:
    return sign_in_admin(app, client)


@pytest.fixture
def history(app, client, admin) -> dict[str, int]:
    """A case the system rejected, a case the admin viewed, a case the admin approved."""
    rejected = open_case(app, birth="19950612", sequence="92")  # civil affairs: married
    viewed = open_case(app, birth="19950613")
    approved = open_case(app, birth="19950614")
    client.get(f"/admin/cases/{viewed}")
    client.post(f"/admin/cases/{approved}/decision", data={"decision": "approve", "reason": REASON})
    return {"rejected": rejected, "viewed": viewed, "approved": approved}


def entries(page: str) -> list[str]:
    return re.findall(r'data-testid="audit-entry">\s*<h3>([^<]+)</h3>', page)


def test_the_log_shows_who_what_subject_when_and_why_newest_first(app, client, admin, history):
    response = client.get("/admin/audit")
    assert response.status_code == 200
    page = text(response)
    assert entries(page) == [
        "Verification approved",
        "Verification case viewed",
        "Verification rejected",
    ]
    assert case_links(page.split('data-testid="audit"')[1]) == [
        history["approved"],
        history["viewed"],
        history["rejected"],
    ]
    actors = re.findall(r'data-testid="audit-actor">([^<]+)<', page)
    assert actors == [admin.masked_phone, admin.masked_phone, "System"]
    reasons = re.findall(r'data-testid="audit-reason">([^<]*)<', page)
    # The administrator's words, escaped; the system's reason code, in words.
    assert reasons[0] == "Diploma checked against the original &lt;b&gt;by phone&lt;/b&gt;."
    assert reasons[1] == "—"
    assert reasons[2] == "Registered as married"
    assert page.count("<time datetime=") == 3
    assert "Entries: 3" in page
    assert admin.phone not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?action=verification.approve", ["Verification approved"]),
        ("?action=case.view", ["Verification case viewed"]),
        ("?action=verification.recheck_failed", []),
        ("?actor=system", ["Verification rejected"]),
        ("?actor=system&action=case.view", []),
        (
            "?action=&actor=",
            ["Verification approved", "Verification case viewed", "Verification rejected"],
        ),
    ],
)
def test_the_log_filters_by_action_and_actor(app, client, admin, history, query, expected):
    response = client.get("/admin/audit" + query)
    assert response.status_code == 200
    assert entries(text(response)) == expected
    if not expected:
        assert "No entries match these filters." in text(response)


def test_the_log_filters_by_administrator(app, client, admin, history):
    other = app.test_client()
    other_admin = login_as(app, other, "admin")
    other.get(f"/admin/cases/{history['rejected']}")
    page = text(client.get("/admin/audit"))
    assert (
        f'<option value="{other_admin.id}">{other_admin.masked_phone} (#{other_admin.id})' in page
    )
    mine = text(client.get(f"/admin/audit?actor={admin.id}"))
    assert entries(mine) == ["Verification approved", "Verification case viewed"]
    theirs = text(client.get(f"/admin/audit?actor={other_admin.id}&action=case.view"))
    assert entries(theirs) == ["Verification case viewed"]
    assert case_links(theirs.split('data-testid="audit"')[1]) == [history["rejected"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?action=case.delete", "Choose an action from the list."),
        ("?actor=admin", "Choose someone from the list."),
        ("?actor=99999", "Choose someone from the list."),
        ("?actor=-1", "Choose someone from the list."),
    ],
)
def test_an_unknown_filter_value_is_refused_with_a_message(app, client, admin, query, message):
    response = client.get("/admin/audit" + query)
    assert response.status_code == 400
    assert message in text(response)
    assert 'role="alert"' in text(response)


def test_the_log_is_paginated(app, client, admin, monkeypatch):
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    with app.app_context():
        for subject in (1, 2, 3):
            record("verification.recheck_failed", "user", subject, reason="married")
        db.session.commit()
    first = text(client.get("/admin/audit?actor=system"))
    assert "User 3" in first and "User 2" in first and "User 1" not in first
    assert "Page 1 of 2" in first
    assert 'href="/admin/audit?page=2&amp;actor=system"' in first
    second = text(client.get("/admin/audit?page=2&actor=system"))
    assert "User 1" in second and "User 2" not in second
    assert client.get("/admin/audit?page=3&actor=system").status_code == 404


def test_an_empty_log(app, client, admin):
    response = client.get("/admin/audit")
    assert response.status_code == 200
    assert "Entries: 0" in text(response)
    assert "Nothing has been recorded yet." in text(response)
