"""Account operations: codes, sign-up, sign-in, password change, administrators.

Operations flush; the request, task or command that calls them commits once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.accounts import passwords, sms
from app.accounts.models import AccountState, CodePurpose, Role, SmsCode, User, new_session_token
from app.db_types import utcnow
from app.extensions import db


class AccountError(Exception):
    """A rule refused the request; ``reason`` is a message key for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PhoneTaken(AccountError):
    def __init__(self) -> None:
        super().__init__("phone_taken")


class CodeRejected(AccountError):
    """reason: ``wrong``, ``expired``, ``used`` or ``none``."""


class CodeSentRecently(AccountError):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__("sent_recently")
        self.wait_seconds = wait_seconds


class WeakPassword(AccountError):
    """reason: a key from ``passwords.weakness``."""


class WrongPassword(AccountError):
    def __init__(self) -> None:
        super().__init__("wrong_password")


def _code_hash(phone: str, purpose: CodePurpose, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{purpose.value}:{phone}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def phone_registered(phone: str) -> bool:
    return db.session.scalar(select(User.id).where(User.phone == phone)) is not None


def _latest_code(phone: str, purpose: CodePurpose) -> SmsCode | None:
    query = (
        select(SmsCode)
        .where(SmsCode.phone == phone, SmsCode.purpose == purpose)
        .order_by(SmsCode.created_at.desc(), SmsCode.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def send_code(phone: str, purpose: CodePurpose, now: datetime | None = None) -> str:
    """Create a one-time code for ``phone`` and send it by SMS; return the code.

    Earlier unused codes for the same phone and purpose stop working. Refuses when
    the phone is already registered (sign-up) or a code was sent moments ago.
    Flushes; the caller commits.
    """
    now = now or utcnow()
    if purpose is CodePurpose.signup and phone_registered(phone):
        raise PhoneTaken()
    latest = _latest_code(phone, purpose)
    wait = current_app.config["SMS_CODE_RESEND_AFTER"]
    if latest is not None and latest.consumed_at is None and latest.created_at + wait > now:
        raise CodeSentRecently(int((latest.created_at + wait - now).total_seconds()) + 1)
    db.session.execute(
        update(SmsCode)
        .where(SmsCode.phone == phone, SmsCode.purpose == purpose, SmsCode.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(
        SmsCode(
            phone=phone,
            purpose=purpose,
            code_hash=_code_hash(phone, purpose, code),
            created_at=now,
            expires_at=now + current_app.config["SMS_CODE_TTL"],
        )
    )
    db.session.flush()
    minutes = int(current_app.config["SMS_CODE_TTL"].total_seconds() // 60)
    sms.sender().send(phone, f"【鹊桥】验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。")
    return code


def check_code(phone: str, purpose: CodePurpose, code: str, now: datetime | None = None) -> SmsCode:
    """Return the matching live code for ``phone`` or raise ``CodeRejected``. Writes nothing."""
    now = now or utcnow()
    latest = _latest_code(phone, purpose)
    if latest is None:
        raise CodeRejected("none")
    if not hmac.compare_digest(latest.code_hash, _code_hash(phone, purpose, code)):
        used = db.session.scalar(
            select(SmsCode.id).where(
                SmsCode.code_hash == _code_hash(phone, purpose, code),
                SmsCode.consumed_at.is_not(None),
            )
        )
        raise CodeRejected("used" if used else "wrong")
    if latest.consumed_at is not None:
        raise CodeRejected("used")
    if latest.expires_at <= now:
        raise CodeRejected("expired")
    return latest


def register(phone: str, password: str, code: str) -> User:
    """Create an account for a phone confirmed by ``code``. Flushes; the caller commits.

    Raises ``CodeRejected``, ``WeakPassword`` or ``PhoneTaken``; nothing is written then.
    """
    sms_code = check_code(phone, CodePurpose.signup, code)
    problem = passwords.weakness(password, phone)
    if problem:
        raise WeakPassword(problem)
    if phone_registered(phone):
        raise PhoneTaken()
    user = User(phone=phone, password_hash=passwords.hash_password(password))
    db.session.add(user)
    sms_code.consumed_at = utcnow()
    db.session.flush()
    return user


# A real Argon2 hash to verify against when the phone is unknown, so that a
# wrong phone costs the same time as a wrong password.
_DUMMY_HASH: str | None = None


def authenticate(phone: str, password: str) -> User | None:
    """Return the user for a correct phone and password, else ``None``.

    Upgrades the stored hash when the hasher's parameters changed. Flushes.
    """
    global _DUMMY_HASH
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or passwords.hash_password(secrets.token_hex(8))
        passwords.verify_password(_DUMMY_HASH, password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and sign out every other session. Flushes."""
    if not passwords.verify_password(user.password_hash, current):
        raise WrongPassword()
    problem = passwords.weakness(new, user.phone)
    if problem:
        raise WeakPassword(problem)
    user.password_hash = passwords.hash_password(new)
    user.session_token = new_session_token()
    db.session.flush()


def create_user(
    phone: str,
    password: str,
    role: Role = Role.member,
    state: AccountState = AccountState.registered,
    check_strength: bool = True,
) -> User:
    """Create an account directly (administrators, demo data). Flushes."""
    if check_strength and (problem := passwords.weakness(password, phone)):
        raise WeakPassword(problem)
    if phone_registered(phone):
        raise PhoneTaken()
    user = User(
        phone=phone, password_hash=passwords.hash_password(password), role=role, state=state
    )
    db.session.add(user)
    db.session.flush()
    return user


def purge_expired_codes(now: datetime | None = None) -> int:
    """Delete codes that expired more than a day ago; return how many. Flushes."""
    now = now or utcnow()
    cutoff = now - timedelta(days=1)
    result = db.session.execute(SmsCode.__table__.delete().where(SmsCode.expires_at < cutoff))
    db.session.flush()
    return result.rowcount or 0
