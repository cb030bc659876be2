"""Today (每日速配) over HTTP: the day's cards with the compatibility figure and the
reasons, like and pass with one tap, see you tomorrow, the bad inputs, and the page
before the day's batch. The first list of a member ready after the batch:
``test_today_first_list.py``."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.notifications.models import Notification
from app.quickmatch.models import DailyList, DailySuggestion, Reaction, ReactionKind
from app.quickmatch.settings import Settings
from app.relations.models import Block, Match
from tests.factories import PASSWORD
from tests.quickmatch_helpers import add_members, population

REASONS = [
    {"code": "shared_tags", "params": {"tags": ["旅行", "咖啡"]}},
    {"code": "same_city", "params": {"city": "杭州"}},
]


def today_of(app: Flask) -> date:
    """Today in ``QUICKMATCH_TIMEZONE``: the day whose list the page shows."""
    with app.app_context():
        return Settings.from_config(app.config).today()


def suggest(app: Flask, viewer: int, candidates: list[int], day: date | None = None) -> None:
    """Write the viewer's list for the day as the batch does: ``candidates`` ranked in
    order, and the list's ``DailyList`` row."""
    day = day or today_of(app)
    with app.app_context():
        db.session.add(DailyList(day=day, member_id=viewer, size=len(candidates)))
        for rank, candidate in enumerate(candidates, start=1):
            db.session.add(
                DailySuggestion(
                    day=day,
                    viewer_id=viewer,
                    candidate_id=candidate,
                    rank=rank,
                    score=0.873 - rank / 100,
                    reasons=REASONS,
                )
            )
        db.session.commit()


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def sign_in(
    app: Flask, client: FlaskClient, user_id: int, lang: str = "en", password: str = PASSWORD
) -> None:
    client.set_cookie("lang", lang)
    with app.app_context():
        phone = db.session.get(User, user_id).phone
    data = {"phone": phone, "password": password}
    if app.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_token(client, "/account/signin")
    response = client.post("/account/signin", data=data)
    assert response.status_code == 302


def counts(app: Flask) -> tuple[int, int, int]:
    """(reactions, matches, notifications) in the database."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Reaction, Match, Notification)
        )


@pytest.fixture
def people(app: Flask) -> list[int]:
    return add_members(app, population(40, seed=3))


@pytest.fixture
def viewer(app: Flask, client: FlaskClient, people: list[int]) -> int:
    """The first member, signed in, with the next three on today's list."""
    suggest(app, people[0], people[1:4])
    sign_in(app, client, people[0])
    return people[0]


def nicknames(ids: list[int]) -> list[str]:
    return [f"会员{i}" for i in ids]  # add_members names them so


def test_the_page_lists_todays_cards_with_the_figure_and_the_reasons(client, people, viewer):
    response = client.get("/today/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('data-testid="today-card"') == 3
    first, second, third = nicknames(people[1:4])
    assert page.index(first) < page.index(second) < page.index(third)  # by rank
    assert "86%" in page and "85%" in page  # 0.863 and 0.853
    assert "You both like travel and coffee" in page
    assert "Both in Hangzhou" in page
    assert f'action="/today/{people[1]}/like"' in page
    assert f'action="/today/{people[1]}/pass"' in page


def test_the_reasons_are_in_the_readers_language(app, client, people):
    suggest(app, people[0], people[1:2])
    sign_in(app, client, people[0], lang="zh_CN")
    page = client.get("/today/").get_data(as_text=True)
    assert "都喜欢旅行、咖啡" in page
    assert "同在杭州" in page


def test_a_like_is_stored_and_the_card_leaves_the_list(app, client, people, viewer):
    response = client.post(f"/today/{people[1]}/like")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"You liked {nicknames(people[1:2])[0]}" in page
    assert f'id="candidate-{people[1]}"' not in page
    assert page.count('data-testid="today-card"') == 2
    with app.app_context():
        [reaction] = db.session.scalars(select(Reaction)).all()
        assert (reaction.from_id, reaction.to_id, reaction.kind) == (
            viewer,
            people[1],
            ReactionKind.like,
        )
        assert reaction.day == today_of(app)


def test_a_pass_is_stored(app, client, people, viewer):
    response = client.post(f"/today/{people[2]}/pass")
    assert response.status_code == 302
    with app.app_context():
        kinds = db.session.execute(select(Reaction.to_id, Reaction.kind)).all()
    assert kinds == [(people[2], ReactionKind.pass_)]


def test_script_clients_get_json(app, client, people, viewer):
    response = client.post(f"/today/{people[1]}/like", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json["matched"] is False
    assert nicknames(people[1:2])[0] in response.json["message"]
    again = client.post(f"/today/{people[1]}/like", headers={"Accept": "application/json"})
    assert again.status_code == 409
    assert again.json["error"] == "You already liked this person today."
    stranger = client.post(f"/today/{people[5]}/like", headers={"Accept": "application/json"})
    assert stranger.status_code == 404
    assert stranger.json == {"error": "This person is not on your list for today."}
    assert counts(app) == (1, 0, 0)


def test_when_all_are_answered_see_you_tomorrow_with_the_next_batch_time(
    app, client, people, viewer
):
    for candidate in people[1:4]:
        assert client.post(f"/today/{candidate}/pass").status_code == 302
    page = client.get("/today/").get_data(as_text=True)
    assert 'data-testid="today-done"' in page
    assert "See you tomorrow!" in page
    assert "Your next suggestions arrive at 05:00" in page  # QUICKMATCH_HOUR in the zone
    assert 'data-testid="today-card"' not in page


def test_the_next_batch_follows_the_quickmatch_hour_in_its_zone():
    settings = Settings(k=8, repeat_window_days=30, hour=5, timezone="Asia/Shanghai", shards=1)
    early = datetime.fromisoformat("2026-03-09T20:59:00+00:00")  # 04:59 in Shanghai
    later = datetime.fromisoformat("2026-03-10T05:00:00+08:00")
    assert settings.next_batch(early) == datetime.fromisoformat("2026-03-10T05:00:00+08:00")
    assert settings.next_batch(later) == datetime.fromisoformat("2026-03-11T05:00:00+08:00")


# -- bad input: a 4xx with a message, nothing written ------------------------------------


def test_liking_someone_not_on_todays_list_is_a_404_and_writes_nothing(app, client, people, viewer):
    before = counts(app)
    response = client.post(f"/today/{people[5]}/like")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "This person is not on your list for today." in page
    assert nicknames(people[5:6])[0] not in page  # nothing about them leaks
    assert counts(app) == before


def test_a_candidate_of_another_day_is_not_on_todays_list(app, client, people, viewer):
    suggest(app, viewer, [people[6]], day=date(2020, 1, 1))
    response = client.post(f"/today/{people[6]}/like")
    assert response.status_code == 404
    assert counts(app) == (0, 0, 0)


def test_another_members_list_gives_nothing(app, client, people, viewer):
    # people[7] is on people[8]'s list, not the viewer's; and ids that are no member.
    suggest(app, people[8], [people[7]])
    for path in (f"/today/{people[7]}/like", "/today/999999/pass", f"/today/{viewer}/like"):
        response = client.post(path)
        assert response.status_code == 404, path
    assert counts(app) == (0, 0, 0)


def test_a_replayed_like_is_a_409_and_changes_nothing(app, client, people, viewer):
    assert client.post(f"/today/{people[1]}/like").status_code == 302
    before = counts(app)
    response = client.post(f"/today/{people[1]}/like")
    assert response.status_code == 409
    assert "You already liked this person today." in response.get_data(as_text=True)
    assert counts(app) == before == (1, 0, 0)


def test_a_like_after_a_pass_the_same_day_keeps_the_first_answer(app, client, people, viewer):
    assert client.post(f"/today/{people[1]}/pass").status_code == 302
    response = client.post(f"/today/{people[1]}/like")
    assert response.status_code == 409
    assert "your first answer stands" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Reaction.kind)).all() == [ReactionKind.pass_]


def test_an_unknown_answer_is_not_a_route(app, client, people, viewer):
    assert client.post(f"/today/{people[1]}/superlike").status_code == 404
    assert client.get(f"/today/{people[1]}/like").status_code == 405
    assert counts(app) == (0, 0, 0)


def test_without_the_csrf_token_nothing_is_written(app, app_factory, people):
    strict = app_factory(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    suggest(strict, people[0], people[1:2])
    sign_in(strict, client, people[0])
    assert csrf_token(client, "/today/")  # the page's forms carry it
    response = client.post(f"/today/{people[1]}/like")
    assert response.status_code == 400
    assert counts(strict) == (0, 0, 0)


def test_a_blocked_candidate_is_hidden_and_cannot_be_liked(app, client, people, viewer):
    with app.app_context():
        db.session.add(Block(blocker_id=people[2], blocked_id=viewer))  # either way
        db.session.commit()
    page = client.get("/today/").get_data(as_text=True)
    assert f'id="candidate-{people[2]}"' not in page
    assert page.count('data-testid="today-card"') == 2
    response = client.post(f"/today/{people[2]}/like")
    assert response.status_code == 404
    assert counts(app) == (0, 0, 0)


def test_a_suspended_candidate_is_hidden_and_cannot_be_liked(app, client, people, viewer):
    with app.app_context():
        db.session.get(User, people[3]).state = AccountState.suspended
        db.session.commit()
    page = client.get("/today/").get_data(as_text=True)
    assert f'id="candidate-{people[3]}"' not in page
    assert client.post(f"/today/{people[3]}/like").status_code == 404
    assert counts(app) == (0, 0, 0)


# -- before the day's batch -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "said"),
    [
        ("2026-03-10T04:30:00+08:00", "Today’s suggestions arrive at 05:00"),
        ("2026-03-10T05:01:00+08:00", "Today’s suggestions are being prepared."),
    ],
)
def test_before_the_days_batch_has_written_the_page_says_when(
    app, client, people, monkeypatch, now, said
):
    moment = datetime.fromisoformat(now)
    monkeypatch.setattr(Settings, "today", lambda self, now=None: moment.date())
    original = Settings.next_batch
    monkeypatch.setattr(Settings, "next_batch", lambda self, now=None: original(self, moment))
    suggest(app, people[1], people[2:3], day=moment.date() - timedelta(days=1))  # yesterday's
    sign_in(app, client, people[0])
    page = client.get("/today/").get_data(as_text=True)
    assert 'data-testid="today-preparing"' in page
    assert said in page
    assert counts(app) == (0, 0, 0)
    with app.app_context():  # nothing computed on demand before the batch
        assert db.session.scalar(select(func.count()).select_from(DailySuggestion)) == 1


def test_a_member_without_a_profile_is_asked_for_one(app, client):
    from tests.factories import login_as

    client.set_cookie("lang", "en")
    login_as(app, client, "member")
    page = client.get("/today/").get_data(as_text=True)
    assert "Fill in your profile first" in page
    assert 'href="/profile/edit"' in page
