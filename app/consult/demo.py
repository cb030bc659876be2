"""Demo consultations (红娘一对一): requests spread over the two demo matchmakers
(王老师 and 李老师) — one just asked, one being answered, resolved and rated ones, and
one resolved that 思远 has yet to rate. Added once (nothing when any request exists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.consult.assignment import ANSWER_WITHIN
from app.consult.models import Consultation, ConsultationMessage, ConsultationState, Topic
from app.db_types import utcnow
from app.extensions import db

WANG, LI = "+8613800000002", "+8613800000003"
SIYUAN, XIAOWEN, HAORAN, JIAQI = (f"+86138000000{n}" for n in (11, 12, 13, 14))


@dataclass(frozen=True)
class DemoRequest:
    member: str
    matchmaker: str
    topic: Topic
    body: str
    days_ago: int
    thread: tuple[tuple[str, str], ...] = ()  # (who: "m" member / "k" matchmaker, text)
    resolved: bool = False
    rating: int | None = None
    comment: str | None = None


REQUESTS = (
    DemoRequest(
        XIAOWEN, WANG, Topic.profile,
        "老师您好，我的个人简介总觉得写得太平淡了，不知道怎样写才能让别人更了解我？",
        0,
    ),
    DemoRequest(
        HAORAN, LI, Topic.chatting,
        "和一位女生配对后聊了几天，她回复越来越慢，我是不是哪里说错话了？",
        2,
        (
            ("k", "别着急，回复变慢不一定是坏事，也许她最近工作忙。"
                  "可以试着聊聊她感兴趣的话题，比如她资料里写的徒步。"),
            ("m", "谢谢李老师，我试试约她周末一起去爬山。"),
        ),
    ),
    DemoRequest(
        JIAQI, WANG, Topic.first_date,
        "下周第一次和对方见面，有点紧张，选在什么地方比较合适？",
        6,
        (
            ("k", "建议白天在人多、安静的公共场所见面，比如商场里的咖啡馆或书店，"
                  "时间控制在两小时左右。"),
            ("m", "好的，我们约了周六下午在西湖边的书店咖啡馆。"),
            ("k", "很好的选择！记得提前告诉家人或朋友你的行程，祝一切顺利。"),
        ),
        resolved=True, rating=5, comment="王老师很耐心，建议很实用，谢谢！",
    ),
    DemoRequest(
        SIYUAN, LI, Topic.safety,
        "聊天的对象提出让我下载另一个投资软件，说能带我赚钱，这正常吗？",
        9,
        (
            ("k", "这是典型的“杀猪盘”手法，请不要下载、不要转账。"
                  "建议立即在会客厅里举报并拉黑对方。"),
            ("m", "明白了，已经举报了，幸好没有转钱。"),
        ),
        resolved=True, rating=4, comment="提醒得很及时。",
    ),
    DemoRequest(
        SIYUAN, WANG, Topic.relationship,
        "交往三个月了，想见对方父母，但不知道什么时候提比较合适。",
        4,
        (
            ("k", "可以先和对方聊聊彼此对未来的打算，确认双方都准备好了，再一起商量见家长的时间。"),
        ),
        resolved=True,
    ),
    # Open, the matchmaker's reply the latest word: the home page's "a matchmaker replied".
    DemoRequest(
        SIYUAN, WANG, Topic.first_date,
        "周末第一次和晓雯见面，想送一个小礼物，会不会太正式了？",
        1,
        (
            ("k", "第一次见面送一本书或一束小花就很好，心意到了就行，不必贵重。"),
        ),
    ),
)  # fmt: skip


def _ids(*phones: str) -> dict[str, int]:
    rows = db.session.execute(select(User.phone, User.id).where(User.phone.in_(phones)))
    return dict(rows.all())


def add_consult_demo() -> int:
    """Add the demo requests once; returns how many were added. Commits."""
    if db.session.scalar(select(Consultation.id).limit(1)) is not None:
        return 0
    ids = _ids(WANG, LI, SIYUAN, XIAOWEN, HAORAN, JIAQI)
    if len(ids) < 6:
        return 0
    now = utcnow()
    for demo in REQUESTS:
        _add(demo, ids, now)
    db.session.commit()
    return len(REQUESTS)


def _add(demo: DemoRequest, ids: dict[str, int], now: datetime) -> None:
    asked = now - timedelta(days=demo.days_ago, hours=3)
    assigned = asked + timedelta(seconds=5)
    member_id, matchmaker_id = ids[demo.member], ids[demo.matchmaker]
    consultation = Consultation(
        member_id=member_id,
        matchmaker_id=matchmaker_id,
        topic=demo.topic,
        body=demo.body,
        state=ConsultationState.open,
        created_at=asked,
        assigned_at=assigned,
        answer_due_at=assigned + ANSWER_WITHIN,
    )
    db.session.add(consultation)
    db.session.flush()
    at = assigned
    for who, text in demo.thread:
        at += timedelta(hours=2)
        author = matchmaker_id if who == "k" else member_id
        if who == "k" and consultation.first_answer_at is None:
            consultation.first_answer_at = at
        db.session.add(
            ConsultationMessage(
                consultation_id=consultation.id, author_id=author, body=text, created_at=at
            )
        )
    if demo.resolved:
        consultation.state = ConsultationState.resolved
        consultation.resolved_at = at + timedelta(hours=1)
    if demo.rating is not None:
        consultation.rating, consultation.rating_comment = demo.rating, demo.comment
        consultation.rated_at = at + timedelta(hours=3)
