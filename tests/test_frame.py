"""The members' app frame (base.html): the app bar, the tab bar for members (side nav
from 900 px, in CSS), the simpler bar for everyone else, and the Me page (/me)."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string

from app.extensions import db
from app.lounge.models import Message
from app.relations.models import Match
from tests.factories import make_member, make_user, sign_in_through_session

TABS = ["/today/", "/lounge/", "/events/", "/school/", "/me"]


def signed_in(app, kind):
    user = make_member(app) if kind == "member+profile" else make_user(app, kind)
    client = app.test_client()
    sign_in_through_session(app, client, user)
    return client, user


def tab_bar(page: str) -> str | None:
    found = re.search(r'<nav class="tab-bar".*?</nav>', page, re.S)
    return found.group(0) if found else None


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_a_member_gets_the_five_tabs_with_the_current_one_marked(app):
    client, _ = signed_in(app, "member+profile")
    for path in TABS:
        page = client.get(path).get_data(as_text=True)
        bar = tab_bar(page)
        assert bar is not None, path
        assert [h for h in hrefs(bar) if h != "/"] == TABS
        current = re.findall(
            r'<a class="tab-bar__item" href="([^"]+)"[^>]*aria-current="page"', bar
        )
        assert current == [path], (path, current)
        assert 'class="has-tab-bar"' in page


def test_the_lounge_tab_counts_the_unread_messages(app):
    client, member = signed_in(app, "member+profile")
    other = make_member(app, seed=11)
    with app.app_context():
        match = Match(user_a_id=member.id, user_b_id=other.id)
        db.session.add(match)
        db.session.flush()
        for body in ("你好", "在吗", "周末有空吗"):
            db.session.add(Message(match_id=match.id, sender_id=other.id, body=body))
        db.session.add(Message(match_id=match.id, sender_id=member.id, body="嗨"))  # mine
        db.session.commit()
    bar = tab_bar(client.get("/me").get_data(as_text=True))
    lounge = re.search(r'<a class="tab-bar__item" href="/lounge/".*?</a>', bar, re.S).group(0)
    assert '<span class="badge tab-bar__badge" aria-hidden="true">3</span>' in lounge
    assert re.search(r'<span class="visually-hidden">[^<]*3[^<]*</span>', lounge)  # spoken
    with app.app_context():
        db.session.execute(db.update(Message).values(read_at=db.func.now()))
        db.session.commit()
    bar = tab_bar(client.get("/me").get_data(as_text=True))
    assert "tab-bar__badge" not in bar


@pytest.mark.parametrize("kind", ["registered", "verifying"])
def test_a_signed_in_non_member_gets_no_tabs_but_the_bell_and_me(app, kind):
    client, _ = signed_in(app, kind)
    page = client.get("/").get_data(as_text=True)
    assert tab_bar(page) is None
    bar = re.search(r'<header class="site-header">.*?</header>', page, re.S).group(0)
    assert 'data-testid="nav-notifications"' in bar
    assert 'href="/me"' in bar
    assert "/today" not in page and "/lounge/" not in bar
    assert 'class="no-tab-bar"' in page


def test_a_matchmaker_who_is_not_a_member_keeps_the_console_and_me_only(app):
    client, _ = signed_in(app, "matchmaker")
    page = client.get("/me").get_data(as_text=True)
    assert tab_bar(page) is None
    assert 'href="/console/"' in page
    assert 'data-testid="me-console"' in page
    assert "/profile/" not in page  # no invitation to a dating profile


def test_an_administrator_finds_administration_in_the_bar_and_in_me(app):
    client, _ = signed_in(app, "admin")
    page = client.get("/me").get_data(as_text=True)
    assert tab_bar(page) is None
    assert 'data-testid="me-admin"' in page and 'href="/admin/reviews"' in page
    assert "/profile/" not in page


def test_a_visitor_gets_the_logo_sign_in_and_sign_up(client):
    page = client.get("/").get_data(as_text=True)
    bar = re.search(r'<header class="site-header">.*?</header>', page, re.S).group(0)
    assert tab_bar(page) is None
    assert 'href="/account/signin"' in bar and 'href="/account/signup"' in bar
    assert 'class="brand"' in bar and "brand__logo" in bar
    assert client.get("/me").status_code == 302


def test_the_app_bar_shows_the_title_and_a_back_control_when_the_page_sets_one(app):
    client, member = signed_in(app, "member+profile")
    page = client.get("/me").get_data(as_text=True)
    assert re.search(r'<p class="app-bar__title">\s*我的\s*</p>', page)
    assert "app-bar__back" not in page  # a tab root
    template = (
        '{% extends "base.html" %}{% block title %}对话{% endblock %}'
        "{% block app_bar_title %}小雨{% endblock %}"
        "{% block back %}{{ url_for('lounge.index') }}{% endblock %}"
        "{% block content %}<p>正文</p>{% endblock %}"
    )
    with app.test_request_context():
        from flask_login import login_user

        from app.accounts.models import User

        login_user(db.session.get(User, member.id))
        inner = render_template_string(template)
    back = re.search(r'<a class="app-bar__back" href="([^"]+)"[^>]*>(.*?)</a>', inner, re.S)
    assert back and back.group(1) == "/lounge/"
    assert 'role="img"' in back.group(2) and "<title>返回</title>" in back.group(2)
    assert re.search(r'<p class="app-bar__title">小雨</p>', inner)
    assert "<title>对话 · 鹊桥</title>" in inner
    assert inner.count("/lounge/") >= 2 and "正文" in inner


def test_me_shows_the_members_card_and_every_entry(app):
    client, member = signed_in(app, "member+profile")
    page = client.get("/me").get_data(as_text=True)
    card = re.search(r'data-testid="me-card">.*?</section>', page, re.S).group(0)
    assert member.masked_phone in card and member.phone[-8:-4] not in card
    links = hrefs(page)
    for url in (
        "/profile/",
        "/profile/photos",
        "/profile/values",
        "/profile/preferences",
        "/notifications",
        "/me/data/",
        "/account/",
        "/consultations/",
    ):
        assert url in links, url
    for endpoint, url in (("main.terms", "/terms"), ("main.privacy_policy", "/privacy-policy")):
        if endpoint in app.view_functions:
            assert any(h.startswith(url) for h in links), url
    signout = re.search(
        r'<form method="post" action="/account/signout" class="me-signout">.*?</form>', page, re.S
    )
    assert signout and 'name="csrf_token"' in signout.group(0)
    assert 'action="/language"' in page
    assert "/admin/" not in page and "/console/" not in page


def test_me_for_an_applicant_leads_to_verification_not_to_a_profile(app):
    client, user = signed_in(app, "registered")
    page = client.get("/me").get_data(as_text=True)
    assert user.masked_phone in page
    assert 'href="/verify/"' in page
    assert "/profile/" not in page and "/consultations/" not in page


def test_inner_pages_lead_back_to_their_section_unless_they_say(app):
    client, _ = signed_in(app, "member+profile")
    for path, parent in (
        ("/profile/values", "/profile/"),
        ("/profile/", "/me"),
        ("/account/", "/me"),
        ("/notifications", "/me"),
    ):
        page = client.get(path).get_data(as_text=True)
        back = re.search(r'<a class="app-bar__back" href="([^"]+)"', page)
        assert back and back.group(1) == parent, (path, back and back.group(1))
    for root in TABS:
        assert "app-bar__back" not in client.get(root).get_data(as_text=True), root
