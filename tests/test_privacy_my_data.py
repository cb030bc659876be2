"""My data (PIPL): the access log, the page, export, consent withdrawal, deletion."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, or_, select

from app.accounts.models import AccountState, DeviceSession, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification, notify
from app.privacy.models import PersonalDataAccess
from app.privacy.operations import delete_account, record_access
from app.profiles.loader import load_profiles
from app.profiles.models import MemberProfile
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.relations.models import Block, Match
from app.verification.models import Case
from tests.factories import PASSWORD, login_as, make_user
from tests.quickmatch_helpers import add_members, population


@pytest.fixture(autouse=True)
def english(app):
    """These tests read the English source strings: English is the default here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def sign_in(client, user_id: int, app) -> None:
    with app.app_context():
        phone = db.session.get(User, user_id).phone
    response = client.post("/account/signin", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def pair(app):
    return add_members(app, population(2))


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_record_access_logs_others_and_skips_self(app_ctx):
    admin = make_user(app_ctx, "admin")
    member = make_user(app_ctx, "member")
    record_access(member.id, member.id, "verification review")
    record_access(admin.id, member.id, "verification review")
    db.session.commit()
    rows = db.session.scalars(select(PersonalDataAccess)).all()
    assert [(r.viewer_id, r.subject_id, r.purpose) for r in rows] == [
        (admin.id, member.id, "verification review")
    ]


def test_admin_opening_the_case_is_shown_to_that_member_only(app, client, pair):
    member_id, other_id = pair
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.user_id == member_id))
    login_as(app, client, "admin")
    assert client.get(f"/admin/cases/{case_id}").status_code == 200
    client.post("/account/signout")

    mine = app.test_client()
    sign_in(mine, member_id, app)
    page = mine.get("/me/data/").get_data(as_text=True)
    assert page.count('data-testid="access"') == 1
    assert "Verification review" in page

    theirs = app.test_client()
    sign_in(theirs, other_id, app)
    page = theirs.get("/me/data/").get_data(as_text=True)
    assert 'data-testid="access"' not in page
    assert "Nobody has opened your personal data." in page


def test_page_shows_masked_identity_and_counts(app, client, pair):
    member_id, _ = pair
    sign_in(client, member_id, app)
    page = client.get("/me/data/").get_data(as_text=True)
    assert "测*" in page and "3301**********0000" in page
    assert "测试" not in page  # the real name never appears, only masked
    assert f"会员{member_id}" in page
    assert "137****" in page


def test_registered_user_has_a_my_data_page(app, client):
    login_as(app, client, "registered")
    page = client.get("/me/data/")
    assert page.status_code == 200
    assert "You have not applied for verification." in page.get_data(as_text=True)


def test_export_is_a_json_download_with_everything(app, client, pair):
    member_id, other_id = pair
    with app.app_context():
        db.session.add(Match(user_a_id=min(pair), user_b_id=max(pair)))
        notify(member_id, "new_match", match_id=1, other_id=other_id)
        db.session.commit()
    sign_in(client, member_id, app)
    response = client.post("/me/data/export")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=queqiao-my-data-")
    assert disposition.endswith(".json")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["id"] == member_id
    assert "password_hash" not in data["account"]
    case = data["verification_cases"][0]
    assert case["real_name"] == "测试" and case["id_number"].startswith("test-")
    assert "name_encrypted" not in case
    assert data["profile"]["nickname"] == f"会员{member_id}"
    assert len(data["matches"]) == 1
    assert len(data["notifications"]) == 1
    [device] = data["device_sessions"]  # the sign-in above
    assert "token_hash" not in device and device["revoked_at"] is None
    assert data["access_log"] == []


def test_export_needs_csrf(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    (member_id,) = add_members(app, population(1))
    with app.test_request_context():
        pass
    page = client.get("/account/signin").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with app.app_context():
        phone = db.session.get(User, member_id).phone
    client.post("/account/signin", data={"phone": phone, "password": PASSWORD, "csrf_token": token})
    response = client.post("/me/data/export")
    assert response.status_code == 400
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    delete = client.post("/me/data/delete", data={"password": PASSWORD, "confirm": "DELETE"})
    assert delete.status_code == 400
    with app.app_context():
        assert db.session.get(User, member_id).state is AccountState.member


def test_withdrawing_consent_leaves_quick_match_and_giving_it_returns(app, client, pair):
    member_id, other_id = pair
    sign_in(client, member_id, app)
    assert "Withdraw my consent" in client.get("/me/data/consent").get_data(as_text=True)
    response = client.post("/me/data/consent", data={"choice": "withdraw"})
    assert response.status_code == 302
    with app.app_context():
        assert [p.id for p in load_profiles()] == [other_id]
        assert count(AuditEntry, AuditEntry.action == "consent.withdrawn") == 1
        assert db.session.get(User, member_id).state is AccountState.member  # account stays
    client.post("/me/data/consent", data={"choice": "give"})
    with app.app_context():
        assert sorted(p.id for p in load_profiles()) == sorted(pair)
        assert count(AuditEntry, AuditEntry.action == "consent.given") == 1


def test_consent_bad_choice_is_400_and_changes_nothing(app, client, pair):
    sign_in(client, pair[0], app)
    response = client.post("/me/data/consent", data={"choice": "maybe"})
    assert response.status_code == 400
    assert "Please choose again." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, pair[0]).consent_withdrawn_at is None


def _populate(app, member_id: int, other_id: int) -> int:
    from datetime import date

    with app.app_context():
        match = Match(user_a_id=min(member_id, other_id), user_b_id=max(member_id, other_id))
        db.session.add(match)
        day = date(2026, 11, 28)
        for viewer, candidate in ((member_id, other_id), (other_id, member_id)):
            db.session.add(
                DailySuggestion(day=day, viewer_id=viewer, candidate_id=candidate, rank=1, score=1)
            )
            db.session.add(
                Reaction(from_id=viewer, to_id=candidate, kind=ReactionKind.like, day=day)
            )
        db.session.add(Block(blocker_id=member_id, blocked_id=other_id))
        notify(member_id, "new_match", match_id=1, other_id=other_id)
        record_access(other_id, member_id, "verification review")
        db.session.commit()
        return match.id


def _deleted_nothing(app, member_id: int) -> None:
    with app.app_context():
        user = db.session.get(User, member_id)
        assert user.state is AccountState.member and user.phone.startswith("+86")
        assert db.session.get(MemberProfile, member_id) is not None
        assert count(Reaction, Reaction.from_id == member_id) == 1


def test_delete_with_wrong_password_or_word_or_by_get_deletes_nothing(app, client, pair):
    member_id, other_id = pair
    _populate(app, member_id, other_id)
    sign_in(client, member_id, app)
    assert client.get("/me/data/delete").status_code == 200
    _deleted_nothing(app, member_id)
    wrong = client.post("/me/data/delete", data={"password": "nope-nope", "confirm": "DELETE"})
    assert wrong.status_code == 400
    assert "That password is not right." in wrong.get_data(as_text=True)
    _deleted_nothing(app, member_id)
    word = client.post("/me/data/delete", data={"password": PASSWORD, "confirm": "yes"})
    assert word.status_code == 400
    assert "Type DELETE to confirm." in word.get_data(as_text=True)
    assert 'value="yes"' in word.get_data(as_text=True)  # what they typed is kept
    _deleted_nothing(app, member_id)


def test_delete_removes_personal_data_and_ends_the_session(app, client, pair):
    member_id, other_id = pair
    match_id = _populate(app, member_id, other_id)
    sign_in(client, member_id, app)
    with app.app_context():
        phone = db.session.get(User, member_id).phone
    response = client.post("/me/data/delete", data={"password": PASSWORD, "confirm": "DELETE"})
    assert response.status_code == 302
    assert client.get("/me/data/").status_code == 302  # signed out
    with app.app_context():
        user = db.session.get(User, member_id)
        assert user.state is AccountState.deleted and user.deleted_at is not None
        assert user.phone != phone and "138" not in user.phone
        assert not user.is_active
        assert db.session.get(MemberProfile, member_id) is None
        assert (
            count(
                DailySuggestion,
                or_(
                    DailySuggestion.viewer_id == member_id,
                    DailySuggestion.candidate_id == member_id,
                ),
            )
            == 0
        )
        assert count(Reaction, or_(Reaction.from_id == member_id, Reaction.to_id == member_id)) == 0
        assert count(Block, or_(Block.blocker_id == member_id, Block.blocked_id == member_id)) == 0
        assert count(Notification, Notification.user_id == member_id) == 0
        assert count(DeviceSession, DeviceSession.user_id == member_id) == 0
        assert count(PersonalDataAccess, PersonalDataAccess.subject_id == member_id) == 0
        case = db.session.scalar(select(Case).where(Case.user_id == member_id))
        assert case.name_encrypted == "" and case.id_number_encrypted == ""
        assert case.name_masked == "" and case.id_number_index == ""
        assert case.state.value == "approved"  # the decision stays
        assert db.session.get(Match, match_id) is not None  # the other side keeps the row
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deleted"))
        assert entry.subject_id == member_id and entry.details == {}
        assert member_id not in [p.id for p in load_profiles()]
    # The same phone number can register again: it is free.
    with app.app_context():
        assert db.session.scalar(select(User).where(User.phone == phone)) is None


def test_deleted_member_is_a_deleted_user_to_the_other_side(app, client, pair):
    public = pytest.importorskip("app.profiles.public")  # helper A's cards
    member_id, other_id = pair
    _populate(app, member_id, other_id)
    sign_in(client, member_id, app)
    client.post("/me/data/delete", data={"password": PASSWORD, "confirm": "DELETE"})
    with app.test_request_context():
        card = public.public_card(member_id)
        assert card is None or card.deleted


def test_messages_exported_and_only_own_deleted(app, client, pair):
    lounge = pytest.importorskip("app.lounge.models")
    member_id, other_id = pair
    match_id = _populate(app, member_id, other_id)
    with app.app_context():
        db.session.add(lounge.Message(match_id=match_id, sender_id=member_id, body="周六见"))
        db.session.add(lounge.Message(match_id=match_id, sender_id=other_id, body="好的"))
        db.session.commit()
    sign_in(client, member_id, app)
    data = json.loads(client.post("/me/data/export").get_data(as_text=True))
    assert sorted(m["body"] for m in data["messages"]) == ["周六见", "好的"]
    assert "Messages sent" in client.get("/me/data/").get_data(as_text=True)
    client.post("/me/data/delete", data={"password": PASSWORD, "confirm": "删除"})
    with app.app_context():
        bodies = db.session.scalars(select(lounge.Message.body)).all()
    assert bodies == ["好的"]  # the partner's message is the partner's data


def test_offline_records_are_counted_exported_and_deleted(app, client, pair):
    """Events, consultations, introductions and the love school are on My data too;
    an introduction's export shows the member's own answer, never the other's."""
    from app.consult.models import Consultation, ConsultationMessage
    from app.events.models import Pick, Signup, SignupState
    from app.introductions.models import Answer, Introduction
    from app.school.models import LessonProgress
    from tests.consult_helpers import add_consultation
    from tests.events_helpers import add_event
    from tests.school_helpers import add_course

    me, other = pair
    matchmaker = make_user(app, "matchmaker").id
    event_id = add_event(app, matchmaker)
    _, lessons = add_course(app, matchmaker, lessons=2)
    with app.app_context():
        consultation = add_consultation(me, matchmaker)
        db.session.add(
            ConsultationMessage(consultation_id=consultation.id, author_id=matchmaker, body="你好")
        )
        db.session.add(Signup(event_id=event_id, member_id=me, state=SignupState.confirmed))
        db.session.add(Pick(event_id=event_id, picker_id=other, picked_id=me))
        db.session.add(Pick(event_id=event_id, picker_id=me, picked_id=other))
        db.session.add(
            Introduction(
                matchmaker_id=matchmaker,
                member_a_id=me,
                member_b_id=other,
                note="你们都喜欢爬山",
                answer_b=Answer.declined,
            )
        )
        db.session.add(LessonProgress(member_id=me, lesson_id=lessons[0]))
        db.session.commit()
    sign_in(client, me, app)
    page = client.get("/me/data/").get_data(as_text=True)
    assert "Consultations with matchmakers" in page and "Love school lessons done" in page
    exported = json.loads(client.post("/me/data/export").get_data(as_text=True))
    assert [c["messages"][0]["body"] for c in exported["consultations"]] == ["你好"]
    assert len(exported["event_signups"]) == 1 and len(exported["event_picks"]) == 1
    (intro,) = exported["introductions"]
    assert intro["my_answer"] is None and "answer_b" not in intro
    assert "declined" not in json.dumps(intro)
    assert len(exported["lessons_done"]) == 1

    with app.app_context():
        delete_account(db.session.get(User, me))
        db.session.commit()
        assert count(Consultation) == 0 and count(ConsultationMessage) == 0
        assert count(Signup) == 0 and count(Pick) == 0 and count(Introduction) == 0
        assert count(LessonProgress) == 0
