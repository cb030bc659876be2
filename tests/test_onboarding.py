"""完善资料: the stepper through profile → photos → values → preferences saves each step
with the profile pages' own views and goes on, "skip" goes on without saving, the last
step lands on the home page, and the home checklist says what was saved."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from PIL import Image

from app.accounts.models import User
from app.extensions import db
from app.profiles.models import MemberPhoto, MemberProfile
from app.profiles.onboarding import STEPS, checklist
from matching.vocabulary import CITIES, QUESTIONS, TAGS
from tests.factories import sign_in_through_session
from tests.quickmatch_helpers import add_members, population


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


@pytest.fixture
def newcomer(app: Flask, client) -> int:
    """A member just approved: verified, no profile yet, signed in."""
    [user_id] = add_members(app, population(5, seed=4)[:1], with_profile=False)
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
    sign_in_through_session(app, client, user)
    return user_id


def jpeg() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 80, 90)).save(data, "JPEG")
    data.seek(0)
    return data


PROFILE = {
    "nickname": "Lin",
    "city": CITIES[0],
    "height_cm": "170",
    "occupation": "Engineer",
    "tags": list(TAGS[:3]),
    "bio": "I like long walks.",
}


def done(app: Flask, user_id: int) -> dict[str, bool]:
    with app.app_context():
        return {item.key: item.done for item in checklist(user_id).items}


def start_link(client) -> str:
    page = client.get("/profile/welcome").get_data(as_text=True)
    return re.search(r'href="([^"]+)" data-testid="start"', page).group(1)


def test_the_welcome_starts_a_newcomer_at_the_first_step(client, newcomer):
    assert start_link(client) == "/profile/welcome/profile"


def test_each_step_saves_and_goes_on_and_the_last_lands_home(app, client, newcomer):
    page = client.get("/profile/welcome/profile").get_data(as_text=True)
    assert 'aria-current="step"' in page and "Step 1 of 4" in page

    response = client.post("/profile/welcome/profile", data=PROFILE)
    assert response.headers["Location"] == "/profile/welcome/photos"
    with app.app_context():
        profile = db.session.get(MemberProfile, newcomer)
        assert (profile.nickname, profile.bio, profile.tags) == (
            "Lin",
            PROFILE["bio"],
            PROFILE["tags"],
        )
    assert done(app, newcomer) == {
        "photo": False,
        "bio": True,
        "tags": True,
        "values": False,
        "preferences": False,
    }

    response = client.post(
        "/profile/welcome/photos",
        data={"photo": (jpeg(), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert response.headers["Location"] == "/profile/welcome/photos"  # room for more
    page = client.get("/profile/welcome/photos").get_data(as_text=True)
    assert 'data-testid="continue"' in page and 'href="/profile/welcome/values"' in page
    with app.app_context():
        assert db.session.query(MemberPhoto).filter_by(user_id=newcomer).count() == 1

    answers = {f"answer_{key}": "4" for key in QUESTIONS} | {
        f"importance_{key}": "2" for key in QUESTIONS
    }
    response = client.post("/profile/welcome/values", data=answers)
    assert response.headers["Location"] == "/profile/welcome/preferences"

    preferences = {"wants_gender": "M", "age_min": "25", "age_max": "35", "min_education": ""}
    response = client.post("/profile/welcome/preferences", data=preferences)
    assert response.headers["Location"] == "/"
    with app.app_context():
        profile = db.session.get(MemberProfile, newcomer)
        assert (profile.wants_gender, profile.age_min, profile.age_max) == ("M", 25, 35)
        assert len(profile.answers) == len(QUESTIONS)
    assert all(done(app, newcomer).values())

    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="checklist" data-done="5" data-total="5"' in home
    assert "Your profile is complete" in home
    assert start_link(client) == "/"  # nothing left to do


def test_skip_goes_on_without_saving(app, client, newcomer):
    links = {}
    for step in STEPS:
        page = client.get(f"/profile/welcome/{step}").get_data(as_text=True)
        links[step] = re.search(r'href="([^"]+)" data-testid="skip"', page).group(1)
    assert links == {
        "profile": "/profile/welcome/photos",
        "photos": "/profile/welcome/values",
        "values": "/profile/welcome/preferences",
        "preferences": "/",
    }
    with app.app_context():
        assert db.session.get(MemberProfile, newcomer) is None
    assert not any(done(app, newcomer).values())


def test_values_and_preferences_ask_for_the_profile_first(client, newcomer):
    for step in ("values", "preferences"):
        page = client.get(f"/profile/welcome/{step}").get_data(as_text=True)
        assert 'data-testid="needs-profile"' in page
        assert client.post(f"/profile/welcome/{step}", data={}).status_code == 400


def test_a_form_error_stays_on_the_step_with_its_message(app, client, newcomer):
    response = client.post("/profile/welcome/profile", data={**PROFILE, "nickname": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a nickname." in page and 'data-step="profile"' in page
    with app.app_context():
        assert db.session.get(MemberProfile, newcomer) is None


def test_an_unknown_step_is_not_found(client, newcomer):
    assert client.get("/profile/welcome/elsewhere").status_code == 404


def test_the_existing_edit_pages_still_save_and_go_to_the_profile(app, client, newcomer):
    response = client.post("/profile/edit", data=PROFILE)
    assert response.headers["Location"] == "/profile/"
    response = client.post(
        "/profile/preferences",
        data={"wants_gender": "F", "age_min": "20", "age_max": "30", "min_education": ""},
    )
    assert response.headers["Location"] == "/profile/"
    assert done(app, newcomer)["preferences"]


def test_the_checklist_rules(app, newcomer):
    with app.app_context():
        db.session.add(
            MemberProfile(
                user_id=newcomer,
                nickname="Lin",
                city=CITIES[0],
                tags=list(TAGS[:2]),  # two interests: not yet
                bio="   ",  # blank: not yet
                answers={key: 3 for key in list(QUESTIONS)[: len(QUESTIONS) // 2]},  # half
                answer_importance={},
                cities=[],
            )
        )
        db.session.commit()
    assert done(app, newcomer) == {
        "photo": False,
        "bio": False,
        "tags": False,
        "values": True,
        "preferences": False,
    }
