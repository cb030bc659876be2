"""The signed-in home page: what is new for a member, counted as the database holds it,
and the right page for each account state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountState, User
from app.consult.models import ConsultationMessage, ConsultationState
from app.db_types import utcnow
from app.events import operations as event_operations
from app.extensions import db
from app.lounge import operations as lounge_operations
from app.lounge.models import Message
from app.quickmatch import reactions
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.relations.models import Match
from app.relations.operations import make_match
from app.verification.models import Case, CaseState
from tests.consult_helpers import add_consultation
from tests.events_helpers import add_event
from tests.factories import make_user, sign_in_through_session
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import suggest, today_of


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def news_counts(page: str) -> dict[str, int]:
    """The news rows on the page: key -> the count it shows."""
    rows = re.findall(r'data-testid="news-(\w+)" data-count="(\d+)"', page)
    return {key: int(count) for key, count in rows}


def home(app: Flask, client, user_id: int) -> str:

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
    sign_in_through_session(app, client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def people(app: Flask) -> list[int]:
    return add_members(app, population(40, seed=3)[:9])


def test_a_member_with_each_kind_of_news_sees_the_databases_counts(app, client, people):
    me, a, b, c, liker, answered_liker, fresh, chatty = people[:8]
    day = today_of(app)
    matchmaker = make_user(app, "matchmaker").id
    suggest(app, me, [a, b, c])
    suggest(app, liker, [me])
    suggest(app, answered_liker, [me])
    suggest(app, me, [answered_liker], day=day - timedelta(days=1))
    event_id = add_event(app, matchmaker, title="Frisbee by the lake")
    with app.app_context():
        reactions.react(me, a, ReactionKind.pass_, day)
        reactions.react(liker, me, ReactionKind.like, day)
        reactions.react(answered_liker, me, ReactionKind.like, day)
        reactions.react(me, answered_liker, ReactionKind.pass_, day - timedelta(days=1))
        make_match(me, fresh)
        talk = make_match(me, chatty)
        db.session.flush()
        now = utcnow()
        lounge_operations.send(talk, chatty, "Hello!", now)
        lounge_operations.send(talk, chatty, "Are you there?", now)
        event_operations.sign_up(event_id, me, now)
        consultation = add_consultation(me, matchmaker, ConsultationState.open, assigned_at=now)
        db.session.add(
            ConsultationMessage(consultation_id=consultation.id, author_id=me, body="Help?")
        )
        db.session.flush()
        db.session.add(
            ConsultationMessage(
                consultation_id=consultation.id, author_id=matchmaker, body="Say hello first."
            )
        )
        db.session.commit()
        consultation_id = consultation.id
    page = home(app, client, me)
    shown = news_counts(page)

    with app.app_context():  # the database's own figures, counted here
        listed = set(
            db.session.scalars(
                select(DailySuggestion.candidate_id).where(
                    DailySuggestion.viewer_id == me, DailySuggestion.day == day
                )
            )
        )
        answered = set(db.session.scalars(select(Reaction.to_id).where(Reaction.from_id == me)))
        likers = set(
            db.session.scalars(
                select(Reaction.from_id).where(
                    Reaction.to_id == me, Reaction.kind == ReactionKind.like
                )
            )
        )
        unread = db.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.sender_id != me, Message.read_at.is_(None))
        )
        matches = db.session.scalars(
            select(Match).where((Match.user_a_id == me) | (Match.user_b_id == me))
        ).all()
        silent = [
            m
            for m in matches
            if not db.session.scalar(select(func.count()).where(Message.match_id == m.id))
        ]
    assert shown == {
        "suggestions": len(listed - answered),
        "likes": len(likers - answered),
        "matches": len(silent),
        "messages": unread,
        "event": 1,
        "consultations": 1,
    }
    assert shown["suggestions"] == 2 and shown["likes"] == 1 and shown["matches"] == 1
    assert shown["messages"] == 2
    assert "Frisbee by the lake" in page
    assert f'href="/events/{event_id}"' in page
    assert f'href="/consultations/{consultation_id}"' in page
    assert 'data-testid="news-empty"' not in page
    assert "Hello, 会员" in page  # greeted by nickname


def test_news_clears_as_the_member_answers(app, client, people):
    me, a = people[:2]
    suggest(app, me, [a])
    with app.app_context():
        reactions.react(me, a, ReactionKind.pass_, today_of(app))
        db.session.commit()
    page = home(app, client, me)
    assert news_counts(page) == {}
    assert 'data-testid="news-empty"' in page


def test_a_reply_answered_or_resolved_is_no_news(app, client, people):
    me = people[0]
    matchmaker = make_user(app, "matchmaker").id
    with app.app_context():
        answered = add_consultation(me, matchmaker, ConsultationState.open)
        resolved = add_consultation(me, matchmaker, ConsultationState.resolved)
        for consultation, authors in ((answered, (matchmaker, me)), (resolved, (matchmaker,))):
            for author in authors:
                db.session.add(
                    ConsultationMessage(consultation_id=consultation.id, author_id=author, body="…")
                )
                db.session.flush()
        db.session.commit()
    assert "consultations" not in news_counts(home(app, client, me))


def test_an_old_silent_match_is_no_longer_new(app, client, people):
    me, other = people[:2]
    with app.app_context():
        match = make_match(me, other)
        db.session.flush()
        match.created_at = utcnow() - timedelta(days=8)
        db.session.commit()
    assert "matches" not in news_counts(home(app, client, me))


# Account states -----------------------------------------------------------------------


def test_anonymous_home_is_the_landing_page(client):
    page = client.get("/").get_data(as_text=True)
    assert "Why Queqiao" in page
    assert 'href="/account/signup"' in page and 'href="/account/signin"' in page
    assert 'data-testid="home"' not in page


def test_a_registrant_sees_the_tracker_and_the_application(app, client):
    user = make_user(app, "registered")
    page = home(app, client, user.id)
    assert 'data-kind="registered"' in page
    assert 'data-testid="tracker"' in page
    assert re.search(r'data-step="apply"', page)
    assert 'aria-current="step" data-step="apply"' in page
    assert 'href="/verify/apply" data-testid="next-step"' in page
    assert 'data-testid="checklist"' not in page


def test_an_applicant_in_progress_is_linked_to_the_live_progress(app, client):
    from tests.applicants import open_case_directly

    user = make_user(app, "verifying")
    case_id = open_case_directly(app, user.id)
    page = home(app, client, user.id)
    assert 'data-kind="verifying"' in page
    assert f'href="/verify/cases/{case_id}" data-testid="next-step"' in page


def test_a_rejected_applicant_reads_the_reason_and_may_apply_again(app, client):
    [user_id] = add_members(
        app,
        population(5, seed=4)[:1],
        state=AccountState.registered,
        case_state=CaseState.rejected,
        with_profile=False,
    )
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.user_id == user_id))
        case.decision_reason = "name_mismatch"
        db.session.commit()
    page = home(app, client, user_id)
    assert 'data-kind="rejected"' in page
    assert "The name does not match the one registered for this ID number." in page
    assert 'href="/verify/apply" data-testid="next-step"' in page
    assert "Apply again" in page


def test_a_new_member_without_a_profile_is_sent_to_complete_it(app, client):
    [user_id] = add_members(app, population(5, seed=4)[:1], with_profile=False)
    page = home(app, client, user_id)
    assert 'data-kind="member"' in page
    assert 'aria-current="step" data-step="profile"' in page
    assert 'href="/profile/welcome/profile" data-testid="next-step"' in page
    assert 'data-testid="checklist" data-done="0" data-total="5"' in page
    assert "Hello, 137****" in page  # no nickname yet: the masked phone


def test_a_member_sees_news_and_the_checklist_without_the_tracker(app, client, people):
    page = home(app, client, people[0])
    assert 'data-kind="member"' in page
    assert 'data-testid="checklist"' in page
    assert 'data-testid="tracker"' not in page
    assert "<progress" in page


def test_a_suspended_account_gets_no_member_page(app, client):
    user = make_user(app, "suspended")
    sign_in_through_session(app, client, user)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="news"' not in page and 'data-testid="checklist"' not in page
    assert "Why Queqiao" in page  # signed out: the account may not be used


def test_the_suspended_page_says_what_happened_and_whom_to_ask(app):
    from flask import render_template

    from app.main.news import home_for

    user = make_user(app, "suspended")
    with app.test_request_context():
        home = home_for(user)
        assert home.kind == "suspended"
        page = render_template("main/home.html", home=home, current_user=user)
    assert "Your account is suspended" in page
    assert 'data-testid="support-contact"' in page


@pytest.mark.parametrize("kind", ["admin", "matchmaker"])
def test_staff_get_the_console_entry_not_dating_prompts(app, client, kind):
    user = make_user(app, kind)
    page = home(app, client, user.id)
    assert 'data-kind="staff"' in page
    assert 'data-testid="console-entry"' in page
    assert 'href="/console/"' in page
    for prompt in ('data-testid="checklist"', 'data-testid="tracker"', 'data-testid="news"'):
        assert prompt not in page


# The demo ---------------------------------------------------------------------------


def test_the_demo_shows_every_kind_of_news_and_a_member_mid_onboarding(demo_app, demo_template):
    from app.demo import DEMO_MEMBER, DEMO_PASSWORD
    from app.profiles.demo import ONBOARDING_MEMBER
    from tests.test_today_page import sign_in

    app = demo_app
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    assert demo_template.result.exit_code == 0, demo_template.result.output
    with app.app_context():
        ids = dict(
            db.session.execute(
                select(User.phone, User.id).where(User.phone.in_([DEMO_MEMBER, ONBOARDING_MEMBER]))
            ).all()
        )
    client = app.test_client()
    sign_in(app, client, ids[DEMO_MEMBER], password=DEMO_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    shown = news_counts(page)
    assert set(shown) == {"suggestions", "likes", "matches", "messages", "event", "consultations"}
    assert all(count > 0 for count in shown.values())
    assert 'data-testid="checklist" data-done="5" data-total="5"' in page

    newcomer = app.test_client()
    sign_in(app, newcomer, ids[ONBOARDING_MEMBER], password=DEMO_PASSWORD)
    page = newcomer.get("/").get_data(as_text=True)
    done = int(re.search(r'data-testid="checklist" data-done="(\d)"', page).group(1))
    assert 0 < done < 5
    assert 'href="/profile/welcome/values"' in page  # the next step of 完善资料


# The plug-in ------------------------------------------------------------------------


def test_the_registry_collects_news_in_features_order_leaving_out_nothing_new():
    from app.features import Feature, NewsItem, Registry

    def item(key: str, count: int) -> NewsItem:
        return NewsItem(key=key, label=key, count=count, url="/")

    registry = Registry(
        (
            Feature("first", news=lambda user: [item("a", 2), item("b", 0)]),
            Feature("quiet"),
            Feature("second", news=lambda user: [item("c", 1)]),
        )
    )
    assert [(i.key, i.count) for i in registry.news(object())] == [("a", 2), ("c", 1)]


def test_the_features_with_news_declare_it(app):
    from app import features

    with app.app_context():
        declared = [f.name for f in features.registry(app) if f.news is not None]
    assert declared == ["quickmatch", "lounge", "events", "consult"]
