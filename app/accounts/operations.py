"""Account operations: codes, sign-up, sign-in (password or code), password change,
administrators.

Operations flush; the request, task or command that calls them commits once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.accounts import devices, passwords, sms
from app.accounts.models import AccountState, CodePurpose, DeviceSession, Role, SmsCode, User
from app.accounts.settings import Settings
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
    key = current_app.secret_key.encode()
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


# Sent instead of a code when someone starts a sign-up with a number that already has
# an account (suspended ones too): the page answers the same as for a new number.
ALREADY_REGISTERED_SMS = (
    "【鹊桥】有人正在用你的手机号注册鹊桥。你已经有账号了，请直接登录；"
    "忘记密码可以用短信验证码登录。如果不是你本人操作，请忽略本短信。"
)
# Stored for such a number instead of a code's hash: no code ever matches it.
_UNUSABLE = "!"


def _issue_code(phone: str, purpose: CodePurpose, now: datetime, usable: bool = True) -> str:
    """Store a new code for ``phone`` (earlier unused ones stop working); return it.

    Raises ``CodeSentRecently`` when one was issued moments ago. Sends nothing. Flushes.
    """
    latest = _latest_code(phone, purpose)
    wait = Settings.current().code_resend_after
    if latest is not None and latest.consumed_at is None and latest.created_at + wait > now:
        raise CodeSentRecently(int((latest.created_at + wait - now).total_seconds()) + 1)
    db.session.execute(
        update(SmsCode)
        .where(SmsCode.phone == phone, SmsCode.purpose == purpose, SmsCode.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    code_hash = _code_hash(phone, purpose, code) if usable else _UNUSABLE
    expires_at = now + Settings.current().code_ttl
    db.session.add(
        SmsCode(
            phone=phone,
            purpose=purpose,
            code_hash=code_hash,
            created_at=now,
            expires_at=expires_at,
        )
    )
    db.session.flush()
    return code


def _send_code_sms(phone: str, code: str) -> None:
    minutes = int(Settings.current().code_ttl.total_seconds() // 60)
    sms.sender().send(phone, f"【鹊桥】验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。")


def send_code(phone: str, purpose: CodePurpose, now: datetime | None = None) -> str:
    """Create a one-time code for ``phone`` and send it by SMS; return the code.

    Earlier unused codes for the same phone and purpose stop working. Raises
    ``CodeSentRecently`` when a code was sent moments ago. Flushes; the caller commits.
    """
    code = _issue_code(phone, purpose, now or utcnow())
    _send_code_sms(phone, code)
    return code


def send_signup_code(phone: str, now: datetime | None = None) -> str | None:
    """Start a sign-up for ``phone``: send a code, or tell an existing account's owner.

    A number that already has an account (suspended ones too) gets an SMS saying so and
    a stored code that never matches, so to whoever typed the number every step answers
    as for a new number (the verify step finds the code wrong). Returns the code sent,
    or ``None``. Raises ``CodeSentRecently``, for both kinds alike. Flushes.
    """
    registered = phone_registered(phone)
    code = _issue_code(phone, CodePurpose.signup, now or utcnow(), usable=not registered)
    if registered:
        sms.sender().send(phone, ALREADY_REGISTERED_SMS)
        return None
    _send_code_sms(phone, code)
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


def _consume(sms_code: SmsCode) -> bool:
    """Mark the code used unless a concurrent request did first; whether this one won.

    One conditional UPDATE: of two requests with the same code, the second waits for
    the first's row lock and then finds nothing left to update.
    """
    result = db.session.execute(
        update(SmsCode)
        .where(SmsCode.id == sms_code.id, SmsCode.consumed_at.is_(None))
        .values(consumed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def register(phone: str, password: str, code: str) -> User:
    """Create an account for a phone confirmed by ``code``. Flushes; the caller commits.

    Raises ``CodeRejected``, ``WeakPassword`` or ``PhoneTaken`` (also when a concurrent
    request with the same code, a double tap, created the account); nothing is written.
    """
    sms_code = check_code(phone, CodePurpose.signup, code)
    problem = passwords.weakness(password, phone)
    if problem:
        raise WeakPassword(problem)
    password_hash = passwords.hash_password(password)
    if not _consume(sms_code) or phone_registered(phone):
        raise PhoneTaken()
    user = User(phone=phone, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    return user


def send_signin_code(phone: str, now: datetime | None = None) -> str | None:
    """Send a sign-in code to ``phone`` when it has an account; return it, else ``None``.

    Asked again moments after a code was sent, sends nothing. Never says which case it
    was (the page answers "code sent" to anyone). Flushes; the caller commits.
    """
    if not phone_registered(phone):
        return None
    try:
        return send_code(phone, CodePurpose.signin, now)
    except CodeSentRecently:
        return None


def sign_in_with_code(phone: str, code: str) -> User:
    """Return the account of ``phone`` confirmed by a sign-in ``code``, using the code up.

    Raises ``CodeRejected``. The caller refuses suspended accounts. Flushes.
    """
    sms_code = check_code(phone, CodePurpose.signin, code)
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None or not _consume(sms_code):
        raise CodeRejected("used")
    user.last_login_at = utcnow()
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


def change_password(user: User, current: str, new: str, keep: DeviceSession | None = None) -> None:
    """Replace the password and end every device session but ``keep`` (this device's).
    Flushes."""
    if not passwords.verify_password(user.password_hash, current):
        raise WrongPassword()
    problem = passwords.weakness(new, user.phone)
    if problem:
        raise WeakPassword(problem)
    user.password_hash = passwords.hash_password(new)
    devices.end_all(user, keep=keep)
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
