"""After ``flask demo seed`` the demo member 思远 has today's list, likes waiting from
members on it (liking one back makes a match at once) and one match."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_MATCHED, DEMO_MEMBER, DEMO_PASSWORD
from app.extensions import db
from app.quickmatch.demo import LIKES_WAITING
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.quickmatch.settings import Settings
from app.relations.models import Match
from tests.test_today_page import sign_in


def test_the_demo_member_can_like_back_and_match_at_once(demo_app, demo_template):
    app, result = demo_app, demo_template.result  # the demo, seeded once per worker
    assert result.exit_code == 0, result.output
    day = Settings.from_config(app.config).today()
    with app.app_context():
        member = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
        matched = db.session.scalar(select(User.id).where(User.phone == DEMO_MATCHED))
        listed = db.session.scalars(
            select(DailySuggestion.candidate_id).where(
                DailySuggestion.day == day, DailySuggestion.viewer_id == member
            )
        ).all()
        waiting = db.session.scalars(
            select(Reaction.from_id).where(
                Reaction.to_id == member, Reaction.kind == ReactionKind.like
            )
        ).all()
        pair = Match.between(member, matched)
        assert db.session.scalar(
            select(Match.id).where(
                Match.user_a_id == pair.user_a_id, Match.user_b_id == pair.user_b_id
            )
        )
        matches = db.session.scalar(select(func.count()).select_from(Match))
    assert listed and matched not in listed
    assert len(waiting) == LIKES_WAITING and set(waiting) <= set(listed)
    # Seeding again adds nothing.
    again = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        liking = select(func.count()).where(Reaction.to_id == member)
        assert db.session.scalar(liking) == LIKES_WAITING
        assert db.session.scalar(select(func.count()).select_from(Match)) == matches

    client = app.test_client()
    sign_in(app, client, member, password=DEMO_PASSWORD)
    page = client.get("/today/").get_data(as_text=True)
    assert page.count('data-testid="today-card"') == len(listed)
    response = client.post(f"/today/{waiting[0]}/like")
    assert response.status_code == 302
    assert "It&#39;s a match!" in client.get("/today/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Match)) == matches + 1
