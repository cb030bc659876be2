"""The factories make what they say: a user of each kind, and a verified member with a
profile in one line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AccountState, Role, User
from app.extensions import db
from app.profiles.models import MemberProfile
from app.verification.models import Case, CaseState, VerifiedFact
from tests.factories import ROLES, make_member, make_user


@pytest.mark.parametrize("kind", sorted(ROLES))
def test_make_user_makes_each_kind(app, kind):
    user = make_user(app, kind)
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert (stored.role, stored.state) == (ROLES[kind]["role"], ROLES[kind]["state"])


def test_make_member_is_a_verified_member_with_a_profile(app):
    member = make_member(app)
    assert (member.role, member.state) == (Role.member, AccountState.member)
    with app.app_context():
        assert db.session.get(MemberProfile, member.id) is not None
        [case] = db.session.scalars(select(Case).where(Case.user_id == member.id))
        assert case.state is CaseState.approved
        facts = db.session.scalars(select(VerifiedFact).where(VerifiedFact.user_id == member.id))
        assert [fact.case_id for fact in facts] == [case.id]
