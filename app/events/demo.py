"""Demo data for the events: upcoming events by the demo matchmakers (王老师, 李老师) in
杭州 and 宁波 — frisbee, a murder-mystery game (full, with a waitlist), a film, a
citywalk and a lecture — and last weekend's citywalk, which the demo member (思远)
attended with other members: he can choose whom to see again, and one of them has
already chosen him (choosing her back makes a match)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.db_types import utcnow
from app.demo import DEMO_MEMBER, is_synthetic_phone
from app.events.attendance import new_code
from app.events.models import Event, EventCategory, Pick, Signup, SignupState
from app.events.operations import verified_gender
from app.extensions import db
from app.relations.models import Match
from app.verification.queries import approved_identities

WANG, LI = "+8613800000002", "+8613800000003"
PAST_TITLE = "城市漫步：白马湖畔的秋天"
PAST_TEXT = "沿白马湖走一圈，途中在湖边茶室休息，聊聊各自喜欢的城市角落。"

# (organiser, title, category, city, place, days ahead, start hour UTC, capacity, cap, text)
UPCOMING = [
    (WANG, "西湖草坪飞盘·新手局", EventCategory.frisbee, "杭州", "西湖文化广场东侧草坪",
     3, 1, 16, 8, "教练带大家从传接盘练起，最后打一场友谊赛。请穿运动鞋，带好水。"),
    (LI, "剧本杀《长安夜》", EventCategory.murder_mystery, "宁波", "鼓楼沿 3 号二楼",
     5, 6, 6, 3, "六人欢乐推理本，不烧脑，适合第一次玩。男女各三位。"),
    (WANG, "周五观影：《你好，李焕英》", EventCategory.film, "杭州", "湖滨银泰 in77 影城 5 号厅",
     6, 11, 20, None, "看完电影后在影院旁的咖啡馆聊聊各自的家人和故事。"),
    (LI, "城市漫步：南宋御街", EventCategory.citywalk, "杭州", "鼓楼城墙下集合",
     9, 1, 12, 6, "跟着本地老师走一遍南宋御街，边走边聊，全程约 3 公里。"),
    (WANG, "讲座：第一次约会怎么聊", EventCategory.lecture, "宁波", "宁波图书馆新馆报告厅",
     12, 6, 80, None, "红娘王老师分享第一次见面的聊天话题、分寸与安全提示，现场可提问。"),
]  # fmt: skip


def _user_id(phone: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.phone == phone))


def _synthetic_by_gender(limit: int) -> dict[str, list[int]]:
    """Verified synthetic members of each gender, lowest ids first."""
    identity = approved_identities()
    rows = db.session.execute(
        select(User.id, User.phone, identity.c.gender)
        .join(identity, identity.c.user_id == User.id)
        .where(User.state == AccountState.member)
        .order_by(User.id)
    )
    found: dict[str, list[int]] = {"M": [], "F": []}
    for user_id, phone, gender in rows:
        if is_synthetic_phone(phone) and len(found.get(gender, [])) < limit:
            found.setdefault(gender, []).append(user_id)
    return found


def _event(
    organiser_id: int,
    title: str,
    category: EventCategory,
    city: str,
    place: str,
    start: datetime,
    hours: float,
    capacity: int,
    cap: int | None,
    text: str,
) -> Event:
    event = Event(
        organiser_id=organiser_id,
        title=title,
        category=category,
        city=city,
        place=place,
        description=text,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        gender_cap=cap,
        signup_deadline=start - timedelta(hours=12),
        cancel_deadline=start - timedelta(days=1),
        checkin_code=new_code(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def _seat(event: Event, member_id: int, state: SignupState, at: datetime, gender: str) -> None:
    checked = at if event.ends_at < utcnow() and state is SignupState.confirmed else None
    signup = Signup(event_id=event.id, member_id=member_id, state=state, gender=gender)
    signup.queued_at = signup.created_at = at
    signup.checked_in_at = checked
    db.session.add(signup)


def add_events_demo() -> int:
    """Add the demo events once; returns how many were added. Flushes."""
    wang, li, me = _user_id(WANG), _user_id(LI), _user_id(DEMO_MEMBER)
    if None in (wang, li, me) or db.session.scalar(select(Event.id).limit(1)):
        return 0
    people = _synthetic_by_gender(12)
    if len(people["M"]) < 6 or len(people["F"]) < 6:
        return 0
    organisers = {WANG: wang, LI: li}
    today = utcnow().replace(minute=0, second=0, microsecond=0)
    events = []
    for phone, title, category, city, place, days, hour, capacity, cap, text in UPCOMING:
        start = today.replace(hour=hour) + timedelta(days=days)
        organiser = organisers[phone]
        events.append(
            _event(organiser, title, category, city, place, start, 2.5, capacity, cap, text)
        )
    _fill_the_murder_mystery(events[1], people, today)
    # The demo member has a seat at the frisbee: the home page's "your next event".
    _seat(events[0], me, SignupState.confirmed, today - timedelta(days=1), "M")
    _past_citywalk(wang, me, people, today)
    return len(events) + 1


def _fill_the_murder_mystery(event: Event, people: dict[str, list[int]], now: datetime) -> None:
    """Full: three men and three women seated, one more of each waiting."""
    for i, gender in enumerate(("M", "F")):
        for j, member_id in enumerate(people[gender][:4]):
            at = now - timedelta(hours=30 - 2 * j - i)
            state = SignupState.confirmed if j < 3 else SignupState.waitlisted
            _seat(event, member_id, state, at, gender)


def _past_citywalk(organiser_id: int, me: int, people: dict[str, list[int]], now: datetime) -> None:
    """Last weekend's citywalk: 思远 and five members checked in; one of the women
    (not matched with him already) has chosen him."""
    start = now - timedelta(days=3, hours=now.hour - 1)
    place = "白马湖公园南门"
    event = _event(
        organiser_id, PAST_TITLE, EventCategory.citywalk, "杭州", place, start, 3, 10, 5, PAST_TEXT
    )
    matched = _matched_with(me)
    women = [w for w in people["F"][6:] if w not in matched][:3]
    men = people["M"][6:8]
    _seat(event, me, SignupState.confirmed, start - timedelta(days=4), verified_gender(me) or "M")
    for k, member_id in enumerate(women + men):
        gender = "F" if member_id in women else "M"
        _seat(event, member_id, SignupState.confirmed, start - timedelta(days=3, hours=k), gender)
    if women:
        db.session.add(Pick(event_id=event.id, picker_id=women[0], picked_id=me))
    db.session.flush()


def _matched_with(member_id: int) -> set[int]:
    rows = db.session.execute(
        select(Match.user_a_id, Match.user_b_id).where(
            (Match.user_a_id == member_id) | (Match.user_b_id == member_id)
        )
    )
    return {a if b == member_id else b for a, b in rows}
