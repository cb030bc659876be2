"""After ``flask demo seed`` the demo member 思远 has two conversations in the love
lounge, one ending with a flagged "加我微信，带你投资稳赚" from the other side."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_MEMBER, DEMO_PASSWORD
from app.extensions import db
from app.lounge.models import Message
from tests.test_today_page import sign_in


def test_the_demo_member_has_two_conversations_one_with_a_warning(demo_app, demo_template):
    app, result = demo_app, demo_template.result  # the demo, seeded once per worker
    assert result.exit_code == 0, result.output
    with app.app_context():
        member = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
        flagged = db.session.scalars(select(Message).where(Message.flagged)).all()
        count = db.session.scalar(select(func.count(Message.id)))
        conversations = db.session.scalar(select(func.count(func.distinct(Message.match_id))))
    assert conversations == 2
    assert flagged and all(m.sender_id != member for m in flagged)
    assert flagged[-1].body == "这里聊天不方便，加我微信，带你投资稳赚，很多朋友都赚到了。"
    assert flagged[-1].flag_reasons == ["investment", "other_app"]
    again = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) == count

    client = app.test_client()
    sign_in(app, client, member, password=DEMO_PASSWORD)
    listing = client.get("/lounge/").get_data(as_text=True)
    assert "带你投资稳赚" in listing and "十点在断桥边" in listing
    match_id = flagged[-1].match_id
    page = client.get(f"/lounge/{match_id}").get_data(as_text=True)
    assert "lounge-warning" in page and "asks you to move to another app" in page
