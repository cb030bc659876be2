"""Blocking (拉黑) over HTTP: only a member one knows (on a Today list, or matched), the
confirmation page, ending an open match silently, the repeat, the blocked list and
unblocking; every bad input a 4xx with a message and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.relations.models import Block, Match
from tests.safety_helpers import audit_actions, counts, make_match, members, write
from tests.test_today_page import (
    sign_in,
    suggest,
)


@pytest.fixture
def trio(app) -> list[int]:
    return members(app, 3)


def test_the_confirmation_page_names_the_member_and_posts_back(app, client, trio):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    page = client.get(f"/safety/members/{two}/block")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"Block 会员{two}?" in text
    assert f'action="/safety/members/{two}/block"' in text
    assert "is not told" in text


def test_blocking_a_match_ends_it_for_both_silently_and_is_audited(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "你好")
    sign_in(app, client, one)
    response = client.post(f"/safety/members/{two}/block")
    assert response.status_code == 302
    assert response.headers["Location"] == "/safety/blocked"
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert match.ended_at is not None and match.ended_by_id == one
        assert db.session.scalars(select(Block)).one().blocked_id == two
        # Silent: the blocked member gets no notification of any kind.
        assert (
            db.session.scalars(select(Notification).where(Notification.user_id == two)).all() == []
        )
    assert audit_actions(app) == ["block.created"]
    listing = client.get("/safety/blocked").get_data(as_text=True)
    assert f"会员{two}" in listing and "Unblock" in listing
    # The conversation is closed for the other side too.
    other = app.test_client()
    sign_in(app, other, two)
    assert other.get(f"/lounge/{match_id}").status_code == 404
    assert other.post(f"/lounge/{match_id}/messages", data={"body": "在吗"}).status_code == 404
    assert f"会员{one}" not in other.get("/lounge/").get_data(as_text=True)


def test_a_member_from_todays_list_can_be_blocked_and_leaves_the_list(app, client, trio):
    one, two, three = trio
    suggest(app, one, [two, three])
    sign_in(app, client, one)
    today = client.get("/today/").get_data(as_text=True)
    assert f'href="/safety/members/{two}/block"' in today
    assert f'href="/safety/members/{two}/report"' in today
    assert client.post(f"/safety/members/{two}/block").status_code == 302
    today = client.get("/today/").get_data(as_text=True)
    assert f'id="candidate-{two}"' not in today and f'id="candidate-{three}"' in today


def test_the_conversation_page_has_the_block_and_report_menu(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert 'data-testid="safety-menu"' in page
    assert f'href="/safety/members/{two}/block"' in page


@pytest.mark.parametrize("target", ["stranger", "unknown", "self"])
def test_members_one_does_not_know_are_404_and_nothing_is_written(app, client, trio, target):
    one, two, three = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    other = {"stranger": three, "unknown": 999999, "self": one}[target]
    before = counts(app)
    assert client.get(f"/safety/members/{other}/block").status_code == 404
    response = client.post(f"/safety/members/{other}/block")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert counts(app) == before


def test_another_members_match_is_not_a_way_in(app, client, trio):
    one, two, three = trio
    make_match(app, two, three)  # two and three know each other; one knows neither
    sign_in(app, client, one)
    assert client.post(f"/safety/members/{three}/block").status_code == 404
    assert counts(app)["blocks"] == 0


def test_blocking_twice_is_409_with_a_message_and_writes_nothing(app, client, trio):
    one, two, _ = trio
    make_match(app, one, two)
    sign_in(app, client, one)
    assert client.post(f"/safety/members/{two}/block").status_code == 302
    before = counts(app)
    again = client.post(f"/safety/members/{two}/block")
    assert again.status_code == 409
    assert "You have already blocked this member." in again.get_data(as_text=True)
    assert counts(app) == before


def test_blocking_without_the_form_token_is_refused(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    one, two, _ = members(app, 3)
    make_match(app, one, two)
    client = app.test_client()
    sign_in(app, client, one)
    assert client.post(f"/safety/members/{two}/block").status_code == 400
    assert counts(app)["blocks"] == 0


def test_unblocking_removes_the_block_but_not_the_ended_match(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    client.post(f"/safety/members/{two}/block")
    response = client.post(f"/safety/blocked/{two}/unblock")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Block)).all() == []
        assert db.session.get(Match, match_id).ended_at is not None
    assert audit_actions(app) == ["block.created", "block.removed"]
    assert "You have not blocked anyone." in client.get("/safety/blocked").get_data(as_text=True)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "This conversation has ended" in page


def test_unblocking_someone_not_blocked_is_404(app, client, trio):
    one, two, _ = trio
    with app.app_context():
        db.session.add(Block(blocker_id=two, blocked_id=one))  # the other way round
        db.session.commit()
    sign_in(app, client, one)
    before = counts(app)
    assert client.post(f"/safety/blocked/{two}/unblock").status_code == 404
    assert counts(app) == before


def test_members_met_at_an_event_or_through_an_introduction_can_be_blocked(app, client):
    """Someone seated at the same event, or introduced by a matchmaker, is someone one
    knows; someone only on the same event's waitlist is not."""
    from app.events.models import Signup, SignupState
    from app.introductions.models import Introduction
    from tests.events_helpers import add_event
    from tests.factories import make_user

    me, seated, waiting, introduced = members(app, 4)
    matchmaker = make_user(app, "matchmaker").id
    event_id = add_event(app, matchmaker)
    with app.app_context():
        for member, state in (
            (me, SignupState.confirmed),
            (seated, SignupState.confirmed),
            (waiting, SignupState.waitlisted),
        ):
            db.session.add(Signup(event_id=event_id, member_id=member, state=state))
        db.session.add(
            Introduction(
                matchmaker_id=matchmaker,
                member_a_id=min(me, introduced),
                member_b_id=max(me, introduced),
                note="都爱徒步",
            )
        )
        db.session.commit()
    sign_in(app, client, me)
    assert client.get(f"/safety/members/{seated}/block").status_code == 200
    assert client.get(f"/safety/members/{introduced}/report").status_code == 200
    assert client.get(f"/safety/members/{waiting}/block").status_code == 404
