"""Reporting (举报) over HTTP: the form, the conversation kept as evidence, "also
block", the confirmation, the repeat while open, the daily limit, every bad input; and
the fraud filter's automatic report when the lounge flags a message."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.lounge import operations as lounge
from app.relations.models import Block, Match
from app.safety.models import Report, ReportReason, ReportSource, ReportState
from tests.safety_helpers import audit_actions, counts, make_match, members, write
from tests.test_today_page import (
    sign_in,
    suggest,
)


@pytest.fixture
def trio(app) -> list[int]:
    return members(app, 3)


def reports(app) -> list[Report]:
    with app.app_context():
        rows = list(db.session.scalars(select(Report).order_by(Report.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_the_form_offers_the_reasons_a_note_and_also_block(app, client, trio):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    page = client.get(f"/safety/members/{two}/report").get_data(as_text=True)
    assert f"Report 会员{two}" in page
    for reason in ReportReason:
        assert f'value="{reason.value}"' in page
    assert 'name="note"' in page and 'name="also_block"' in page


def test_a_report_keeps_the_conversation_and_confirms(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    [first] = write(app, match_id, two, "借我两千块，下周还你")
    [second] = write(app, match_id, one, "不太方便")
    sign_in(app, client, one)
    response = client.post(
        f"/safety/members/{two}/report",
        data={"reason": "fraud_or_money", "note": "  He keeps asking for money.  "},
    )
    assert response.status_code == 302
    [report] = reports(app)
    assert response.headers["Location"] == f"/safety/reports/{report.id}/sent"
    assert (report.reporter_id, report.reported_id) == (one, two)
    assert report.reason is ReportReason.fraud_or_money
    assert report.source is ReportSource.member and report.state is ReportState.open
    assert report.note == "He keeps asking for money."
    [conversation] = report.evidence["conversations"]
    assert conversation["with_id"] == one
    assert [m["id"] for m in conversation["messages"]] == [first, second]
    assert conversation["messages"][0]["body"] == "借我两千块，下周还你"
    assert audit_actions(app) == ["report.created"]
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report is sent" in sent and f"Block 会员{two} too" in sent
    with app.app_context():
        assert db.session.get(Match, match_id).ended_at is None  # no block asked for


def test_also_block_blocks_and_closes_the_match(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    response = client.post(
        f"/safety/members/{two}/report", data={"reason": "harassment", "also_block": "y"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Block.blocked_id)).all() == [two]
        assert db.session.get(Match, match_id).ended_at is not None
    assert audit_actions(app) == ["report.created", "block.created"]
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"You have blocked 会员{two}" in sent


def test_a_member_from_todays_list_can_be_reported_without_a_conversation(app, client, trio):
    one, two, _ = trio
    suggest(app, one, [two])
    sign_in(app, client, one)
    response = client.post(f"/safety/members/{two}/report", data={"reason": "fake_profile"})
    assert response.status_code == 302
    [report] = reports(app)
    assert report.evidence["conversations"] == [{"with_id": one, "messages": []}]


def test_the_confirmation_is_only_the_reporters(app, client, trio):
    one, two, three = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    location = client.post(f"/safety/members/{two}/report", data={"reason": "other"}).headers[
        "Location"
    ]
    other = app.test_client()
    sign_in(app, other, three)
    assert other.get(location).status_code == 404


def test_a_second_report_while_the_first_is_open_is_409(app, client, trio):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    assert client.post(f"/safety/members/{two}/report", data={"reason": "other"}).status_code == 302
    before = counts(app)
    again = client.post(f"/safety/members/{two}/report", data={"reason": "harassment"})
    assert again.status_code == 409
    assert "already reported this member" in again.get_data(as_text=True)
    assert counts(app) == before


def test_a_new_report_is_possible_once_the_first_was_decided(app, client, trio):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    client.post(f"/safety/members/{two}/report", data={"reason": "other"})
    with app.app_context():
        db.session.scalars(select(Report)).one().state = ReportState.dismissed
        db.session.commit()
    assert client.post(f"/safety/members/{two}/report", data={"reason": "other"}).status_code == 302
    assert len(reports(app)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "no reason"}, "Choose what happened."),
        ({"reason": "spam"}, "Choose a reason from the list."),
        ({"reason": "other", "note": "长" * 1001}, "Write at most 1000 characters."),
    ],
    ids=["missing-reason", "unknown-reason", "overlong-note"],
)
def test_invalid_reports_are_400_with_a_message_and_nothing_written(
    app, client, trio, data, message
):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    before = counts(app)
    response = client.post(f"/safety/members/{two}/report", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize("target", ["stranger", "unknown", "self"])
def test_reporting_someone_one_does_not_know_is_404(app, client, trio, target):
    one, two, three = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    other = {"stranger": three, "unknown": 999999, "self": one}[target]
    assert client.get(f"/safety/members/{other}/report").status_code == 404
    response = client.post(f"/safety/members/{other}/report", data={"reason": "other"})
    assert response.status_code == 404
    assert reports(app) == []


def test_reports_are_limited_per_member_per_day(app_factory):
    app = app_factory(RATELIMIT_REPORT="2 per day")
    people = members(app, 5)
    me = people[0]
    for other in people[1:]:
        make_match(app, me, other)
    client = app.test_client()
    sign_in(app, client, me)
    for other in people[1:3]:
        assert (
            client.post(f"/safety/members/{other}/report", data={"reason": "other"}).status_code
            == 302
        )
    over = client.post(f"/safety/members/{people[3]}/report", data={"reason": "other"})
    assert over.status_code == 429
    assert "many reports today" in over.get_data(as_text=True)
    assert len(reports(app)) == 2


def test_flagged_messages_gather_in_one_open_fraud_filter_report(app, trio):
    one, two, three = trio
    first_match = make_match(app, one, two)
    second_match = make_match(app, one, three)
    with app.app_context():
        lounge.send(db.session.get(Match, first_match), one, "你好", _now())
        flagged = lounge.send(
            db.session.get(Match, first_match), one, "加我微信，带你投资稳赚", _now()
        )
        other = lounge.send(db.session.get(Match, second_match), one, "借我点钱，转账给我", _now())
        db.session.commit()
        ids = [flagged.id, other.id]
    [report] = reports(app)
    assert report.reporter_id is None and report.reported_id == one
    assert report.source is ReportSource.fraud_filter
    assert report.reason is ReportReason.fraud_or_money
    assert report.evidence["flagged_message_ids"] == ids
    partners = [c["with_id"] for c in report.evidence["conversations"]]
    assert partners == [two, three]
    first = report.evidence["conversations"][0]["messages"]
    assert [m["body"] for m in first] == ["你好", "加我微信，带你投资稳赚"]
    assert first[1]["flagged"] is True


def test_a_flagged_message_after_a_decision_opens_a_new_report(app, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    with app.app_context():
        lounge.send(db.session.get(Match, match_id), one, "加我微信", _now())
        db.session.scalars(select(Report)).one().state = ReportState.dismissed
        lounge.send(db.session.get(Match, match_id), one, "www.example.com 扫码", _now())
        lounge.send(db.session.get(Match, match_id), one, "一起吃饭吗", _now())
        db.session.commit()
    first, second = reports(app)
    assert first.state is ReportState.dismissed and second.state is ReportState.open
    assert len(second.evidence["flagged_message_ids"]) == 1


def _now():
    from app.db_types import utcnow

    return utcnow()
