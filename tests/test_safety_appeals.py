"""Appeals (申诉): a warned member appeals once from the notification's link, a
suspended member through the signed link in the SMS (no sign-in); appeals land in the
queue; the administrator upholds or overturns with a reason (overturning a suspension
restores the account); bad links, repeats and stale decisions change nothing. And My
data lists the reports one made and the appeals one wrote."""

from __future__ import annotations

import json
import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.safety.models import Appeal, AppealState, Report
from tests.safety_helpers import admin_id, counts, make_match, members, notes_of
from tests.test_today_page import sign_in

APPEAL = "I only asked whether she had lent money before; it was a misunderstanding."


@pytest.fixture
def decided(app, client):
    """Member one reported member two; an administrator (signed in on ``client``)
    decides with ``decide(decision)``; returns the ids."""
    one, two, _ = members(app, 3)
    make_match(app, one, two)
    reporter = app.test_client()
    sign_in(app, reporter, one)
    reporter.post(f"/safety/members/{two}/report", data={"reason": "harassment", "note": "烦"})
    admin = admin_id(app)
    sign_in(app, client, admin)
    with app.app_context():
        report_id = db.session.scalar(select(Report.id))

    def decide(decision: str) -> dict:
        response = client.post(
            f"/admin/reports/{report_id}/decision",
            data={"decision": decision, "reason": "Repeated unwanted messages."},
        )
        assert response.status_code == 302
        return {"one": one, "two": two, "admin": admin, "report": report_id}

    return decide


def appeals(app) -> list[tuple[int, str, AppealState]]:
    with app.app_context():
        return db.session.execute(select(Appeal.member_id, Appeal.text, Appeal.state)).all()


def link_in(outbox) -> str:
    return re.search(r"http://localhost(/safety/appeal/\S+)", outbox[-1][1]).group(1)


def test_a_warned_member_appeals_once(app, client, decided):
    ids = decided("warn")
    member = app.test_client()
    sign_in(app, member, ids["two"])
    path = f"/safety/decisions/{ids['report']}/appeal"
    page = member.get(path).get_data(as_text=True)
    assert "Repeated unwanted messages." in page and "You received a warning." in page
    sent = member.post(path, data={"text": APPEAL})
    assert sent.status_code == 200 and "Your appeal is sent" in sent.get_data(as_text=True)
    assert appeals(app) == [(ids["two"], APPEAL, AppealState.open)]
    before = counts(app)
    again = member.post(path, data={"text": "Please, once more."})
    assert again.status_code == 409
    assert "already appealed this decision" in again.get_data(as_text=True)
    assert counts(app) == before
    assert "already appealed" in member.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your appeal."), ("too short", "Write at least 10 characters."),
     ("长" * 2001, "Write at most 2000 characters.")],
    ids=["missing", "short", "long"],
)  # fmt: skip
def test_invalid_appeals_are_400_and_write_nothing(app, client, decided, text, message):
    ids = decided("warn")
    member = app.test_client()
    sign_in(app, member, ids["two"])
    before = counts(app)
    response = member.post(f"/safety/decisions/{ids['report']}/appeal", data={"text": text})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


def test_only_the_member_acted_on_can_appeal(app, client, decided):
    ids = decided("warn")
    reporter = app.test_client()
    sign_in(app, reporter, ids["one"])
    path = f"/safety/decisions/{ids['report']}/appeal"
    assert reporter.get(path).status_code == 404
    assert reporter.post(path, data={"text": APPEAL}).status_code == 404
    assert appeals(app) == []


def test_a_dismissed_report_cannot_be_appealed(app, client, decided):
    ids = decided("dismiss")
    member = app.test_client()
    sign_in(app, member, ids["two"])
    assert member.get(f"/safety/decisions/{ids['report']}/appeal").status_code == 404


def test_a_suspended_member_appeals_through_the_sms_link_and_is_restored(
    app, client, decided, outbox
):
    ids = decided("suspend")
    path = link_in(outbox)
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    page = visitor.get(path).get_data(as_text=True)
    assert "Your account was suspended." in page and "Repeated unwanted messages." in page
    assert visitor.post(path, data={"text": APPEAL}).status_code == 200
    assert visitor.post(path, data={"text": APPEAL}).status_code == 409
    [(member_id, _, state)] = appeals(app)
    assert member_id == ids["two"] and state is AppealState.open

    queue = client.get("/admin/reports").get_data(as_text=True)
    assert 'data-testid="appeal-item"' in queue
    report_page = client.get(f"/admin/reports/{ids['report']}").get_data(as_text=True)
    assert APPEAL in report_page
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    response = client.post(
        f"/admin/appeals/{appeal_id}/decision",
        data={"decision": "overturn", "reason": "The messages do not show harassment."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, ids["two"]).state is AccountState.member
        assert db.session.get(Appeal, appeal_id).state is AppealState.overturned
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "appeal.created" in actions and actions[-1] == "appeal.overturned"
    [decided_note] = notes_of(app, ids["two"], "appeal_decided")
    assert decided_note.params["outcome"] == "overturned"
    assert "The messages do not show harassment." in outbox[-1][1]  # the SMS, in zh-CN
    member = app.test_client()
    sign_in(app, member, ids["two"])  # can sign in again


def test_upholding_keeps_the_suspension_and_a_second_decision_is_409(app, client, decided, outbox):
    decided("suspend")
    app.test_client().post(link_in(outbox), data={"text": APPEAL})
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    other = app.test_client()
    sign_in(app, other, admin_id(app))
    first = client.post(
        f"/admin/appeals/{appeal_id}/decision",
        data={"decision": "uphold", "reason": "The messages were threatening."},
    )
    before = counts(app)
    second = other.post(
        f"/admin/appeals/{appeal_id}/decision",
        data={"decision": "overturn", "reason": "Give another chance."},
    )
    assert first.status_code == 302 and second.status_code == 409
    assert counts(app) == before
    with app.app_context():
        assert db.session.get(Appeal, appeal_id).state is AppealState.upheld
        suspended = db.session.scalar(select(User).where(User.state == AccountState.suspended))
        assert suspended is not None
    assert "The messages were threatening." in outbox[-1][1]


def test_an_appeal_decision_needs_a_reason(app, client, decided):
    ids = decided("warn")
    member = app.test_client()
    sign_in(app, member, ids["two"])
    member.post(f"/safety/decisions/{ids['report']}/appeal", data={"text": APPEAL})
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    before = counts(app)
    response = client.post(f"/admin/appeals/{appeal_id}/decision", data={"decision": "uphold"})
    assert response.status_code == 400
    assert "Write the reason for your decision." in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize("token", ["not-a-token", "eyJyZXBvcnQiOjF9.forged.sig"])
def test_a_bad_link_is_404_with_a_message(app, client, decided, token):
    decided("suspend")
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    response = visitor.get(f"/safety/appeal/{token}")
    assert response.status_code == 404
    assert "The link is not valid" in response.get_data(as_text=True)
    assert visitor.post(f"/safety/appeal/{token}", data={"text": APPEAL}).status_code == 404
    assert appeals(app) == []


def test_an_expired_link_is_400_with_a_message(app, client, decided, outbox, monkeypatch):
    decided("suspend")
    path = link_in(outbox)
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    later = int(time.time()) + 31 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = visitor.post(path, data={"text": APPEAL})
    assert response.status_code == 400
    assert "The link has expired" in response.get_data(as_text=True)
    assert appeals(app) == []


def test_my_data_has_my_reports_and_appeals_but_not_who_reported_me(app, client, decided):
    ids = decided("warn")
    member = app.test_client()
    sign_in(app, member, ids["two"])
    member.post(f"/safety/decisions/{ids['report']}/appeal", data={"text": APPEAL})
    reported = member.post("/me/data/export")
    reporter = app.test_client()
    sign_in(app, reporter, ids["one"])
    filed = reporter.post("/me/data/export")
    mine = json.loads(reported.get_data(as_text=True))
    theirs = json.loads(filed.get_data(as_text=True))
    [about] = mine["reports_about_me"]
    assert about["outcome"] == "warned"
    assert about["statement_of_reasons"] == "Repeated unwanted messages."
    assert "reporter_id" not in about and "note" not in about and "evidence" not in about
    assert [a["text"] for a in mine["appeals"]] == [APPEAL]
    [report] = theirs["reports_filed"]
    assert report["note"] == "烦" and report["state"] == "handled"
    assert "decision_reason" not in report
    assert theirs["reports_about_me"] == [] and theirs["appeals"] == []
    page = member.get("/me/data/").get_data(as_text=True)
    assert "Appeals you wrote" in page
