"""``flask demo seed``: consultations over the two demo matchmakers and an introduction
waiting for 思远, added once."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.consult.models import Consultation, ConsultationMessage, ConsultationState
from app.demo import DEMO_MEMBER, DEMO_PASSWORD
from app.extensions import db
from app.introductions.models import Introduction, IntroductionState


def test_demo_consultations_and_introduction(demo_app_factory, demo_template):
    app = demo_app_factory(BABEL_DEFAULT_LOCALE="en")  # the test reads English words
    runner = app.test_cli_runner()
    assert demo_template.result.exit_code == 0  # the demo, seeded once per worker
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    with app.app_context():
        phones = {uid: phone for uid, phone in db.session.execute(select(User.id, User.phone))}
        rows = db.session.scalars(select(Consultation).order_by(Consultation.id)).all()
        assert len(rows) == 6
        assert {phones[c.matchmaker_id] for c in rows} == {"+8613800000002", "+8613800000003"}
        states = sorted((c.state.value, c.rating or 0) for c in rows)
        assert states == [
            ("open", 0),
            ("open", 0),
            ("open", 0),
            ("resolved", 0),
            ("resolved", 4),
            ("resolved", 5),
        ]
        assert all(c.first_answer_at is not None for c in rows if c.state.value == "resolved")
        assert db.session.scalar(select(ConsultationMessage.id).limit(1)) is not None
        (intro,) = db.session.scalars(select(Introduction)).all()
        siyuan = next(uid for uid, phone in phones.items() if phone == DEMO_MEMBER)
        assert intro.state is IntroductionState.pending and intro.side(siyuan) is not None
        unrated = next(
            c.id
            for c in rows
            if c.member_id == siyuan and c.state is ConsultationState.resolved and not c.rating
        )
    client = app.test_client()
    client.post("/account/signin", data={"phone": DEMO_MEMBER, "password": DEMO_PASSWORD})
    headers = {"Accept-Language": "en"}
    page = client.get(f"/consultations/{unrated}", headers=headers).get_data(as_text=True)
    assert "Rate this consultation" in page
    page = client.get(f"/introductions/{intro.id}", headers=headers).get_data(as_text=True)
    assert "Yes, introduce us" in page
