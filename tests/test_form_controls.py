"""Phone-fit form controls over native inputs (app/templates/_forms.html): interests and
cities as toggle chips, the age and height ranges as paired sliders with visible values,
the values questionnaire with each question printed once and grouped one screen a group,
the consultation rating as stars; and the forms whose button shows it is working."""

from __future__ import annotations

import re

import pytest

from app.consult.models import ConsultationState
from app.extensions import db
from app.profiles.forms import QUESTION_GROUPS, QUESTION_TEXT
from app.profiles.models import MemberProfile
from matching.vocabulary import CITIES, QUESTIONS, TAGS
from tests.consult_helpers import add_consultation, sign_in, user_ids
from tests.factories import login_as
from tests.quickmatch_helpers import add_members, population


@pytest.fixture(autouse=True)
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def _member(app, client, seed: int = 31) -> int:
    (member_id,) = add_members(app, population(1, seed=seed))
    sign_in(app, client, member_id)
    return member_id


def _checked(page: str, name: str) -> list[str]:
    """The values of the checked native inputs called ``name``."""
    inputs = re.findall(
        rf'<input type="(?:checkbox|radio)" name="{name}" value="([^"]*)"[^>]*>', page
    )
    tags = re.findall(rf'<input type="(?:checkbox|radio)" name="{name}" [^>]*>', page)
    return [value for value, tag in zip(inputs, tags, strict=True) if " checked" in tag]


def test_interests_and_city_are_toggle_chips_over_native_inputs(app, client):
    member_id = _member(app, client)
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        tags, city = list(profile.tags), profile.city
    page = client.get("/profile/edit").get_data(as_text=True)
    assert "<select" not in page.split('id="tags"')[1].split("</fieldset>")[0]
    assert page.count('<label class="chip-toggle"><input type="checkbox" name="tags"') == len(TAGS)
    assert page.count('<label class="chip-toggle"><input type="radio" name="city"') == len(CITIES)
    assert sorted(_checked(page, "tags")) == sorted(tags)
    assert _checked(page, "city") == [city]
    # How many are chosen of the 8 allowed: shown by the script, worded by the server.
    assert 'data-template="{chosen} of {max} chosen"' in page
    # Each chip group is a fieldset named by its legend (the screen reader's group name).
    assert re.search(
        r'<fieldset class="field chip-field" id="tags"[^>]*>\s*<legend>Interests</legend>', page
    )

    data = {"nickname": "晓雨", "city": "宁波", "tags": ["旅行", "咖啡"], "bio": "你好"}
    assert client.post("/profile/edit", data=data).status_code == 302
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        assert (profile.city, profile.tags) == ("宁波", ["旅行", "咖啡"])


def test_a_radio_chip_group_with_nothing_chosen_sends_its_first_choice(app, client):
    """As a select shows and sends its first option: a member with no wish saved yet
    still sends a valid form."""
    member_id = _member(app, client, seed=32)
    with app.app_context():
        db.session.get(MemberProfile, member_id).wants_gender = None
        db.session.commit()
    page = client.get("/profile/preferences").get_data(as_text=True)
    assert _checked(page, "wants_gender") == ["F"]


def test_age_and_height_are_paired_sliders_with_visible_values(app, client):
    member_id = _member(app, client, seed=33)
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        profile.age_min, profile.age_max, profile.height_min, profile.height_max = 24, 31, 165, None
        db.session.commit()
    page = client.get("/profile/preferences").get_data(as_text=True)
    for name, value in (("age_min", 24), ("age_max", 31), ("height_min", 165), ("height_max", 210)):
        tag = re.search(rf'<input type="range"[^>]* name="{name}"[^>]*>', page).group(0)
        assert f'value="{value}"' in tag, tag
        assert "aria-label=" in tag  # "Youngest age" ...: each slider is named
    assert '<output for="age_min" data-role="low-output">24</output>' in page
    assert '<output for="age_max" data-role="high-output">31</output>' in page
    assert '<output for="height_max" data-role="high-output">Any</output>' in page  # no limit
    assert page.count('class="range-pair"') == 2


def test_the_height_sliders_ends_mean_no_limit(app, client):
    """A lowest height of 140 would leave out members who gave none: the ends are kept
    as no limit. The server's checks are those of before (order, bounds)."""
    member_id = _member(app, client, seed=34)
    data = {"wants_gender": "F", "age_min": "25", "age_max": "35", "min_education": ""}
    response = client.post(
        "/profile/preferences", data={**data, "height_min": "140", "height_max": "210"}
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        assert (profile.height_min, profile.height_max) == (None, None)
    response = client.post(
        "/profile/preferences", data={**data, "height_min": "160", "height_max": "185"}
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        assert (profile.height_min, profile.height_max) == (160, 185)
    bad = client.post(
        "/profile/preferences", data={**data, "height_min": "190", "height_max": "170"}
    )
    assert bad.status_code == 400
    assert "The tallest height cannot be below the shortest." in bad.get_data(as_text=True)


def test_every_question_is_in_one_group():
    keys = [key for _, _, group in QUESTION_GROUPS for key in group]
    assert sorted(keys) == sorted(QUESTIONS) and len(keys) == len(set(keys))


def test_the_values_page_prints_each_question_once_in_groups(app, client):
    _member(app, client, seed=35)
    page = client.get("/profile/values").get_data(as_text=True)
    for key, text in QUESTION_TEXT.items():
        assert page.count(str(text)) == 1, key
        # ... as the legend of its own fieldset, with the answers as a segmented group.
        block = page.split(f'data-testid="question-{key}"')[1].split("</fieldset>\n")[0]
        assert f'<legend class="question__text">{text}</legend>' in block
        assert block.count(f'type="radio" name="answer_{key}"') == 6  # skip, 1 .. 5
    assert "<select" not in page
    sections = re.findall(r'<section class="values-group" id="values-(\w+)"', page)
    assert sections == [name for name, _, _ in QUESTION_GROUPS]
    assert "Part 1 of 3" in page and "Family" in page
    # The stepper's buttons are hidden until the script shows them: without it every
    # group is on the page, with one Save.
    assert page.count('data-role="nav" hidden') == len(QUESTION_GROUPS)


def test_a_question_sent_without_an_answer_is_skipped(app, client):
    """A radio group with nothing ticked sends nothing: that question is skipped."""
    member_id = _member(app, client, seed=36)
    response = client.post("/profile/values", data={"answer_kids": "4", "importance_kids": "2"})
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(MemberProfile, member_id)
        assert profile.answers == {"kids": 4}
        assert profile.answer_importance == {"kids": 2}


def test_the_rating_is_five_labelled_stars(app, client):
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    with app.app_context():
        cid = add_consultation(member, matchmaker, state=ConsultationState.resolved).id
        db.session.commit()
    sign_in(app, client, member)
    page = client.get(f"/consultations/{cid}").get_data(as_text=True)
    stars = page.split('<div class="stars">')[1].split("</div>")[0]
    assert stars.count('type="radio" name="rating"') == 5
    labels = re.findall(r'<span class="visually-hidden">([^<]+)</span></label>', stars)
    assert labels == ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    assert 'aria-hidden="true"' in stars  # the drawn star is decoration; the label names it

    client.get("/")  # the Chinese labels: "1 星" … "5 星"
    client.set_cookie("lang", "zh_CN")
    page = client.get(f"/consultations/{cid}").get_data(as_text=True)
    labels = re.findall(r'<span class="visually-hidden">(\d 星)</span></label>', page)
    assert labels == ["1 星", "2 星", "3 星", "4 星", "5 星"]


@pytest.mark.parametrize("path", ["/verify/apply"])
def test_the_application_form_shows_it_is_working(app, client, path):
    login_as(app, client)
    page = client.get(path).get_data(as_text=True)
    assert re.search(
        r'<form method="post" action="/verify/apply" novalidate data-busy-label="[^"]+">', page
    )


def test_the_profile_forms_show_they_are_working(app, client):
    _member(app, client, seed=37)
    for path in ("/profile/edit", "/profile/preferences", "/profile/values"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-busy-label="Saving…"' in page, path
