"""Demo data for safety: the administrators' reports queue has something in each place.

- an automatic fraud-filter report about the member who sent 思远 the flagged
  "加我微信，带你投资稳赚" (the lounge demo's conversation);
- an open report by 思远 about that member, with their conversation as evidence;
- 浩然 warned after a report by 佳琪, with his appeal waiting for a decision.

Idempotent: each part is added only when it is not there yet.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.demo import DEMO_MEMBER
from app.extensions import db
from app.lounge.queries import flagged_messages_to
from app.safety import moderation, operations
from app.safety.models import Report, ReportReason, ReportSource

ADMIN_PHONE = "+8613800000001"
WARNED_PHONE = "+8613800000013"  # 浩然
REPORTER_PHONE = "+8613800000014"  # 佳琪
WARNING = "你多次在对方明确拒绝后继续发消息约见面，这违反了社区规范。请尊重对方的意愿。"
APPEAL = "我以为对方只是工作忙，并没有拒绝的意思。以后我会注意，请重新考虑这次警告。"


def _user_id(phone: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.phone == phone))


def _reported(reported_id: int, source: ReportSource) -> bool:
    query = select(Report.id).where(Report.reported_id == reported_id, Report.source == source)
    return db.session.scalar(query.limit(1)) is not None


def _scam_reports(member_id: int) -> int:
    flagged = flagged_messages_to(member_id)
    if not flagged:
        return 0
    sender_id = flagged[-1].sender_id
    added = 0
    if not _reported(sender_id, ReportSource.fraud_filter):
        for message in flagged:
            operations.record_flagged_message(sender_id, member_id, message.id)
        added += 1
    if not _reported(sender_id, ReportSource.member):
        note = "聊了几句就让我加微信，还说带我投资稳赚，感觉是骗子。"
        operations.report(member_id, sender_id, ReportReason.fraud_or_money, note, False, utcnow())
        added += 1
    return added


def _warned_with_appeal(admin_id: int) -> int:
    warned_id, reporter_id = _user_id(WARNED_PHONE), _user_id(REPORTER_PHONE)
    if warned_id is None or reporter_id is None or _reported(warned_id, ReportSource.member):
        return 0
    now = utcnow()
    report = Report(
        reporter_id=reporter_id,
        reported_id=warned_id,
        reason=ReportReason.harassment,
        note="我说了不方便见面，他还是每天发很多条消息。",
        evidence={"conversations": [], "flagged_message_ids": []},
        source=ReportSource.member,
        created_at=now - timedelta(days=2),
    )
    db.session.add(report)
    db.session.flush()
    moderation.decide(report, admin_id, moderation.Decision.warn, WARNING, now - timedelta(days=1))
    moderation.file_appeal(report, warned_id, APPEAL, now - timedelta(hours=3))
    return 1


def add_safety_demo() -> int:
    """Add what is missing of the three; returns how many parts were added. Commits."""
    member_id, admin_id = _user_id(DEMO_MEMBER), _user_id(ADMIN_PHONE)
    if member_id is None or admin_id is None:
        return 0
    added = _scam_reports(member_id) + _warned_with_appeal(admin_id)
    db.session.commit()
    return added
