"""After ``flask demo seed`` the reports queue holds an automatic fraud-filter report and
a member's report about the same scammer, and 浩然's appeal against a warning; seeding
again adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.safety.demo import ADMIN_PHONE, APPEAL, WARNED_PHONE
from app.safety.models import Appeal, AppealState, Report, ReportSource, ReportState
from tests.safety_helpers import count
from tests.test_today_page import sign_in


def test_the_demo_fills_the_reports_queue_once(demo_app, demo_template):
    app, result = demo_app, demo_template.result  # the demo, seeded once per worker
    assert result.exit_code == 0, result.output
    with app.app_context():
        reports = list(db.session.scalars(select(Report).order_by(Report.id)))
        by_source = {(r.source, r.state) for r in reports}
        fraud = next(r for r in reports if r.source is ReportSource.fraud_filter)
        member_report = next(
            r for r in reports if r.source is ReportSource.member and r.state is ReportState.open
        )
        [appeal] = db.session.scalars(select(Appeal)).all()
        warned = db.session.scalar(select(User.id).where(User.phone == WARNED_PHONE))
        admin = db.session.scalar(select(User.id).where(User.phone == ADMIN_PHONE))
    assert by_source == {
        (ReportSource.fraud_filter, ReportState.open),
        (ReportSource.member, ReportState.open),
        (ReportSource.member, ReportState.warned),
    }
    assert fraud.evidence["flagged_message_ids"]
    assert member_report.reported_id == fraud.reported_id
    messages = member_report.evidence["conversations"][0]["messages"]
    assert any("带你投资稳赚" in m["body"] for m in messages)
    assert (appeal.member_id, appeal.text, appeal.state) == (warned, APPEAL, AppealState.open)

    again = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert (count(app, Report), count(app, Appeal)) == (3, 1)

    client = app.test_client()
    sign_in(app, client, admin, password=DEMO_PASSWORD)
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert queue.count('data-testid="report-item"') == 2
    assert queue.count('data-testid="appeal-item"') == 1
