"""The administrators' reports queue over HTTP: the queue and its filters, a report's
page (evidence, the member's card and history, the access and audit logs), and the
decisions: dismiss, warn, suspend, each with its statement of reasons; stale and
invalid decisions change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.lounge import operations as lounge
from app.privacy.models import PersonalDataAccess
from app.relations.models import Match
from app.safety import moderation
from app.safety.models import Report, ReportState
from tests.factories import PASSWORD
from tests.safety_helpers import admin_id, counts, make_match, members, notes_of, write
from tests.test_today_page import sign_in

STATEMENT = "You asked a member for money twice."


@pytest.fixture
def case(app, client) -> dict:
    """Member one reported member two (they are matched and chatted); an administrator
    is signed in on ``client``."""
    one, two, three = members(app, 3)
    match_id = make_match(app, one, two)
    write(app, match_id, two, "借我两千块")
    reporter = app.test_client()
    sign_in(app, reporter, one)
    reporter.post(
        f"/safety/members/{two}/report", data={"reason": "fraud_or_money", "note": "要钱"}
    )
    admin = admin_id(app)
    sign_in(app, client, admin)
    with app.app_context():
        report_id = db.session.scalar(select(Report.id))
    return {
        "one": one, "two": two, "three": three, "match": match_id, "admin": admin,
        "report": report_id, "reporter": reporter,
    }  # fmt: skip


def state_of(app, report_id: int) -> ReportState:
    with app.app_context():
        return db.session.get(Report, report_id).state


def test_the_queue_lists_open_reports_oldest_first_and_filters(app, client, case):
    with app.app_context():
        match_id = make_match(app, case["three"], case["two"])
        lounge.send(db.session.get(Match, match_id), case["two"], "加我微信", lounge_now())
        db.session.commit()
    page = client.get("/admin/reports").get_data(as_text=True)
    assert page.count('data-testid="report-item"') == 2
    assert page.index(f"Report {case['report']}<") < page.index("Fraud filter")
    assert 'data-testid="nav-reports"' in page and "(2 waiting)" in page
    fraud = client.get("/admin/reports?source=fraud_filter").get_data(as_text=True)
    assert fraud.count('data-testid="report-item"') == 1 and "Fraud filter" in fraud
    assert (
        client.get("/admin/reports?state=warned")
        .get_data(as_text=True)
        .count('data-testid="report-item"')
        == 0
    )
    bad = client.get("/admin/reports?state=deleted")
    assert bad.status_code == 400 and "Choose a state from the list." in bad.get_data(as_text=True)
    assert "(2 waiting)" in client.get("/admin/reviews").get_data(as_text=True)


def lounge_now():
    from app.db_types import utcnow

    return utcnow()


def test_the_report_page_shows_evidence_and_card_and_logs_the_access(app, client, case):
    page = client.get(f"/admin/reports/{case['report']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "借我两千块" in text and "要钱" in text
    assert f"会员{case['two']}" in text and 'data-testid="public-card"' in text
    assert 'name="decision"' in text
    with app.app_context():
        accesses = db.session.execute(
            select(
                PersonalDataAccess.viewer_id,
                PersonalDataAccess.subject_id,
                PersonalDataAccess.purpose,
            )
        ).all()
        views = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "report.view")
        ).all()
    assert (case["admin"], case["two"], "report review") in accesses
    assert [(v.actor_id, v.subject_id) for v in views] == [(case["admin"], case["report"])]


def test_the_history_shows_earlier_reports_about_the_member(app, client, case):
    with app.app_context():
        earlier = db.session.get(Report, case["report"])
        earlier.state = ReportState.warned
        earlier.decision_reason = "An earlier warning"
        db.session.commit()
    third = app.test_client()
    make_match(app, case["three"], case["two"])
    sign_in(app, third, case["three"])
    third.post(f"/safety/members/{case['two']}/report", data={"reason": "harassment"})
    with app.app_context():
        newest = db.session.scalar(select(Report.id).order_by(Report.id.desc()))
    text = client.get(f"/admin/reports/{newest}").get_data(as_text=True)
    assert 'data-testid="member-history"' in text and "An earlier warning" in text


def test_dismiss_tells_only_the_reporter_that_it_was_handled(app, client, case):
    response = client.post(
        f"/admin/reports/{case['report']}/decision",
        data={"decision": "dismiss", "reason": "Nothing against the rules"},
    )
    assert response.status_code == 302
    assert state_of(app, case["report"]) is ReportState.dismissed
    with app.app_context():
        assert _all_notes(case["two"]) == []  # nothing to the reported member
    [handled] = notes_of(app, case["one"], "report_handled")
    assert "statement" not in handled.params
    page = case["reporter"].get("/notifications").get_data(as_text=True)
    assert "an administrator has handled it" in page and "Nothing against" not in page


def _all_notes(user_id):
    from app.notifications.models import Notification

    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)))


def test_warn_gives_the_member_the_statement_and_an_appeal_link(app, client, case):
    response = client.post(
        f"/admin/reports/{case['report']}/decision", data={"decision": "warn", "reason": STATEMENT}
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.get(Report, case["report"])
        assert report.state is ReportState.warned
        assert (report.decided_by_id, report.decision_reason) == (case["admin"], STATEMENT)
        assert db.session.get(User, case["two"]).state is AccountState.member
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report.warned"))
        assert (entry.actor_id, entry.reason) == (case["admin"], STATEMENT)
    [warned] = notes_of(app, case["two"], "moderation_warned")
    assert warned.params == {"report_id": case["report"], "statement": STATEMENT}
    member = app.test_client()
    sign_in(app, member, case["two"])
    page = member.get("/notifications").get_data(as_text=True)
    assert STATEMENT in page and f'href="/safety/decisions/{case["report"]}/appeal"' in page


def test_suspend_signs_out_hides_ends_matches_and_sends_the_appeal_link(app, client, case, outbox):
    member = app.test_client()
    sign_in(app, member, case["two"])
    assert member.get("/lounge/").status_code == 200
    response = client.post(
        f"/admin/reports/{case['report']}/decision",
        data={"decision": "suspend", "reason": STATEMENT},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, case["two"])
        assert user.state is AccountState.suspended
        assert db.session.get(Match, case["match"]).ended_at is not None
        phone = user.phone
    assert member.get("/lounge/").status_code == 302  # signed out at once
    assert notes_of(app, case["two"], "moderation_suspended")[0].params["statement"] == STATEMENT
    assert notes_of(app, case["one"], "match_ended")
    [(to, text)] = outbox
    assert to == phone and STATEMENT in text and "/safety/appeal/" in text
    # Signing in is refused, pointing to the link.
    refused = app.test_client()
    refused.set_cookie("lang", "en")
    answer = refused.post("/account/signin", data={"phone": phone, "password": PASSWORD})
    assert answer.status_code == 403
    assert "open the link in the text message" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "warn"}, "Write the reason for your decision."),
        ({"decision": "warn", "reason": "bad"}, "Write at least 5 characters."),
        ({"decision": "warn", "reason": "x" * 1001}, "Write at most 1000 characters."),
        ({"reason": STATEMENT}, "Choose dismiss, warn or suspend."),
        ({"decision": "ban", "reason": STATEMENT}, "Choose dismiss, warn or suspend."),
    ],
    ids=["missing-reason", "short-reason", "long-reason", "no-decision", "unknown-decision"],
)
def test_invalid_decisions_are_400_and_change_nothing(app, client, case, data, message):
    before = counts(app)
    response = client.post(f"/admin/reports/{case['report']}/decision", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before
    assert state_of(app, case["report"]) is ReportState.open


def test_two_decisions_exactly_one_is_recorded(app, client, case, outbox):
    other = app.test_client()
    sign_in(app, other, admin_id(app))
    first = client.post(
        f"/admin/reports/{case['report']}/decision", data={"decision": "warn", "reason": STATEMENT}
    )
    before = counts(app)
    second = other.post(
        f"/admin/reports/{case['report']}/decision",
        data={"decision": "suspend", "reason": "Suspend instead"},
    )
    assert first.status_code == 302 and second.status_code == 409
    assert "decided already" in second.get_data(as_text=True)
    assert counts(app) == before
    assert state_of(app, case["report"]) is ReportState.warned
    with app.app_context():
        decisions = db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.action.like("report.%"), AuditEntry.action != "report.view"
            )
        ).all()
        assert db.session.get(User, case["two"]).state is AccountState.member
    assert sorted(decisions) == ["report.created", "report.warned"]
    assert outbox == []


def test_unknown_reports_are_404(client, case):
    assert client.get("/admin/reports/999999").status_code == 404
    data = {"decision": "warn", "reason": STATEMENT}
    assert client.post("/admin/reports/999999/decision", data=data).status_code == 404


def test_waiting_count_counts_open_reports_and_appeals(app, case):
    with app.app_context():
        assert moderation.waiting_count() == 1
