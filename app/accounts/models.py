"""Accounts: users with a role and a state, their signed-in devices, one-time SMS codes."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
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
    signin = "signin"  # sign in without the password (the way back after failed tries)


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
    # Not stored: the token of the device session this instance was signed in or loaded
    # with (see ``DeviceSession``), the last part of the login id.
    device_token = None
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while the member has withdrawn consent to matching: out of quick match.
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        """The login id kept in the session and remember-me cookies (see ``loader``)."""
        return f"{self.id}:{self.session_token}:{self.device_token or ''}"

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


class DeviceSession(db.Model):
    """One sign-in on one device (登录设备). The login id names it by a random token, of
    which only a SHA-256 hash is stored; signing out there ends it (``revoked_at``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(64), default="")  # e.g. "Chrome · Android"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Updated at most every DEVICE_SEEN_INTERVAL, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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
