"""The public card: what other members see; never a real name or ID number."""

from __future__ import annotations

from datetime import date

from flask import render_template_string
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.profiles.public import PublicCard, public_card, public_cards
from tests.quickmatch_helpers import add_members, population
from verification.models import Case


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
