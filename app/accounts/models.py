"""Accounts: users with a role and a state, and one-time SMS codes."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db


class Role(enum.StrEnum):
    member = "member"
    matchmaker = "matchmaker"  # 红娘, a volunteer
    admin = "admin"


class AccountState(enum.StrEnum):
    registered = "registered"  # phone confirmed, not yet verified
    verifying = "verifying"  # a verification case is open
    member = "member"  # verified by the departments
    suspended = "suspended"
    deleted = "deleted"  # the member deleted the account: anonymised, hidden everywhere


class CodePurpose(enum.StrEnum):
    signup = "signup"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164, e.g. +8613800138000
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.member)
    state: Mapped[AccountState] = mapped_column(
        str_enum(AccountState), default=AccountState.registered
    )
    # Part of the login id: changing it signs out every session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while the member has withdrawn consent to matching: out of quick match.
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.state not in (AccountState.suspended, AccountState.deleted)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_matchmaker(self) -> bool:
        return self.role is Role.matchmaker

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value} {self.state.value}>"


def mask_phone(phone: str) -> str:
    """``+8613812345678`` -> ``138****5678``."""
    digits = phone.removeprefix("+86")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "***"


class SmsCode(db.Model):
    """A one-time code sent by SMS. Only a hash of the code is stored."""

    __table_args__ = (Index("ix_sms_code_phone_purpose", "phone", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[CodePurpose] = mapped_column(str_enum(CodePurpose))
    code_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
