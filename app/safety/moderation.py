"""The administrators' side of safety: the reports queue, decisions on reports
(dismiss, warn, suspend) and on appeals (uphold, overturn), and the signed appeal link
a suspended member gets by SMS (they cannot sign in).

Operations flush; the view commits, and sends the SMS only after the commit. Every
decision is audited and the member acted on always gets the statement of reasons.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, func, or_, select

from app import web
from app.accounts import sms
from app.accounts.models import AccountState, User, new_session_token
from app.audit.models import record as audit
from app.extensions import db
from app.links import public_url
from app.locking import lock_row
from app.lounge.operations import MATCH_ENDED, partner_of
from app.notifications.models import notify
from app.relations.models import Match
from app.safety.models import Appeal, AppealState, Report, ReportSource, ReportState

# Notification kinds (worded in app/notifications/texts.py).
WARNED = "moderation_warned"
SUSPENDED = "moderation_suspended"
REPORT_HANDLED = "report_handled"
APPEAL_DECIDED = "appeal_decided"

APPEAL_SALT = "appeal"
APPEAL_LINK_DAYS = 30


class NotOpen(Exception):
    """The report or appeal was decided already: nothing is changed."""


class NotAppealable(Exception):
    """This member was not acted on by this report's decision."""


class AlreadyAppealed(Exception):
    """The decision was appealed already: one appeal per decision."""


class BadAppealLink(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class Decision(enum.StrEnum):
    dismiss = "dismiss"
    warn = "warn"
    suspend = "suspend"


OUTCOMES = {
    Decision.dismiss: ReportState.dismissed,
    Decision.warn: ReportState.warned,
    Decision.suspend: ReportState.suspended,
}


# -- the queue ------------------------------------------------------------------------------


def report_queue(state: str = "open", source: str = "") -> Select:
    """Reports in ``state`` (any state when empty), of ``source`` when given, oldest first."""
    query = select(Report).order_by(Report.created_at, Report.id)
    if state:
        query = query.where(Report.state == state)
    if source:
        query = query.where(Report.source == source)
    return query


def open_appeals() -> list[Appeal]:
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.state == AppealState.open)
            .order_by(Appeal.created_at, Appeal.id)
        )
    )


def waiting_count() -> int:
    """Open reports and open appeals: what the console's "Reports" link counts."""
    reports = select(func.count(Report.id)).where(Report.state == ReportState.open)
    appeals = select(func.count(Appeal.id)).where(Appeal.state == AppealState.open)
    return (db.session.scalar(reports) or 0) + (db.session.scalar(appeals) or 0)


def history_of(member_id: int, except_id: int) -> list[Report]:
    """The other reports about the member, newest first (earlier reports and actions)."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.reported_id == member_id, Report.id != except_id)
            .order_by(Report.created_at.desc(), Report.id.desc())
        )
    )


def appeal_of(report_id: int) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.report_id == report_id))


def appeals_of(report_ids: list[int]) -> dict[int, Appeal]:
    """The appeals of these reports, by report id."""
    if not report_ids:
        return {}
    rows = db.session.scalars(select(Appeal).where(Appeal.report_id.in_(report_ids)))
    return {appeal.report_id: appeal for appeal in rows}


def _locked(model: type[Report] | type[Appeal], row_id: int) -> Report | Appeal | None:
    """Load a row for a decision, locked until the request ends: a second
    administrator deciding at the same moment waits, then reads the first one's
    decision."""
    return lock_row(model, row_id)


def lock_report(report_id: int) -> Report | None:
    return _locked(Report, report_id)


def lock_appeal(appeal_id: int) -> Appeal | None:
    return _locked(Appeal, appeal_id)


# -- decisions on reports -------------------------------------------------------------------


def _suspend(member: User, now: datetime) -> None:
    """Suspend: signed out everywhere at once (a new session token), hidden from all
    members (``safety.queries``), open matches ended; partners get the neutral notice."""
    member.state = AccountState.suspended
    member.session_token = new_session_token()
    matches = db.session.scalars(
        select(Match).where(
            or_(Match.user_a_id == member.id, Match.user_b_id == member.id),
            Match.ended_at.is_(None),
        )
    )
    for match in matches:
        match.ended_at = now
        notify(partner_of(match, member.id), MATCH_ENDED, match_id=match.id)


def decide(
    report: Report, admin_id: int, decision: Decision, statement: str, now: datetime
) -> None:
    """Record the decision on an open report (``NotOpen`` otherwise, nothing changed).
    Warn and suspend tell the member the statement of reasons; the member who reported
    is told only that the report was handled. Audited. Flushes."""
    if report.state is not ReportState.open:
        raise NotOpen()
    report.state = OUTCOMES[decision]
    report.decided_by_id = admin_id
    report.decided_at = now
    report.decision_reason = statement
    member = db.session.get(User, report.reported_id)
    if decision is Decision.warn:
        notify(member.id, WARNED, report_id=report.id, statement=statement)
    elif decision is Decision.suspend:
        _suspend(member, now)
        notify(member.id, SUSPENDED, report_id=report.id, statement=statement)
    if report.source is ReportSource.member and report.reporter_id is not None:
        notify(report.reporter_id, REPORT_HANDLED, report_id=report.id)
    audit(
        f"report.{report.state.value}",
        "report",
        report.id,
        actor_id=admin_id,
        reason=statement,
        member_id=member.id,
    )
    db.session.flush()


# -- appeals --------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=APPEAL_SALT)


def appeal_token(report: Report) -> str:
    return _serializer().dumps({"report": report.id, "member": report.reported_id})


def read_appeal_token(token: str) -> Report:
    """The report a signed appeal link is for; ``BadAppealLink`` when the link is forged,
    for another report, or older than 30 days."""
    try:
        data = _serializer().loads(token, max_age=APPEAL_LINK_DAYS * 24 * 3600)
    except SignatureExpired as error:
        raise BadAppealLink(expired=True) from error
    except BadSignature as error:
        raise BadAppealLink(expired=False) from error
    report = db.session.get(Report, data.get("report")) if isinstance(data, dict) else None
    if report is None or report.reported_id != data.get("member"):
        raise BadAppealLink(expired=False)
    return report


def appealable(report: Report, member_id: int) -> bool:
    return report.reported_id == member_id and report.state.acted_on


def file_appeal(report: Report, member_id: int, text: str, now: datetime) -> Appeal:
    """The member's one appeal against the decision. Raises ``NotAppealable`` (not their
    decision, or nothing to appeal) or ``AlreadyAppealed``, writing nothing. Audited."""
    if not appealable(report, member_id):
        raise NotAppealable()
    if appeal_of(report.id) is not None:
        raise AlreadyAppealed()
    appeal = Appeal(report_id=report.id, member_id=member_id, text=text, created_at=now)
    db.session.add(appeal)
    db.session.flush()
    audit("appeal.created", "appeal", appeal.id, actor_id=member_id, report_id=report.id)
    return appeal


def decide_appeal(
    appeal: Appeal, admin_id: int, overturn: bool, reason: str, now: datetime
) -> None:
    """Uphold or overturn the decision appealed against (``NotOpen`` when decided
    already). Overturning a suspension makes the account a member again. The member is
    notified in-app; audited. Flushes."""
    if appeal.state is not AppealState.open:
        raise NotOpen()
    appeal.state = AppealState.overturned if overturn else AppealState.upheld
    appeal.decided_by_id = admin_id
    appeal.decided_at = now
    appeal.decision_reason = reason
    report = db.session.get(Report, appeal.report_id)
    member = db.session.get(User, appeal.member_id)
    restore = overturn and report.state is ReportState.suspended
    if restore and member.state is AccountState.suspended:
        member.state = AccountState.member
    notify(
        member.id,
        APPEAL_DECIDED,
        appeal_id=appeal.id,
        outcome=appeal.state.value,
        statement=reason,
    )
    audit(
        f"appeal.{appeal.state.value}",
        "appeal",
        appeal.id,
        actor_id=admin_id,
        reason=reason,
        member_id=member.id,
        report_id=report.id,
    )
    db.session.flush()


# -- text messages, sent after the commit ----------------------------------------------------


def _send(member: User, text: str) -> None:
    sms.sender().send(member.phone, text)


def _language(member: User) -> str:
    return web.language_of(member)


def send_suspension_sms(report: Report) -> None:
    """Tell the suspended member why, with the signed link to appeal (no sign-in)."""
    member = db.session.get(User, report.reported_id)
    link = public_url("safety.appeal_by_link", token=appeal_token(report))
    with force_locale(_language(member)):
        text = _(
            "[Queqiao] Your account is suspended. Reason: %(reason)s To appeal within "
            "%(days)d days, open %(link)s",
            reason=report.decision_reason,
            days=APPEAL_LINK_DAYS,
            link=link,
        )
    _send(member, text)


def send_appeal_decided_sms(appeal: Appeal) -> None:
    """A suspended member reads the appeal's outcome by SMS too."""
    member = db.session.get(User, appeal.member_id)
    with force_locale(_language(member)):
        if appeal.state is AppealState.overturned:
            text = _(
                "[Queqiao] Your appeal succeeded: your account is restored and you can "
                "sign in again. %(reason)s",
                reason=appeal.decision_reason,
            )
        else:
            text = _(
                "[Queqiao] Your appeal was reviewed and the suspension stands. Reason: %(reason)s",
                reason=appeal.decision_reason,
            )
    _send(member, text)
