"""Demo data for the embedded default, so a newcomer can click through at once.

Idempotent: running it again adds only what is missing. Every feature adds its
part here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import operations
from app.accounts.models import AccountState, Role, User
from app.extensions import db

DEMO_PASSWORD = "Queqiao-demo-2026"  # noqa: S105 - published on purpose, demo data only


@dataclass(frozen=True)
class DemoUser:
    phone: str
    role: Role
    state: AccountState
    note: str


DEMO_USERS = [
    DemoUser("+8613800000001", Role.admin, AccountState.member, "administrator"),
    DemoUser("+8613800000002", Role.matchmaker, AccountState.member, "matchmaker (红娘) 王老师"),
    DemoUser("+8613800000003", Role.matchmaker, AccountState.member, "matchmaker (红娘) 李老师"),
    DemoUser("+8613800000011", Role.member, AccountState.member, "verified member"),
    DemoUser("+8613800000012", Role.member, AccountState.member, "verified member"),
    DemoUser("+8613800000013", Role.member, AccountState.member, "verified member"),
    DemoUser("+8613800000014", Role.member, AccountState.member, "verified member"),
    DemoUser("+8613800000021", Role.member, AccountState.verifying, "verification in progress"),
    DemoUser("+8613800000031", Role.member, AccountState.registered, "registered, not verified"),
    DemoUser("+8613800000041", Role.member, AccountState.suspended, "suspended member"),
]


def seed() -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing; return each with whether it was new.

    Flushes; the caller commits.
    """
    existing = set(db.session.scalars(select(User.phone)))
    created = []
    for demo in DEMO_USERS:
        is_new = demo.phone not in existing
        if is_new:
            operations.create_user(
                demo.phone, DEMO_PASSWORD, demo.role, demo.state, check_strength=False
            )
        created.append((demo, is_new))
    return created
