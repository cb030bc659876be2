"""Profiles' demo data: hand-written profiles for the named demo members, the profiles
of quick match's synthetic population, and a drawn avatar for most members, stored
through the real upload path (decoded, re-encoded, thumbnailed), so cards and the photo
pages show photos. Every tenth member is left without one, to show a card with no photo.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.profiles import photos
from app.profiles.models import MemberPhoto, MemberProfile
from matching import Profile


@dataclass(frozen=True)
class DemoProfile:
    """A hand-written profile for one of the named demo members."""

    nickname: str
    city: str
    height_cm: int
    occupation: str
    tags: tuple[str, ...]
    bio: str
    age_min: int
    age_max: int
    cities: tuple[str, ...] = ()
    min_education: int | None = None
    height_min: int | None = None
    height_max: int | None = None


DEMO_PROFILES: dict[str, DemoProfile] = {
    "+8613800000011": DemoProfile(
        "思远", "杭州", 176, "程序员", ("编程", "羽毛球", "旅行", "咖啡"),
        "在杭州做程序员，工作比较稳定。周末喜欢打羽毛球，也爱出去旅行。"
        "希望遇到聊得来的你。", 23, 33, ("杭州", "绍兴", "嘉兴", "湖州", "宁波"),
    ),
    "+8613800000012": DemoProfile(
        "晓雯", "杭州", 163, "教师", ("读书", "烘焙", "电影", "猫"),
        "我是一名教师，在杭州工作。家里养了一只猫，平时喜欢看书和烘焙。"
        "想找一个真诚、踏实的人。", 26, 38, ("杭州", "绍兴", "嘉兴", "湖州", "宁波"),
        height_min=168,
    ),
    "+8613800000013": DemoProfile(
        "浩然", "宁波", 180, "工程师", ("跑步", "钓鱼", "茶", "摄影"),
        "宁波人，现在是一名工程师。下班后常去跑步，周末去东钱湖边钓鱼。"
        "希望遇到彼此珍惜的人，一起好好生活。", 26, 38,
    ),
    "+8613800000014": DemoProfile(
        "佳琪", "温州", 160, "设计师", ("画画", "旅行", "美食", "瑜伽"),
        "在温州做设计师。平时喜欢画画和探店找美食，偶尔也去旅行。"
        "期待遇到三观一致的你。", 25, 35, height_min=170,
    ),
}  # fmt: skip

QUESTIONNAIRE = {"kids": 4, "saving": 3, "family_time": 4, "pets": 4, "smoking": 1}
IMPORTANCE = {"kids": 2, "family_time": 2, "smoking": 3}


SIDE = 600
PALETTES = [
    ((255, 214, 214), (214, 48, 49)),
    ((255, 236, 200), (230, 126, 34)),
    ((214, 240, 255), (41, 128, 185)),
    ((220, 247, 230), (39, 174, 96)),
    ((236, 224, 255), (142, 68, 173)),
    ((255, 228, 240), (232, 67, 147)),
]


def avatar(seed: int) -> bytes:
    """A PNG avatar: a two-colour gradient and a head-and-shoulders silhouette."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    light, dark = rng.choice(PALETTES)
    image = Image.new("RGB", (SIDE, SIDE))
    draw = ImageDraw.Draw(image)
    for y in range(SIDE):
        t = y / (SIDE - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(light, dark, strict=True))
        draw.line([(0, y), (SIDE, y)], fill=colour)
    head = rng.randint(95, 120)
    centre_x = SIDE // 2 + rng.randint(-40, 40)
    centre_y = 230 + rng.randint(-20, 20)
    figure = (255, 255, 255)
    draw.ellipse([centre_x - head, centre_y - head, centre_x + head, centre_y + head], fill=figure)
    shoulders = rng.randint(190, 240)
    draw.ellipse(
        [centre_x - shoulders, centre_y + head + 20, centre_x + shoulders, SIDE + 260],
        fill=figure,
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_demo_photos() -> int:
    """A photo for demo members with a profile and no photo yet (idempotent). Flushes;
    returns how many were added."""
    with_photo = select(MemberPhoto.user_id)
    query = (
        select(MemberProfile.user_id)
        .where(MemberProfile.user_id.not_in(with_photo))
        .order_by(MemberProfile.user_id)
    )
    added = 0
    for user_id in db.session.scalars(query).all():
        if user_id % 10 == 0:
            continue
        photos.add(user_id, io.BytesIO(avatar(user_id)))
        added += 1
    return added


def add_demo_profiles() -> int:
    """Profiles for the named demo members who are verified and have none. Flushes;
    returns how many were added."""
    users = db.session.scalars(
        select(User).where(User.phone.in_(DEMO_PROFILES), User.state == AccountState.member)
    ).all()
    added = 0
    for user in users:
        if db.session.get(MemberProfile, user.id) is None:
            db.session.add(_from_demo(user.id, DEMO_PROFILES[user.phone]))
            added += 1
    db.session.flush()
    return added


def _from_demo(user_id: int, demo: DemoProfile) -> MemberProfile:
    return MemberProfile(
        user_id=user_id,
        nickname=demo.nickname,
        city=demo.city,
        height_cm=demo.height_cm,
        occupation=demo.occupation,
        tags=list(demo.tags),
        bio=demo.bio,
        answers=dict(QUESTIONNAIRE),
        answer_importance=dict(IMPORTANCE),
        age_min=demo.age_min,
        age_max=demo.age_max,
        cities=list(demo.cities),
        min_education=demo.min_education,
        height_min=demo.height_min,
        height_max=demo.height_max,
    )


def synthetic_profile(user_id: int, profile: Profile, nickname: str) -> None:
    """A synthetic member's profile, from the matcher's synthetic ``Profile`` (quick
    match's demo population). Adds it to the session."""
    db.session.add(MemberProfile.from_matching(user_id, profile, nickname))


# A member half-way through 完善资料: the first step saved (nickname, interests, a few
# lines), no values and no preferences yet (the drawn photo comes with the others').
ONBOARDING_MEMBER = "+8613800000015"


def add_onboarding_profile() -> int:
    """The profile of the member mid-onboarding, when verified and without one. Flushes."""
    user_id = db.session.scalar(
        select(User.id).where(User.phone == ONBOARDING_MEMBER, User.state == AccountState.member)
    )
    if user_id is None or db.session.get(MemberProfile, user_id) is not None:
        return 0
    db.session.add(
        MemberProfile(
            user_id=user_id,
            nickname="一鸣",
            city="杭州",
            tags=["篮球", "电影", "旅行"],
            bio="刚通过认证，正在完善资料。平时喜欢打篮球、看电影。",
            answers={},
            answer_importance={},
            cities=[],
        )
    )
    db.session.flush()
    return 1


def seed_demo() -> list[str]:
    """Profiles' part of ``flask demo seed``: the named demo members' profiles, and one
    member mid-onboarding. The drawn photos come after quick match adds its synthetic
    members (its seed calls ``add_demo_photos``). Flushes; returns the line to show."""
    added = add_demo_profiles() + add_onboarding_profile()
    return [f"Profiles: {added} demo profiles added."]
