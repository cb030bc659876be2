"""Demo data for quick match: profiles for the demo members, a synthetic population of
verified members around them, and today's suggestions.

The synthetic members go through a lean version of the real-name workflow: the same
operations open the case (identity encrypted, blind-indexed, masked), the in-process
departments answer, the same operation decides; only the tasks, their per-check
commits and the per-user password hashing are skipped, so 150 members take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, delete, or_, select

from app.accounts import passwords
from app.accounts.models import AccountState, Role, User
from app.db_types import utcnow
from app.demo import (
    DEMO_MATCHED,
    DEMO_MEMBER,
    SYNTHETIC_PHONE_PREFIX,
    consent_wording,
    is_synthetic_phone,
    synthetic_phone,
)
from app.extensions import db
from app.profiles.demo import synthetic_profile
from app.profiles.queries import members_with_profile
from app.quickmatch import service
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.quickmatch.settings import Settings
from app.relations.models import Match
from app.verification import operations, runtime
from matching import Profile
from verification.departments import Applicant
from verification.policy import Decision
from verification.resident_id import check_character

SYNTHETIC_MEMBERS = 150
SYNTHETIC_SEED = 2026


# Region codes (resident ID digits 1-6) of a district in each city of Zhejiang.
REGIONS = {
    "杭州": "330102", "宁波": "330203", "温州": "330302", "嘉兴": "330402",
    "湖州": "330502", "绍兴": "330602", "金华": "330702", "衢州": "330802",
    "舟山": "330902", "台州": "331002", "丽水": "331102",
}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = {
    "F": ("欣怡", "雨桐", "诗涵", "梓萱", "思彤", "佳怡", "若曦", "晓雯", "一诺", "语嫣", "静怡"),
    "M": ("浩宇", "子轩", "俊杰", "宇航", "博文", "志远", "嘉豪", "天佑", "明哲", "思源", "文涛"),
}


def add_synthetic_members(
    password: str, count: int = SYNTHETIC_MEMBERS, today: date | None = None
) -> int:
    """Verified members from ``benchmarks.synthetic`` (phones ``synthetic_phone(i)``), each
    with ``password``, an approved case and a profile; those already there are kept.
    Flushes; returns how many were added."""
    # The generator lives beside the benchmarks, outside the installed packages: the demo
    # is a development tool run from the repository (bin/serve), so it is imported only
    # here, when seeding (it also loads NumPy).
    try:
        from benchmarks.synthetic import generate
    except ModuleNotFoundError as missing:
        if missing.name != "benchmarks":
            raise
        raise RuntimeError(
            "The demo's synthetic members come from benchmarks/ in the repository: "
            "run `flask demo seed` from the repository root."
        ) from missing

    population = generate(count, seed=SYNTHETIC_SEED, today=today)
    existing = set(
        db.session.scalars(select(User.phone).where(User.phone.like(f"{SYNTHETIC_PHONE_PREFIX}%")))
    )
    password_hash = passwords.hash_password(password)  # once: hashing is slow on purpose
    added = 0
    for index, profile in enumerate(population.profiles):
        phone = synthetic_phone(index)
        if phone in existing:
            continue
        user = User(phone=phone, password_hash=password_hash, role=Role.member)
        db.session.add(user)
        db.session.flush()
        if _verify(user, index, profile):
            synthetic_profile(user.id, profile, _name(index, profile.gender)[1:])
            added += 1
    db.session.flush()
    return added


def _verify(user: User, index: int, profile: Profile) -> bool:
    """Open, check and decide the member's real-name case in-process; whether approved."""
    name = _name(index, profile.gender)
    number = _id_number(index, profile)
    try:
        case = operations.open_case(
            user, name, number, consent_wording(), runtime.protector(), runtime.policy()
        )
    except operations.ApplicationRefused:
        return False
    applicant = Applicant(name=name, id_number=number)
    for check in case.checks:
        operations.start_attempt(check, runtime.policy())
        operations.record_answer(check, runtime.department(check.department).check(applicant))
    return operations.decide(case, runtime.policy()) == Decision.approve


def _name(index: int, gender: str) -> str:
    given = GIVEN[gender]
    return SURNAMES[index * 7 % len(SURNAMES)] + given[index * 3 % len(given)]


def _id_number(index: int, profile: Profile) -> str:
    """A valid number for the member's city, birth date and gender. Digits 15-16 stay in
    10..87 (every department passes; 88-99 pick the stubs' scenarios) and with digit
    17 are unique per index."""
    sequence = 10 + index % 78
    gender_digit = 2 * (index // 78 % 5) + (1 if profile.gender == "M" else 0)
    body = f"{REGIONS.get(profile.city, '330102')}{profile.birth_date:%Y%m%d}"
    body += f"{sequence:02d}{gender_digit}"
    return body + check_character(body)


# -- Today (每日速配): likes waiting to be returned and one match -----------------------------

LIKES_WAITING = 2  # members on his list today who already like him
MATCHED_DAYS_AGO = 3


@dataclass(frozen=True)
class TodayDemo:
    member_id: int | None
    likes_waiting: int  # likes of him added in this run
    match_id: int | None


def add_today_demo(settings: Settings) -> TodayDemo:
    """For the demo member, after today's lists are written: likes from the first
    members on his list (so liking one back makes a match at once) and a match with
    晓雯. Idempotent. Flushes."""
    day = settings.today()
    member_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
    matched_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MATCHED))
    if member_id is None:
        return TodayDemo(None, 0, None)
    match_id = _demo_match(member_id, matched_id, day) if matched_id else None
    return TodayDemo(member_id, _likes_waiting(member_id, day), match_id)


def _demo_match(member_id: int, other_id: int, day: date) -> int:
    pair = Match.between(member_id, other_id)
    match = db.session.scalar(
        select(Match).where(Match.user_a_id == pair.user_a_id, Match.user_b_id == pair.user_b_id)
    )
    if match is None:
        pair.created_at = utcnow() - timedelta(days=MATCHED_DAYS_AGO)
        db.session.add(pair)
        match = pair
    # Matched members are never suggested to each other: drop them from the day's lists.
    row = DailySuggestion
    db.session.execute(
        delete(row).where(
            row.day == day,
            or_(
                and_(row.viewer_id == member_id, row.candidate_id == other_id),
                and_(row.viewer_id == other_id, row.candidate_id == member_id),
            ),
        )
    )
    db.session.flush()
    return match.id


def _likes_waiting(member_id: int, day: date) -> int:
    listed = db.session.scalars(
        select(DailySuggestion.candidate_id)
        .where(DailySuggestion.day == day, DailySuggestion.viewer_id == member_id)
        .order_by(DailySuggestion.rank)
        .limit(LIKES_WAITING)
    ).all()
    liking = set(db.session.scalars(select(Reaction.from_id).where(Reaction.to_id == member_id)))
    added = 0
    for candidate_id in listed:
        if candidate_id not in liking:
            db.session.add(
                Reaction(from_id=candidate_id, to_id=member_id, kind=ReactionKind.like, day=day)
            )
            added += 1
    db.session.flush()
    return added


def seed_demo() -> list[str]:
    """Quick match's part of ``flask demo seed`` (after profiles' demo profiles): a
    synthetic population of verified members around them (with drawn photos), today's
    suggestions (only for members without a list) and the Today page's likes and match.
    Flushes; the demo runner commits. Returns the lines to show."""
    from app.demo import DEMO_PASSWORD  # beside the accounts it is the password of
    from app.profiles.demo import add_demo_photos

    members = add_synthetic_members(DEMO_PASSWORD)
    add_demo_photos()  # drawn avatars through the real upload path
    settings = Settings.current()
    summary = service.run(settings.today(), settings)
    add_today_demo(settings)  # the Today page: likes waiting, a match
    match_lounge_partner()  # the lounge's second conversation (a flagged message)
    first, last = (synthetic_phone(i)[3:] for i in (0, SYNTHETIC_MEMBERS - 1))
    return [
        f"Quick match (每日速配): {members} synthetic verified members added"
        f" ({first} - {last}, same password).",
        f"Today's suggestions ({summary.day.isoformat()}):",
        *(f"  {line}" for line in service.summary_lines(summary)),
    ]


def match_lounge_partner() -> int | None:
    """Match the demo member with the last synthetic member who has a profile (the
    lounge's demo writes their conversation, with a message the fraud rules flag) and
    take the two off each other's Today list. Kept on a second seeding. Flushes."""
    member_id = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
    if member_id is None:
        return None
    rows = db.session.execute(
        select(User.id, User.phone)
        .where(User.id.in_(members_with_profile()))
        .where(User.state == AccountState.member, User.id != member_id)
        .order_by(User.id.desc())
    )
    partner_id = next((uid for uid, phone in rows if is_synthetic_phone(phone)), None)
    if partner_id is None:
        return None
    pair = Match.between(member_id, partner_id)
    existing = select(Match.id).where(
        Match.user_a_id == pair.user_a_id, Match.user_b_id == pair.user_b_id
    )
    if db.session.scalar(existing) is None:
        pair.created_at = utcnow() - timedelta(days=1)
        db.session.add(pair)
    db.session.execute(
        delete(DailySuggestion).where(
            or_(
                and_(
                    DailySuggestion.viewer_id == member_id,
                    DailySuggestion.candidate_id == partner_id,
                ),
                and_(
                    DailySuggestion.viewer_id == partner_id,
                    DailySuggestion.candidate_id == member_id,
                ),
            )
        )
    )
    db.session.flush()
    return partner_id
