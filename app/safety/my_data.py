"""Safety's part of My data (我的数据): the reports the member filed, the reports about
them as far as their outcome, and the appeals they wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.features import count_rows, exported, json_ready
from app.safety.models import Appeal, Report, ReportState


def _filed(report: Report) -> dict[str, Any]:
    """What the member wrote and the evidence kept; whether it was handled, not how."""
    skip = ("reporter_id", "decided_by_id", "decided_at", "decision_reason")
    handled = "open" if report.state is ReportState.open else "handled"
    return {**exported(report, skip=skip), "state": handled}


def _about_me(report: Report) -> dict[str, Any]:
    """The outcome only: never who reported, the note or the evidence."""
    return {
        "id": report.id,
        "created_at": json_ready(report.created_at),
        "outcome": report.state.value,
        "decided_at": json_ready(report.decided_at),
        "statement_of_reasons": report.decision_reason if report.state.acted_on else None,
    }


class SafetyData:
    tables = ("safety_report", "safety_appeal")

    def summary(self, user: User) -> dict[str, Any]:
        return {
            "counts": {
                "reports_filed": count_rows(Report, Report.reporter_id == user.id),
                "reports_received": count_rows(Report, Report.reported_id == user.id),
                "appeals": count_rows(Appeal, Appeal.member_id == user.id),
            }
        }

    def export(self, user: User) -> dict[str, Any]:
        def reports(condition: Any) -> list[Report]:
            return list(db.session.scalars(select(Report).where(condition).order_by(Report.id)))

        appeals = select(Appeal).where(Appeal.member_id == user.id).order_by(Appeal.id)
        return {
            "reports_filed": [_filed(r) for r in reports(Report.reporter_id == user.id)],
            "reports_about_me": [_about_me(r) for r in reports(Report.reported_id == user.id)],
            "appeals": [exported(a, skip=("decided_by_id",)) for a in db.session.scalars(appeals)],
        }

    def erase(self, user: User) -> None:
        """Nothing is deleted: reports, their decisions and the appeals are the
        moderation record. A decision and its statement of reasons stay answerable,
        and a report is as much the other member's record as this member's."""
