"""``flask demo seed``: the demo member's access log shows the administrator's review."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_MEMBER, DEMO_PASSWORD
from app.extensions import db
from app.privacy.models import PersonalDataAccess


def test_demo_member_sees_the_administrators_review(demo_app_factory, demo_template):
    app = demo_app_factory()
    runner = app.test_cli_runner()
    assert demo_template.result.exit_code == 0  # the demo, seeded once per worker
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    with app.app_context():
        member_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
        entries = db.session.scalars(
            select(PersonalDataAccess).where(PersonalDataAccess.subject_id == member_id)
        ).all()
    assert [e.purpose for e in entries] == ["verification review"]
    client = app.test_client()
    signin = client.post("/account/signin", data={"phone": DEMO_MEMBER, "password": DEMO_PASSWORD})
    assert signin.status_code == 302
    response = client.get("/me/data/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('data-testid="access"') == 1
