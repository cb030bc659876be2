"""``flask demo seed`` shows quick match with realistic data: profiles for the demo
members, synthetic verified members around them, today's suggestions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import AccountState, User
from app.demo import is_synthetic_phone, synthetic_phone
from app.extensions import db
from app.profiles.demo import DEMO_PROFILES
from app.profiles.loader import load_profiles
from app.profiles.models import MemberProfile
from app.quickmatch.demo import SYNTHETIC_MEMBERS
from app.quickmatch.settings import Settings
from app.verification import runtime
from app.verification.models import Case, CaseState, Check, CheckState, VerifiedFact
from matching.metrics import eligible
from tests.quickmatch_helpers import lists_by_viewer, suggestion_rows
from verification import resident_id


@pytest.fixture
def seeded(demo_app, demo_template):
    """This test's copy of the demo, seeded once per worker, and what the seeding printed."""
    assert demo_template.result.exit_code == 0, demo_template.result.output
    return demo_app, demo_template.result


def test_the_demo_members_have_profiles_and_suggestions_for_today(seeded):
    app, result = seeded
    today = Settings.from_config(app.config).today()
    with app.app_context():
        members = dict(
            db.session.execute(
                select(User.phone, User.id).where(User.phone.in_(DEMO_PROFILES))
            ).all()
        )
        profiles = {p.id: p for p in load_profiles()}
    assert set(members.values()) <= set(profiles)
    # The named demo members, the one mid-onboarding (完善资料) and the synthetic ones.
    assert len(profiles) == len(DEMO_PROFILES) + 1 + SYNTHETIC_MEMBERS
    # Gender and birth date from their real-name applications.
    assert profiles[members["+8613800000011"]].gender == "M"
    assert profiles[members["+8613800000012"]].gender == "F"
    lists = lists_by_viewer(suggestion_rows(app, today))
    for phone, user_id in members.items():
        assert lists.get(user_id), f"{phone} got no suggestions"
    # Everyone with an eligible candidate among the demo population got a list.
    assert set(lists) == {
        a.id for a in profiles.values() if any(eligible(a, b, today) for b in profiles.values())
    }
    assert f"Today's suggestions ({today.isoformat()})" in result.output
    assert "suggestions written." in result.output


def test_the_synthetic_members_are_verified_with_encrypted_identities(seeded):
    app, result = seeded
    with app.app_context():
        synthetic = [
            user for user in db.session.scalars(select(User)) if is_synthetic_phone(user.phone)
        ]
        assert len(synthetic) == SYNTHETIC_MEMBERS
        assert {user.state for user in synthetic} == {AccountState.member}
        ids = [user.id for user in synthetic]
        cases = db.session.scalars(select(Case).where(Case.user_id.in_(ids))).all()
        assert {case.state for case in cases} == {CaseState.approved}
        assert len(cases) == SYNTHETIC_MEMBERS
        protector = runtime.protector()
        for case in cases:
            name = protector.decrypt(case.name_encrypted)
            assert name not in case.name_encrypted
            assert len(name) == 3 and case.name_masked.startswith(name[0])
            number = resident_id.parse(protector.decrypt(case.id_number_encrypted))
            assert protector.blind_index(number.number) == case.id_number_index
            assert (number.gender, number.birth_date) == (case.gender, case.birth_date)
        checks = db.session.scalars(
            select(Check.state).join(Case).where(Case.user_id.in_(ids))
        ).all()
        assert len(checks) == 6 * SYNTHETIC_MEMBERS
        assert set(checks) == {CheckState.passed}
        degrees = db.session.scalar(
            select(func.count(VerifiedFact.id)).where(VerifiedFact.user_id.in_(ids))
        )
        assert degrees >= SYNTHETIC_MEMBERS
        assert (
            db.session.scalar(
                select(func.count(MemberProfile.user_id)).where(MemberProfile.user_id.in_(ids))
            )
            == SYNTHETIC_MEMBERS
        )
    first, last = (synthetic_phone(i)[3:] for i in (0, SYNTHETIC_MEMBERS - 1))
    assert f"{SYNTHETIC_MEMBERS} synthetic verified members added ({first} - {last}" in (
        result.output
    )


def test_seeding_again_adds_nobody_and_keeps_todays_lists(seeded):
    app, _ = seeded
    rows = suggestion_rows(app)
    with app.app_context():
        users = db.session.scalar(select(func.count(User.id)))
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "0 synthetic verified members added" in result.output
    assert "0 demo profiles added" in result.output
    assert suggestion_rows(app) == rows
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == users


def test_most_demo_members_have_a_photo_through_the_upload_path(seeded):
    from PIL import Image

    from app.profiles import photos
    from app.profiles.models import MemberPhoto

    app, _ = seeded
    with app.test_request_context():
        profiles = db.session.scalar(select(func.count()).select_from(MemberProfile))
        rows = list(db.session.scalars(select(MemberPhoto)))
        assert 0.8 * profiles <= len(rows) < profiles  # some are left without one
        assert all(row.is_main for row in rows)
        with Image.open(photos.file_path(rows[0].token, photos.THUMB)) as thumb:
            assert thumb.format == "JPEG" and thumb.size == (photos.THUMB_SIDE,) * 2
    # Seeding again adds none.
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MemberPhoto)) == len(rows)
