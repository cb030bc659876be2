"""Demo data for the embedded default, so a newcomer can click through at once.

Idempotent: running it again adds only what is missing. The demo accounts of every
role and state (with their real-name applications) come first; then every feature adds
its part, declared on its Feature (``demo``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app import features
from app.accounts import operations
from app.accounts.models import AccountState, Role, User
from app.extensions import db
from app.verification import operations as verification
from app.verification import runtime, tasks
from app.verification.settings import Settings as VerificationSettings
from verification.resident_id import check_character

DEMO_PASSWORD = "Queqiao-demo-2026"  # noqa: S105 - published on purpose, demo data only
DEMO_MEMBER = "+8613800000011"  # 思远: sign in as him to see every member feature
DEMO_MATCHED = "+8613800000012"  # 晓雯: matched with him a few days ago
# 13800010000, 13800010001, ...: apart from the named demo accounts (13800000xxx).
SYNTHETIC_PHONE_PREFIX = "+861380001"


def synthetic_phone(index: int) -> str:
    return f"{SYNTHETIC_PHONE_PREFIX}{index:04d}"


def is_synthetic_phone(phone: str) -> bool:
    return phone.startswith(SYNTHETIC_PHONE_PREFIX) and len(phone) == 14


class DemoRefused(Exception):
    """Demo data is for development: its accounts share a published password."""


def refuse_in_production() -> None:
    """Raise ``DemoRefused`` when the app runs in production (``QUEQIAO_ENV=production``)."""
    if current_app.config["ENV_NAME"] == "production":
        raise DemoRefused(
            "Refusing to add demo data in production (QUEQIAO_ENV=production): the demo "
            "accounts, an administrator among them, share a published password."
        )


@dataclass(frozen=True)
class DemoUser:
    phone: str
    role: Role
    state: AccountState  # the state the demo user ends in
    note: str
    # Real-name application: (name, birth date, scenario digits 15-16) or None.
    identity: tuple[str, date, str] | None = None


DEMO_USERS = [
    DemoUser("+8613800000001", Role.admin, AccountState.member, "administrator"),
    DemoUser("+8613800000002", Role.matchmaker, AccountState.member, "matchmaker (红娘) 王老师"),
    DemoUser("+8613800000003", Role.matchmaker, AccountState.member, "matchmaker (红娘) 李老师"),
    DemoUser("+8613800000011", Role.member, AccountState.member, "verified member",
             ("陈思远", date(1995, 3, 14), "12")),
    DemoUser("+8613800000012", Role.member, AccountState.member, "verified member",
             ("林晓雯", date(1997, 8, 2), "34")),
    DemoUser("+8613800000013", Role.member, AccountState.member,
             "verified member (divorced)", ("周浩然", date(1991, 11, 30), "88")),
    DemoUser("+8613800000014", Role.member, AccountState.member, "verified member",
             ("吴佳琪", date(1998, 6, 21), "56")),
    DemoUser("+8613800000021", Role.member, AccountState.verifying,
             "verification waiting for an administrator (degree)",
             ("郑雨桐", date(1996, 1, 9), "93")),
    DemoUser("+8613800000022", Role.member, AccountState.registered,
             "verification rejected (married)", ("孙立伟", date(1990, 4, 5), "92")),
    DemoUser("+8613800000031", Role.member, AccountState.registered,
             "registered, not yet verified: try the application"),
    DemoUser("+8613800000041", Role.member, AccountState.suspended, "suspended member"),
    DemoUser("+8613800000015", Role.member, AccountState.member,
             "verified member completing the profile (完善资料)",
             ("许一鸣", date(1996, 10, 18), "56")),
]  # fmt: skip


def demo_id_number(birth: date, scenario: str, gender_digit: str) -> str:
    body = f"330106{birth:%Y%m%d}{scenario}{gender_digit}"
    return body + check_character(body)


def seed() -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing, and run their real-name applications
    through the (in-process) departments; return each user with whether it was new.

    Commits after each application (the workflow's tasks commit). Refused in production.
    """
    refuse_in_production()
    existing = set(db.session.scalars(select(User.phone)))
    created = []
    for index, demo in enumerate(DEMO_USERS):
        is_new = demo.phone not in existing
        if is_new:
            # Applicants start registered; their application decides where they end.
            state = AccountState.registered if demo.identity else demo.state
            user = operations.create_user(
                demo.phone, DEMO_PASSWORD, demo.role, state, check_strength=False
            )
            db.session.commit()
            if demo.identity:
                _apply(user, demo.identity, gender_digit=str(index % 10))
        created.append((demo, is_new))
    return created


def consent_wording() -> str:
    """The consents' wording in force: demo applicants consent to what a real one would."""
    return VerificationSettings.current().consent_wording


def _apply(user: User, identity: tuple[str, date, str], gender_digit: str) -> None:
    name, birth, scenario = identity
    number = demo_id_number(birth, scenario, gender_digit)
    try:
        case = verification.open_case(
            user, name, number, consent_wording(), runtime.protector(), runtime.policy()
        )
    except verification.ApplicationRefused:  # e.g. the identity is held by an older row
        db.session.rollback()
        return
    db.session.commit()
    tasks.dispatch_case.apply(args=[case.id])  # runs here, whatever the broker setting


def seed_features() -> list[str]:
    """Each feature's part of the demo (``Feature.demo``), in ``FEATURES`` order, on top
    of the demo accounts; commits after each feature. Returns the lines the features
    report for people (a seed may return a list of lines). Refused in production."""
    refuse_in_production()
    lines: list[str] = []
    for _name, seed_feature in features.registry().demo_seeds():
        reported = seed_feature()
        db.session.commit()
        if isinstance(reported, list):
            lines.extend(reported)
    return lines
