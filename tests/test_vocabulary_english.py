"""The vocabulary in English: cities, interest tags and the matcher's reasons read in the
reader's language (app/profiles/vocabulary_labels.py); Chinese shows the stored words as
before, and the stored values do not change."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh
from sqlalchemy import update

from app.extensions import db
from app.profiles import vocabulary_labels as labels
from app.profiles.models import MemberProfile
from matching.vocabulary import CITIES, TAGS
from tests.factories import sign_in_through_session
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import suggest

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def reader(app):
    """Push a request in a language: ``reader("en")``."""
    pushed = []

    def push(language: str) -> None:
        context = app.test_request_context("/", headers={"Cookie": f"lang={language}"})
        context.push()
        refresh()
        pushed.append(context)

    yield push
    for context in reversed(pushed):
        context.pop()


def test_every_city_and_tag_has_an_english_label_translated_back_to_itself(reader):
    assert set(labels.CITY_LABELS) == set(CITIES)
    assert set(labels.TAG_LABELS) == set(TAGS)
    reader("en")
    for word in (*CITIES, *TAGS):
        label = labels.city_label(word) if word in CITIES else labels.tag_label(word)
        assert label and not CJK.search(label), word
    reader("zh_CN")
    assert [labels.city_label(c) for c in CITIES] == list(CITIES)
    assert [labels.tag_label(t) for t in TAGS] == list(TAGS)


def test_an_unknown_word_is_shown_as_it_is(reader):
    reader("en")
    assert labels.tag_label("古筝") == "古筝"
    assert labels.city_label(None) == ""


def test_the_reasons_name_tags_and_cities_in_the_readers_language(reader):
    tags = {"code": "shared_tags", "params": {"tags": ["旅行", "摄影"]}}
    city = {"code": "same_city", "params": {"city": "杭州"}}
    reader("en")
    assert labels.reason_text(tags) == "You both like travel and photography"
    assert labels.reason_text(city) == "Both in Hangzhou"
    assert labels.reason_text("一句旧的理由") == "一句旧的理由"  # an older row
    reader("zh_CN")
    assert labels.reason_text(tags) == "都喜欢旅行、摄影"
    assert labels.reason_text(city) == "同在杭州"


def test_form_choices_keep_the_stored_values_and_label_them(reader):
    from app.events.forms import FilterForm
    from app.profiles.forms import ProfileForm

    reader("en")
    form = ProfileForm()
    assert [choice.value for choice in form.city.choices] == list(CITIES)
    assert str(form.city.choices[0].label) == "Hangzhou"
    assert {c.value: str(c.label) for c in form.tags.choices}["旅行"] == "travel"
    assert {c.value: str(c.label) for c in FilterForm().city.choices}["宁波"] == "Ningbo"


def _main(html: str) -> str:
    """The visible text of the page's main content (the language switch says 中文)."""
    body = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _in_english(app, member_ids: list[int]) -> None:
    """Members whose own words are English, so only vocabulary could be Chinese."""
    with app.app_context():
        for member_id in member_ids:
            db.session.execute(
                update(MemberProfile)
                .where(MemberProfile.user_id == member_id)
                .values(
                    nickname=f"Member {member_id}",
                    bio="Hello",
                    city="杭州",
                    tags=["旅行", "咖啡", "围棋"],
                    occupation="Engineer",
                )
            )
        db.session.commit()


def test_a_profile_page_and_todays_cards_in_english_show_no_chinese_vocabulary(app):
    people = add_members(app, population(12, seed=3))
    viewer, shown = people[0], people[1:4]
    _in_english(app, people[:4])
    suggest(app, viewer, shown)
    client = app.test_client()
    client.set_cookie("lang", "en")
    with app.app_context():
        from app.accounts.models import User

        user = db.session.get(User, viewer)
        db.session.expunge(user)
    sign_in_through_session(app, client, user)

    profile = client.get("/profile/")
    assert profile.status_code == 200
    text = _main(profile.get_data(as_text=True))
    assert "Hangzhou" in text and "travel" in text and "weiqi (Go)" in text
    assert CJK.findall(text) == []

    today = client.get("/today/")
    assert today.status_code == 200
    text = _main(today.get_data(as_text=True))
    assert "You both like travel and coffee" in text
    assert "Both in Hangzhou" in text
    assert CJK.findall(text) == []


def test_my_data_names_the_city_and_tags_in_english(app):
    [member_id] = add_members(app, population(1, seed=5))
    _in_english(app, [member_id])
    client = app.test_client()
    client.set_cookie("lang", "en")
    with app.app_context():
        from app.accounts.models import User

        user = db.session.get(User, member_id)
        db.session.expunge(user)
    sign_in_through_session(app, client, user)
    text = _main(client.get("/me/data/").get_data(as_text=True))
    assert "Hangzhou" in text and "travel, coffee, weiqi (Go)" in text
    assert not re.search("杭州|旅行|咖啡|围棋", text)
