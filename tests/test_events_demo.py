"""After ``flask demo seed``: five upcoming events by the demo matchmakers (one full with
a waitlist) and last weekend's citywalk, where 思远 chooses and gets a match."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_MEMBER, DEMO_PASSWORD
from app.events.demo import PAST_TITLE
from app.events.models import Event, Signup, SignupState
from app.extensions import db
from app.relations.models import Match
from tests.events_helpers import english  # noqa: F401 - autouse
from tests.test_today_page import sign_in


def test_the_demo_has_events_and_a_past_one_where_the_demo_member_chooses(demo_app, demo_template):
    app, result = demo_app, demo_template.result  # the demo, seeded once per worker
    app.config["BABEL_DEFAULT_LOCALE"] = "en"  # what the autouse english() does for `app`
    assert result.exit_code == 0, result.output
    with app.app_context():
        member = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
        events = db.session.scalar(select(func.count()).select_from(Event))
        waiting = db.session.scalar(
            select(func.count()).where(Signup.state == SignupState.waitlisted)
        )
        past = db.session.scalar(select(Event.id).where(Event.title == PAST_TITLE))
        matches = db.session.scalar(select(func.count()).select_from(Match))
    assert events == 6 and waiting == 2
    again = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 6

    client = app.test_client()
    sign_in(app, client, member, password=DEMO_PASSWORD)
    listing = client.get("/events/").get_data(as_text=True)
    for title in ("西湖草坪飞盘", "剧本杀《长安夜》", "观影", "南宋御街", "讲座"):
        assert title in listing
    assert PAST_TITLE in listing  # under My events
    page = client.get(f"/events/{past}/choose").get_data(as_text=True)
    assert page.count('name="picked"') == 5
    with app.app_context():
        chooser = db.session.scalar(
            select(Signup.member_id)
            .where(Signup.event_id == past, Signup.member_id != member, Signup.gender == "F")
            .order_by(Signup.id)
        )
    response = client.post(f"/events/{past}/choose", data={"picked": [str(chooser)]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Match)) == matches + 1
