"""The public card: what other members see; never a real name or ID number."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import render_template_string
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.profiles.models import MemberProfile
from app.profiles.public import PublicCard, public_card, public_cards
from app.verification.models import Case
from matching.vocabulary import TAGS
from tests.factories import PASSWORD, login_as
from tests.quickmatch_helpers import add_members, population


@pytest.fixture(autouse=True)
def english(app):
    """These tests read the English source strings: English is the default here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def test_card_holds_profile_age_and_degree_badge(app):
    profile = population(1, seed=3)[0]
    (member_id,) = add_members(app, [profile])
    with app.test_request_context():
        card = public_card(member_id, day=date(2026, 11, 28))
        assert isinstance(card, PublicCard) and not card.deleted
        assert card.nickname == f"会员{member_id}"
        assert card.city == profile.city
        born = profile.birth_date
        assert card.age == 2026 - born.year - ((born.month, born.day) > (11, 28))
        if profile.education:
            assert [b.department for b in card.badges] == ["education"]


def test_missing_and_deleted_members_get_a_deleted_card(app):
    (member_id,) = add_members(app, population(1, seed=4))
    with app.test_request_context():
        db.session.get(User, member_id).state = AccountState.deleted
        db.session.commit()
        cards = public_cards([member_id, 999999])
        assert cards[member_id].deleted and cards[member_id].nickname == "deleted user"
        assert cards[999999].deleted


def test_rendered_card_never_shows_real_name_or_id_number(app):
    (member_id,) = add_members(app, population(1, seed=5))
    with app.test_request_context():
        case = db.session.scalar(select(Case).where(Case.user_id == member_id))
        html = render_template_string(
            '{% from "profiles/_card.html" import card %}{{ card(c) }}', c=public_card(member_id)
        )
        assert f"会员{member_id}" in html
        assert "测试" not in html and "测*" not in html
        assert case.id_number_masked not in html and "test-" not in html


def _sign_in(app, client, member_id):
    with app.app_context():
        phone = db.session.get(User, member_id).phone
    response = client.post("/account/signin", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302


def _profile(app, member_id):
    with app.app_context():
        db.session.expire_all()
        profile = db.session.get(MemberProfile, member_id)
        return profile.nickname, profile.tags, profile.bio, profile.city


GOOD = {"nickname": "  小雨  ", "city": "杭州", "height_cm": "165", "tags": [], "bio": "爱生活"}


def test_edit_saves_trimmed_nickname_and_tags(app, client):
    (member_id,) = add_members(app, population(1, seed=6))
    _sign_in(app, client, member_id)
    tags = list(TAGS[:2])
    response = client.post("/profile/edit", data={**GOOD, "tags": tags})
    assert response.status_code == 302
    assert _profile(app, member_id) == ("小雨", tags, "爱生活", "杭州")
    page = client.get("/profile/").get_data(as_text=True)
    assert "小雨" in page and "测试" not in page and "3301**" not in page


def test_bad_inputs_are_refused_and_nothing_changes(app, client):
    (member_id,) = add_members(app, population(1, seed=8))
    _sign_in(app, client, member_id)
    before = _profile(app, member_id)
    cases = [
        ({"bio": "长" * 501}, "The bio has at most 500 characters."),
        ({"tags": ["not-a-tag"]}, "Choose interests from the list."),
        ({"tags": list(TAGS[:9])}, "Choose at most 8 interests."),
        ({"nickname": "x" * 21}, "A nickname has at most 20 characters."),
        ({"nickname": "   "}, "Enter a nickname."),
        ({"height_cm": "300"}, "Height is between 140 and 210 cm."),
    ]
    for change, message in cases:
        response = client.post("/profile/edit", data={**GOOD, **change})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert message in html
        assert _profile(app, member_id) == before
    response = client.post("/profile/edit", data={**GOOD, "bio": "长" * 501})
    assert "长" * 501 in response.get_data(as_text=True)  # the text is kept in the form


def test_forged_verified_field_is_ignored(app, client):
    (member_id,) = add_members(app, population(1, seed=9))
    _sign_in(app, client, member_id)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.user_id == member_id))
        born, gender = case.birth_date, case.gender
    forged = {**GOOD, "birth_date": "1950-01-01", "gender": "X", "age": "99", "degree": "doctorate"}
    assert client.post("/profile/edit", data=forged).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.user_id == member_id))
        assert (case.birth_date, case.gender) == (born, gender)


def _preferences(app, member_id):
    with app.app_context():
        db.session.expire_all()
        p = db.session.get(MemberProfile, member_id)
        return (p.wants_gender, p.age_min, p.age_max, p.cities, p.min_education, p.height_min)


PREFS = {"wants_gender": "F", "age_min": "25", "age_max": "35", "min_education": "3"}


def test_preferences_are_saved(app, client):
    (member_id,) = add_members(app, population(1, seed=10))
    _sign_in(app, client, member_id)
    assert client.get("/profile/preferences").status_code == 200
    data = {**PREFS, "cities": ["杭州", "宁波"], "height_min": "160", "height_max": "180"}
    assert client.post("/profile/preferences", data=data).status_code == 302
    assert _preferences(app, member_id) == ("F", 25, 35, ["杭州", "宁波"], 3, 160)


def test_bad_preferences_are_refused_per_field(app, client):
    (member_id,) = add_members(app, population(1, seed=11))
    _sign_in(app, client, member_id)
    before = _preferences(app, member_id)
    cases = [
        ({"age_min": "40", "age_max": "30"}, "The oldest age cannot be below the youngest."),
        ({"age_min": "17"}, "Enter an age from 18 to 60."),
        ({"height_min": "180", "height_max": "170"}, "The tallest height cannot be below"),
        ({"cities": ["Atlantis"]}, "Choose cities from the list."),
    ]
    for change, message in cases:
        response = client.post("/profile/preferences", data={**PREFS, **change})
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True)
        assert _preferences(app, member_id) == before


def test_preferences_without_a_profile_ask_for_the_profile_first(app, client):
    member_id = login_as(app, client, "member").id
    message = "Fill in your profile first"
    assert message in client.get("/profile/preferences").get_data(as_text=True)
    response = client.post("/profile/preferences", data=PREFS)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MemberProfile, member_id) is None


def _values(app, member_id):
    with app.app_context():
        db.session.expire_all()
        profile = db.session.get(MemberProfile, member_id)
        return dict(profile.answers), dict(profile.answer_importance)


def test_values_questionnaire_saves_answers_and_skips(app, client):
    (member_id,) = add_members(app, population(1, seed=12))
    _sign_in(app, client, member_id)
    page = client.get("/profile/values").get_data(as_text=True)
    assert "Do you want children one day?" in page
    data = {"answer_kids": "5", "importance_kids": "3", "answer_smoking": "1"}
    data["importance_smoking"] = "2"
    for key in ("city_move", "saving", "family_time", "pets", "religion_importance"):
        data[f"answer_{key}"] = ""  # skipped
        data[f"importance_{key}"] = "1"
    data |= {"answer_career_first": "", "importance_career_first": "0"}
    assert client.post("/profile/values", data=data).status_code == 302
    assert _values(app, member_id) == ({"kids": 5, "smoking": 1}, {"kids": 3, "smoking": 2})
    # The page shows what was saved.
    page = client.get("/profile/values").get_data(as_text=True)
    assert re.search(r'<input type="radio" name="answer_kids" value="5"[^>]* checked>', page)
    assert re.search(r'<input type="radio" name="importance_smoking" value="2"[^>]* checked>', page)
    # A skipped question shows "skip" chosen.
    assert re.search(r'<input type="radio" name="answer_pets" value=""[^>]* checked>', page)


def test_values_forged_choices_are_refused_and_nothing_changes(app, client):
    (member_id,) = add_members(app, population(1, seed=13))
    _sign_in(app, client, member_id)
    before = _values(app, member_id)
    for forged in ({"answer_kids": "9"}, {"importance_kids": "7"}, {"answer_kids": "x"}):
        response = client.post("/profile/values", data=forged)
        assert response.status_code == 400, forged
        assert "Not a valid choice" in response.get_data(as_text=True)
        assert _values(app, member_id) == before


def test_values_without_a_profile_ask_for_the_profile_first(app, client):
    member_id = login_as(app, client, "member").id
    response = client.post("/profile/values", data={"answer_kids": "3"})
    assert response.status_code == 400
    assert "Fill in your profile first" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MemberProfile, member_id) is None
