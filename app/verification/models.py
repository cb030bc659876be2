"""Verification cases (认证申请), their department checks, consents and verified facts.

The real name and ID number are stored only encrypted, with a masked copy for
display and a keyed hash (blind index) for the one-person-one-account rule.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db
from verification.departments import Department


class CaseState(enum.StrEnum):
    checking = "checking"  # departments are being asked
    review = "review"  # waiting for an administrator
    approved = "approved"  # the applicant is a member
    rejected = "rejected"
    # Approved, then a re-check of an expired fact failed: member access withdrawn.
    # The identity stays with this user, who may apply again.
    lapsed = "lapsed"


OPEN_CASE_STATES = (CaseState.checking, CaseState.review)
# The account of an approved case holds its ID number; after a lapse it still does
# (the same person may apply again, nobody else may become a member with it).
HOLDING_CASE_STATES = (CaseState.approved, CaseState.lapsed)


class CheckState(enum.StrEnum):
    queued = "queued"
    running = "running"
    # Its department's system is down (circuit breaker open): no attempt is spent; it
    # resumes when the department recovers (``app.verification.health``).
    waiting = "waiting"
    passed = "passed"
    failed = "failed"
    review = "review"
    error = "error"  # still unavailable after every retry

    @property
    def is_final(self) -> bool:
        return self not in (CheckState.queued, CheckState.running, CheckState.waiting)


def _states_sql(states: tuple[CaseState, ...]) -> Any:
    return text("state IN (" + ", ".join(f"'{s.value}'" for s in states) + ")")


_APPROVED_IDENTITY_SQL = text("state = 'approved' AND id_number_index <> ''")


class Case(db.Model):
    __tablename__ = "verification_case"
    __table_args__ = (
        # One open case per user: a double-submitted form creates one case.
        Index(
            "uq_verification_case_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=_states_sql(OPEN_CASE_STATES),
            postgresql_where=_states_sql(OPEN_CASE_STATES),
        ),
        # One person, one account: one approved case (a member) per ID number. Anyone
        # may apply with any number, so the application reveals nobody; a duplicate is
        # settled when its case would be approved (``app.verification.duplicates``). An
        # erased account's cases keep an empty index, which holds nothing.
        Index(
            "uq_verification_case_identity_approved",
            "id_number_index",
            unique=True,
            sqlite_where=_APPROVED_IDENTITY_SQL,
            postgresql_where=_APPROVED_IDENTITY_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    state: Mapped[CaseState] = mapped_column(str_enum(CaseState), default=CaseState.checking)
    name_encrypted: Mapped[str] = mapped_column(String(512))
    id_number_encrypted: Mapped[str] = mapped_column(String(512))
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    name_masked: Mapped[str] = mapped_column(String(64))
    id_number_masked: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[date]
    gender: Mapped[str] = mapped_column(String(1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(1000))

    checks: Mapped[list[Check]] = relationship(
        back_populates="case", order_by="Check.id", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES

    @property
    def every_check_passed(self) -> bool:
        return bool(self.checks) and all(c.state is CheckState.passed for c in self.checks)


class Check(db.Model):
    """One department's check of one case (部门核验)."""

    __tablename__ = "verification_check"
    __table_args__ = (UniqueConstraint("case_id", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_case.id"), index=True)
    department: Mapped[Department] = mapped_column(str_enum(Department))
    state: Mapped[CheckState] = mapped_column(
        str_enum(CheckState), default=CheckState.queued, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(64))
    facts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    source: Mapped[str | None] = mapped_column(String(200))
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When it first waited for its department to recover; patience counts from here.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="checks")

    @property
    def is_final(self) -> bool:
        return self.state.is_final


class ConsentKind(enum.StrEnum):
    sensitive_information = "sensitive_information"  # processing of sensitive personal info
    share_with_departments = "share_with_departments"


class Consent(db.Model):
    """An explicit consent, with the wording version the applicant saw and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_case.id"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind))
    wording_version: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="consents")


class VerifiedFact(db.Model):
    """What a department verified about a member, kept until it expires and is re-checked."""

    __tablename__ = "verified_fact"
    __table_args__ = (UniqueConstraint("user_id", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_case.id"))
    department: Mapped[Department] = mapped_column(str_enum(Department))
    facts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(200))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
