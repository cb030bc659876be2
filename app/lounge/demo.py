"""Demo data for the love lounge: the demo member (思远) has two conversations, one
with 晓雯 (his quick-match match) and one with another member whose last message is a
typical scam opener ("加我微信，带你投资稳赚"), flagged and shown with a warning; and a
match made two hours ago in which nobody has written yet (the home page's "new match")."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from app.accounts.models import AccountState, User
from app.db_types import utcnow
from app.demo import DEMO_MATCHED, DEMO_MEMBER, is_synthetic_phone
from app.extensions import db
from app.lounge import fraud
from app.lounge.models import Message
from app.profiles.queries import members_with_profile
from app.relations.models import Match
from app.verification.queries import verified_gender

ME, THEM = "me", "them"

WITH_MATCHED = [
    (THEM, "你好呀，看到你也喜欢徒步，最近去哪里走过？"),
    (ME, "你好！上个月刚走完九溪十八涧，秋天的枫叶特别好看。"),
    (THEM, "哇，我一直想去还没去成。你一般周末都出去走吗？"),
    (ME, "天气好就会去。周末一起去西湖走走？从北山路走到断桥，不累。"),
    (THEM, "好呀，周六上午可以吗？我十点左右有空。"),
    (ME, "可以，十点在断桥边的咖啡店门口见？"),
]

WITH_FLAGGED = [
    (THEM, "你好，你的资料写得很真诚，我很喜欢。"),
    (ME, "谢谢，你平时工作忙吗？"),
    (THEM, "还好，我在做金融，时间比较自由。你有没有理财的打算？"),
    (ME, "暂时没有，我更想先好好认识一下。"),
    (THEM, "这里聊天不方便，加我微信，带你投资稳赚，很多朋友都赚到了。"),
]


def _match(one: int, other: int, created: datetime) -> Match:
    pair = Match.between(one, other)
    match = db.session.scalar(
        select(Match).where(Match.user_a_id == pair.user_a_id, Match.user_b_id == pair.user_b_id)
    )
    if match is None:
        pair.created_at = created
        db.session.add(pair)
        db.session.flush()
        match = pair
    return match


def _flagged_partner_id(member_id: int) -> int | None:
    """The synthetic member the demo member is already matched with (a second seeding),
    else the last synthetic member with a profile."""
    matched = select(Match.user_a_id + Match.user_b_id - member_id).where(
        or_(Match.user_a_id == member_id, Match.user_b_id == member_id)
    )
    rows = db.session.execute(
        select(User.id, User.phone)
        .where(User.id.in_(members_with_profile()), User.state == AccountState.member)
        .order_by(User.id.in_(matched).desc(), User.id.desc())
    )
    return next((user_id for user_id, phone in rows if is_synthetic_phone(phone)), None)


def _write(match: Match, member_id: int, lines: list[tuple[str, str]], start: datetime) -> int:
    if db.session.scalar(select(func.count(Message.id)).where(Message.match_id == match.id)):
        return 0
    other_id = match.user_b_id if match.user_a_id == member_id else match.user_a_id
    for index, (who, body) in enumerate(lines):
        reasons = fraud.assess(body)
        created = start + timedelta(minutes=7 * index)
        db.session.add(
            Message(
                match_id=match.id,
                sender_id=member_id if who == ME else other_id,
                body=body,
                created_at=created,
                # The demo member has read all but the last message from the other side.
                read_at=None if index == len(lines) - 1 else created + timedelta(minutes=1),
                flagged=bool(reasons),
                flag_reasons=reasons,
            )
        )
    db.session.flush()
    return len(lines)


def add_lounge_demo() -> int:
    """The demo member's two conversations; returns the messages added (0 when they are
    there already). Flushes."""
    member_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
    matched_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MATCHED))
    if member_id is None:
        return 0
    now = utcnow()
    added = 0
    if matched_id is not None:
        match = _match(member_id, matched_id, now - timedelta(days=3))
        added += _write(match, member_id, WITH_MATCHED, now - timedelta(days=2))
    partner_id = _flagged_partner_id(member_id)
    if partner_id is not None:
        # Quick match's demo matched the two and took them off each other's Today.
        match = _match(member_id, partner_id, now - timedelta(days=1))
        added += _write(match, member_id, WITH_FLAGGED, now - timedelta(hours=5))
        fresh_id = _fresh_partner_id(partner_id)
        if fresh_id is not None:
            _match(member_id, fresh_id, now - timedelta(hours=2))
    return added


def _fresh_partner_id(flagged_id: int) -> int | None:
    """The synthetic woman with a profile just before the flagged partner (by id): the
    same one on every seeding."""
    rows = db.session.execute(
        select(User.id, User.phone)
        .where(User.id.in_(members_with_profile()), User.state == AccountState.member)
        .where(User.id < flagged_id)
        .order_by(User.id.desc())
        .limit(20)
    )
    return next(
        (
            user_id
            for user_id, phone in rows
            if is_synthetic_phone(phone) and verified_gender(user_id) == "F"
        ),
        None,
    )
