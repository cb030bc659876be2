"""The love lounge over HTTP: the matches list, paging, the poll, read state, sending
(and every bad input), rate limits, unmatch, blocks, fraud warnings, notifications."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.lounge import operations
from app.lounge.models import Message
from app.notifications.models import Notification
from app.relations.models import Block, Match
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import (
    csrf_token,
    sign_in,
)

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def trio(app) -> tuple[int, int, int]:
    """Three members: one matched with two and with three; two and three not matched."""
    return tuple(add_members(app, population(30, seed=5)[:3]))


def make_match(app, one: int, other: int) -> int:
    with app.app_context():
        match = Match.between(one, other)
        match.created_at = T0
        db.session.add(match)
        db.session.commit()
        return match.id


def write(app, match_id: int, sender_id: int, *bodies: str, start: datetime = T0) -> list[int]:
    with app.app_context():
        ids = []
        for i, body in enumerate(bodies):
            message = Message(
                match_id=match_id,
                sender_id=sender_id,
                body=body,
                created_at=start + timedelta(minutes=i + 1),
                flag_reasons=[],
            )
            db.session.add(message)
            db.session.flush()
            ids.append(message.id)
        db.session.commit()
        return ids


def message_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Message.id)))


def notes(app, user_id: int, kind: str) -> list[Notification]:
    with app.app_context():
        query = select(Notification).where(
            Notification.user_id == user_id, Notification.kind == kind
        )
        return list(db.session.scalars(query))


def test_the_list_shows_last_message_unread_count_and_newest_activity_first(app, client, trio):
    one, two, three = trio
    first = make_match(app, one, two)
    second = make_match(app, one, three)
    write(app, first, two, "你好", "周末一起去西湖走走？")
    write(app, second, three, "早上好", start=T0 + timedelta(hours=1))
    write(app, second, one, "早呀", start=T0 + timedelta(hours=2))
    sign_in(app, client, one)
    page = client.get("/lounge/").get_data(as_text=True)
    assert f"会员{two}" in page and f"会员{three}" in page
    assert page.index(f"会员{three}") < page.index(f"会员{two}")  # newest activity first
    assert "周末一起去西湖走走？" in page and "You: 早呀" in page
    assert '<span class="lounge-unread">2<' in page
    assert '<span class="lounge-unread">1<' in page


def test_ended_and_blocked_matches_leave_the_list(app, client, trio):
    one, two, three = trio
    make_match(app, one, two)
    ended = make_match(app, one, three)
    with app.app_context():
        db.session.get(Match, ended).ended_at = T0
        db.session.add(Block(blocker_id=two, blocked_id=one))
        db.session.commit()
    sign_in(app, client, one)
    page = client.get("/lounge/").get_data(as_text=True)
    assert f"会员{two}" not in page and f"会员{three}" not in page
    assert "No matches yet" in page


def test_conversation_pages_back_with_a_cursor(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    ids = write(app, match_id, two, *[f"第{i}条消息" for i in range(35)])
    sign_in(app, client, one)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "第34条消息" in page and "第5条消息" in page and "第4条消息" not in page
    assert f"before={ids[5]}" in page
    older = client.get(f"/lounge/{match_id}?before={ids[5]}").get_data(as_text=True)
    assert "第4条消息" in older and "第0条消息" in older and "第5条消息" not in older
    assert "Earlier messages" not in older


def test_others_cannot_open_read_poll_or_write(app, client, trio):
    one, two, three = trio
    match_id = make_match(app, one, two)
    write(app, match_id, one, "私密的话")
    sign_in(app, client, three)
    assert client.get(f"/lounge/{match_id}").status_code == 404
    assert client.get(f"/lounge/{match_id}/messages.json?after=0").status_code == 404
    response = client.post(f"/lounge/{match_id}/messages", data={"body": "插一句"})
    assert response.status_code == 404
    assert client.post(f"/lounge/{match_id}/unmatch").status_code == 404
    assert client.get("/lounge/999999").status_code == 404
    assert message_count(app) == 1
    with app.app_context():
        assert db.session.get(Match, match_id).ended_at is None


def test_the_poll_returns_only_newer_messages_and_changes_nothing(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    first, second, third = write(app, match_id, two, "一", "二", "三")
    sign_in(app, client, one)
    data = client.get(f"/lounge/{match_id}/messages.json?after={first}").get_json()
    assert [m["id"] for m in data["messages"]] == [second, third]
    assert data["messages"][0] == {
        "id": second,
        "mine": False,
        "body": "二",
        "created_at": (T0 + timedelta(minutes=2)).isoformat(),
        "shown": "20 Nov 2026, 20:02",  # the page's clock: Asia/Shanghai
        "warnings": [],
    }
    assert data["open"] is True
    assert (
        client.get(f"/lounge/{match_id}/messages.json?after={third}").get_json()["messages"] == []
    )
    bad = client.get(f"/lounge/{match_id}/messages.json?after=abc")
    assert bad.status_code == 400 and "last message" in bad.get_json()["error"]
    assert unread(app) == 3  # a GET: reading is the beacon's POST


def unread(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Message.read_at.is_(None)))


def test_opening_a_conversation_changes_nothing(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "在吗", "想约你喝咖啡")
    with app.app_context():
        operations.send(db.session.get(Match, match_id), two, "周末有空吗", T0)
        db.session.commit()
    sign_in(app, client, one)
    for _ in range(2):
        assert client.get(f"/lounge/{match_id}").status_code == 200
    assert unread(app) == 3
    assert [n.read_at for n in notes(app, one, "new_message")] == [None]
    assert '<span class="lounge-unread">3<' in client.get("/lounge/").get_data(as_text=True)


def test_the_read_beacon_marks_read_up_to_the_last_message_shown(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    _first, second = write(app, match_id, two, "在吗", "想约你喝咖啡")
    with app.app_context():
        operations.send(db.session.get(Match, match_id), two, "周末有空吗", T0)
        db.session.commit()
    sign_in(app, client, one)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert 'data-unread="yes"' in page and f'data-read="/lounge/{match_id}/read"' in page
    json = {"Accept": "application/json"}
    response = client.post(f"/lounge/{match_id}/read", data={"upto": second}, headers=json)
    assert response.status_code == 204
    assert unread(app) == 1  # the third came after the page was shown
    assert [n.read_at for n in notes(app, one, "new_message")] == [None]  # one still unread
    assert '<span class="lounge-unread">1<' in client.get("/lounge/").get_data(as_text=True)
    assert client.post(f"/lounge/{match_id}/read", headers=json).status_code == 204
    assert unread(app) == 0 and notes(app, one, "new_message")[0].read_at is not None
    assert 'class="lounge-unread"' not in client.get("/lounge/").get_data(as_text=True)
    assert 'data-unread="no"' in client.get(f"/lounge/{match_id}").get_data(as_text=True)


def test_without_javascript_the_page_has_a_mark_as_read_button(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    _first, last = write(app, match_id, two, "在吗", "想约你喝咖啡")
    sign_in(app, client, one)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    form = page[page.index("<noscript>") : page.index("</noscript>")]
    assert f'action="/lounge/{match_id}/read"' in form and f'value="{last}"' in form
    assert "Mark as read" in form
    response = client.post(f"/lounge/{match_id}/read", data={"upto": str(last)})
    assert response.status_code == 302 and response.location.endswith(f"/lounge/{match_id}#latest")
    assert unread(app) == 0
    assert "<noscript>" not in client.get(f"/lounge/{match_id}").get_data(as_text=True)


@pytest.mark.parametrize("upto", ["abc", "-1", "99999999999999999999"])
def test_a_bad_read_beacon_is_a_400_and_changes_nothing(app, client, trio, upto):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "在吗")
    sign_in(app, client, one)
    response = client.post(f"/lounge/{match_id}/read", data={"upto": upto})
    assert response.status_code == 400 and unread(app) == 1


def test_only_the_receiver_marks_read(app, client, trio):
    one, two, three = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "在吗")
    sign_in(app, client, three)  # not in this conversation
    assert client.post(f"/lounge/{match_id}/read").status_code == 404
    sender = app.test_client()
    sign_in(app, sender, two)  # their own message is not theirs to read
    assert sender.post(f"/lounge/{match_id}/read").status_code == 302
    assert unread(app) == 1


def test_the_read_beacon_needs_the_csrf_token(app_factory, trio):
    app = app_factory(WTF_CSRF_ENABLED=True)
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "在吗")
    client = app.test_client()
    sign_in(app, client, one)
    assert client.post(f"/lounge/{match_id}/read").status_code == 400
    assert unread(app) == 1
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    assert client.post(f"/lounge/{match_id}/read", data={"csrf_token": token}).status_code == 302
    assert unread(app) == 0


def test_replying_marks_the_partners_messages_read(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "在吗", "想约你喝咖啡")
    sign_in(app, client, one)
    assert client.post(f"/lounge/{match_id}/messages", data={"body": "好呀"}).status_code == 302
    with app.app_context():
        query = select(Message.sender_id, Message.read_at).order_by(Message.id)
        rows = db.session.execute(query).all()
    assert [(sender, read is None) for sender, read in rows] == [
        (two, False),
        (two, False),
        (one, True),
    ]


def test_the_sender_sees_read_once_the_partner_has_read(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    mine = write(app, match_id, one, "在吗", "想约你喝咖啡")
    sign_in(app, client, one)
    assert '<span class="lounge-read">read</span>' not in client.get(
        f"/lounge/{match_id}"
    ).get_data(as_text=True)
    other = app.test_client()
    sign_in(app, other, two)
    other.get(f"/lounge/{match_id}")
    other.post(f"/lounge/{match_id}/read", data={"upto": mine[-1]})
    with app.app_context():
        assert all(db.session.get(Message, i).read_at is not None for i in mine)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert page.count('<span class="lounge-read">read</span>') == 1
    assert page.index("lounge-read") > page.index("想约你喝咖啡")


def test_sending_writes_the_message_and_one_notification_per_conversation(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    for text in ("  你好呀  ", "周末有空吗"):
        response = client.post(f"/lounge/{match_id}/messages", data={"body": text})
        assert response.status_code == 302
    with app.app_context():
        bodies = list(db.session.scalars(select(Message.body).order_by(Message.id)))
    assert bodies == ["你好呀", "周末有空吗"]
    assert len(notes(app, two, "new_message")) == 1
    other = app.test_client()
    sign_in(app, other, two)
    other.post(f"/lounge/{match_id}/read")  # reading clears the notification
    client.post(f"/lounge/{match_id}/messages", data={"body": "晚安"})
    assert len([n for n in notes(app, two, "new_message") if n.read_at is None]) == 1
    assert len(notes(app, two, "new_message")) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message before sending."),
        ("   ", "Write a message before sending."),
        ("好" * 1001, "at most 1000 characters"),
    ],
)
def test_empty_or_overlong_messages_are_refused_with_the_text_kept(
    app, client, trio, body, message
):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    response = client.post(f"/lounge/{match_id}/messages", data={"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if body.strip():
        assert body in page
    assert message_count(app) == 0 and notes(app, two, "new_message") == []


def test_exactly_1000_characters_is_fine(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    assert (
        client.post(f"/lounge/{match_id}/messages", data={"body": "好" * 1000}).status_code == 302
    )
    assert message_count(app) == 1


def test_missing_csrf_is_refused(app_factory, trio):
    app = app_factory(WTF_CSRF_ENABLED=True)
    one, two, _ = trio
    match_id = make_match(app, one, two)
    client = app.test_client()
    sign_in(app, client, one)
    response = client.post(f"/lounge/{match_id}/messages", data={"body": "你好"})
    assert response.status_code == 400
    assert message_count(app) == 0
    token = csrf_token(client, f"/lounge/{match_id}")
    ok = client.post(f"/lounge/{match_id}/messages", data={"body": "你好", "csrf_token": token})
    assert ok.status_code == 302 and message_count(app) == 1


@pytest.fixture
def trio_for(app_factory):
    def build(**overrides):
        built = app_factory(**overrides)
        return built, tuple(add_members(built, population(30, seed=5)[:3]))

    return build


def test_the_rate_limit_answers_429_keeps_the_text_and_writes_nothing(trio_for):
    app, (one, two, _) = trio_for(RATELIMIT_LOUNGE_SEND="3 per minute;500 per day")
    match_id = make_match(app, one, two)
    client = app.test_client()
    sign_in(app, client, one)
    for i in range(3):
        assert (
            client.post(f"/lounge/{match_id}/messages", data={"body": f"第{i}条"}).status_code
            == 302
        )
    response = client.post(f"/lounge/{match_id}/messages", data={"body": "第四条慢一点"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "sending messages very fast" in page and "第四条慢一点" in page
    assert message_count(app) == 3


def test_unmatch_asks_first_then_closes_for_both_and_tells_the_other(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "你好")
    sign_in(app, client, one)
    confirm = client.get(f"/lounge/{match_id}/unmatch").get_data(as_text=True)
    assert "Yes, unmatch" in confirm
    with app.app_context():
        assert db.session.get(Match, match_id).ended_at is None
    assert client.post(f"/lounge/{match_id}/unmatch").status_code == 302
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert match.ended_at is not None and match.ended_by_id == one
    assert len(notes(app, two, "match_ended")) == 1
    assert client.post(f"/lounge/{match_id}/unmatch").status_code == 409
    assert len(notes(app, two, "match_ended")) == 1
    other = app.test_client()
    sign_in(app, other, two)
    page = other.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "This conversation has ended" in page and "你好" in page
    for client_ in (client, other):
        response = client_.post(f"/lounge/{match_id}/messages", data={"body": "还在吗"})
        assert response.status_code == 409
        assert "还在吗" in response.get_data(as_text=True)
    assert message_count(app) == 1
    assert f"会员{one}" not in other.get("/lounge/").get_data(as_text=True)


def test_blocked_members_cannot_reach_each_other(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    with app.app_context():
        db.session.add(Block(blocker_id=two, blocked_id=one))
        db.session.commit()
    sign_in(app, client, one)
    response = client.post(f"/lounge/{match_id}/messages", data={"body": "为什么不理我"})
    assert response.status_code == 404
    assert client.get(f"/lounge/{match_id}").status_code == 404
    assert message_count(app) == 0 and notes(app, two, "new_message") == []


def test_a_flagged_message_is_delivered_with_a_warning_for_the_receiver_only(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, two)
    client.post(f"/lounge/{match_id}/messages", data={"body": "加我微信，带你投资稳赚"})
    with app.app_context():
        message = db.session.scalar(select(Message))
        assert message.flagged and message.flag_reasons == ["investment", "other_app"]
    own = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "加我微信" in own and "lounge-warning" not in own
    receiver = app.test_client()
    sign_in(app, receiver, one)
    page = receiver.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "lounge-warning" in page and "asks you to move to another app" in page
    polled = receiver.get(f"/lounge/{match_id}/messages.json?after=0").get_json()
    assert polled["messages"][0]["warnings"] == ["investment", "other_app"]
    assert (
        client.get(f"/lounge/{match_id}/messages.json?after=0").get_json()["messages"][0][
            "warnings"
        ]
        == []
    )


def test_the_snapshot_keeps_the_latest_messages_as_evidence(app, trio):
    one, two, three = trio
    match_id = make_match(app, one, two)
    ids = write(app, match_id, two, "一", "二", "加我微信")
    with app.app_context():
        db.session.get(Message, ids[2]).flagged = True
        db.session.commit()
        snapshot = operations.conversation_snapshot(two, one, limit=2)
        assert operations.conversation_snapshot(one, three) == []
    assert snapshot == [
        {
            "id": ids[1],
            "sender_id": two,
            "body": "二",
            "created_at": (T0 + timedelta(minutes=2)).isoformat(),
            "flagged": False,
        },
        {
            "id": ids[2],
            "sender_id": two,
            "body": "加我微信",
            "created_at": (T0 + timedelta(minutes=3)).isoformat(),
            "flagged": True,
        },
    ]


def test_the_notification_links_to_the_conversation(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    sign_in(app, client, one)
    client.post(f"/lounge/{match_id}/messages", data={"body": "你好"})
    from app.notifications.texts import show

    with app.test_request_context():
        shown = show(notes(app, two, "new_message")[0])
    assert f"会员{one}" in shown.text and shown.link == f"/lounge/{match_id}"


def test_a_partner_who_deleted_the_account_shows_as_deleted_user(app, client, trio):
    from app.accounts.models import AccountState, User
    from app.profiles.models import MemberProfile

    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "再见")
    with app.app_context():
        db.session.get(User, two).state = AccountState.deleted  # deletion anonymises:
        db.session.delete(db.session.get(MemberProfile, two))  # the profile goes too
        db.session.commit()
    sign_in(app, client, one)
    listing = client.get("/lounge/").get_data(as_text=True)
    assert "deleted user" in listing and f"会员{two}" not in listing
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "This conversation has ended" in page and "再见" in page
    response = client.post(f"/lounge/{match_id}/messages", data={"body": "你还在吗"})
    assert response.status_code == 409 and message_count(app) == 1


def test_message_times_are_shown_in_the_service_time_zone(app, client, trio):
    one, two, _ = trio
    match_id = make_match(app, one, two)
    write(app, match_id, two, "晚上好")  # 12:01 UTC
    sign_in(app, client, one)
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert ">20 Nov 2026, 20:01</time>" in page  # Asia/Shanghai, UTC+8
    assert 'data-timezone="Asia/Shanghai"' in page  # the poll script shows new ones alike
