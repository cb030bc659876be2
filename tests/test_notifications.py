"""In-app notifications: the list (newest first, in the reader's language), the unread
count in the header, and marking everything read."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification
from tests.applicants import MARRIED, apply, id_number
from tests.factories import PASSWORD, login_as, make_user


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def add(app, user_id: int, kind: str, minutes_ago: int = 0, **params) -> None:
    with app.app_context():
        db.session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                params=params,
                created_at=utcnow() - timedelta(minutes=minutes_ago),
            )
        )
        db.session.commit()


def unread(app, user_id: int) -> int:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        return len(list(rows))


def test_each_kind_is_rendered_in_words_newest_first(app, english):
    user = login_as(app, english)
    add(app, user.id, "verification.review", minutes_ago=30, case_id=7)
    add(app, user.id, "verification.rejected", minutes_ago=20, case_id=7, reason="married")
    add(app, user.id, "verification.approved", minutes_ago=10, case_id=8)
    add(
        app,
        user.id,
        "verification.access_lost",
        minutes_ago=0,
        department="civil_affairs",
        reason="married",
    )
    page = english.get("/notifications").get_data(as_text=True)
    kinds = [
        "verification.access_lost",
        "verification.approved",
        "verification.rejected",
        "verification.review",
    ]
    positions = [page.index(f'data-kind="{kind}"') for kind in kinds]
    assert positions == sorted(positions)
    assert "Your member access is paused: the re-check by Civil Affairs did not pass." in page
    assert "Civil affairs records show you as married" in page
    assert "Your identity is verified: you are now a member of Queqiao." in page
    assert "Your verification application was not approved." in page
    assert "An administrator will decide on your verification application." in page
    assert 'href="/verify/cases/7"' in page
    assert 'href="/profile/welcome"' in page  # approved: on to 完善资料


def test_an_administrators_reason_is_shown_as_written(app, english):
    user = login_as(app, english)
    add(app, user.id, "verification.rejected", case_id=3, reason="Photo <unclear>")
    page = english.get("/notifications").get_data(as_text=True)
    assert "The administrator's reason: Photo <unclear>" in html.unescape(page)
    assert "<unclear>" not in page


def test_an_unknown_kind_still_shows_something(app, english):
    user = login_as(app, english)
    add(app, user.id, "matching.something_new")
    assert "You have a new notification." in english.get("/notifications").get_data(as_text=True)


def test_only_the_readers_own_notifications_are_listed(app, english):
    other = login_as(app, app.test_client())
    add(app, other.id, "verification.approved", case_id=1)
    login_as(app, english)
    page = english.get("/notifications").get_data(as_text=True)
    assert "No notifications yet." in page
    assert 'data-testid="notification"' not in page


def test_the_header_shows_the_unread_count_and_marking_read_clears_it(app, english):
    user = login_as(app, english)
    assert "count-badge" not in english.get("/").get_data(as_text=True)
    add(app, user.id, "verification.review", case_id=1)
    add(app, user.id, "verification.approved", case_id=1)
    page = english.get("/").get_data(as_text=True)
    assert '<span class="count-badge" aria-hidden="true">2</span>' in page
    assert '<span class="visually-hidden">(2 unread)</span>' in page
    listing = english.get("/notifications").get_data(as_text=True)
    assert listing.count('class="tag">New<') == 2
    response = english.post("/notifications/read")
    assert (response.status_code, response.headers["Location"]) == (302, "/notifications")
    assert unread(app, user.id) == 0
    listing = english.get("/notifications").get_data(as_text=True)
    assert "count-badge" not in listing
    assert 'class="tag">New<' not in listing
    assert "Mark all as read" not in listing


def test_marking_read_touches_only_the_readers_notifications(app, english):
    other = login_as(app, app.test_client())
    add(app, other.id, "verification.approved", case_id=1)
    user = login_as(app, english)
    add(app, user.id, "verification.approved", case_id=2)
    english.post("/notifications/read")
    assert (unread(app, user.id), unread(app, other.id)) == (0, 1)


def test_marking_read_needs_the_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make_user(app)
    token = csrf_token(client.get("/account/signin").get_data(as_text=True))
    signed_in = client.post(
        "/account/signin", data={"phone": user.phone, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    add(app, user.id, "verification.approved", case_id=1)
    assert client.post("/notifications/read").status_code == 400
    assert unread(app, user.id) == 1
    token = csrf_token(client.get("/notifications").get_data(as_text=True))
    assert client.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    assert unread(app, user.id) == 0


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_decision_on_the_application_arrives_as_a_notification(app, english):
    login_as(app, english)
    apply(english, number=id_number(MARRIED))
    page = english.get("/notifications").get_data(as_text=True)
    assert "Your verification application was not approved." in page
    assert "Civil affairs records show you as married" in page
    assert '<span class="visually-hidden">(1 unread)</span>' in page
