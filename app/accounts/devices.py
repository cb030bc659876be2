"""Device sessions (登录设备): one per sign-in, named by the login id, ended by signing out.

Operations flush; the request that calls them commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select, update

from app.accounts.models import DeviceSession, User
from app.accounts.settings import Settings
from app.db_types import utcnow
from app.extensions import db

# The first name found in the User-Agent wins: Edge and WeChat also say "Chrome" and
# "Safari", Chrome also says "Safari", so the more specific names come first.
_BROWSERS = (
    ("MicroMessenger", "WeChat"),
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("HarmonyOS", "HarmonyOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def token_hash(token: str) -> str:
    # The token is 32 random bytes: a plain hash cannot be reversed by guessing.
    return hashlib.sha256(token.encode()).hexdigest()


def describe(user_agent: str) -> str:
    """A short, stable name for the browser and system, e.g. ``Chrome · Android``."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser or system:
        return " · ".join(part for part in (browser, system) if part)
    return re.sub(r"[^\w .()/-]", "", user_agent)[:40]


def start(user: User, user_agent: str, now: datetime | None = None) -> str:
    """Open a device session for ``user``; return its token for the login id. Flushes."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        DeviceSession(
            user_id=user.id,
            token_hash=token_hash(token),
            device=describe(user_agent or ""),
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.flush()
    return token


def live(user_id: int, token: str, now: datetime | None = None) -> DeviceSession | None:
    """The device session ``token`` names, if it is ``user_id``'s and has not ended.

    A session unused for as long as a remember-me cookie lasts has ended too.
    """
    now = now or utcnow()
    idle_since = now - Settings.current().session_idle_limit
    return db.session.scalar(
        select(DeviceSession).where(
            DeviceSession.token_hash == token_hash(token),
            DeviceSession.user_id == user_id,
            DeviceSession.revoked_at.is_(None),
            DeviceSession.last_seen_at > idle_since,
        )
    )


def of_user(user: User) -> list[DeviceSession]:
    """The user's live device sessions, the most recently seen first."""
    idle_since = utcnow() - Settings.current().session_idle_limit
    return list(
        db.session.scalars(
            select(DeviceSession)
            .where(
                DeviceSession.user_id == user.id,
                DeviceSession.revoked_at.is_(None),
                DeviceSession.last_seen_at > idle_since,
            )
            .order_by(DeviceSession.last_seen_at.desc(), DeviceSession.id.desc())
        )
    )


def seen(device: DeviceSession, now: datetime | None = None) -> bool:
    """Record that ``device`` is in use, at most once per ``DEVICE_SEEN_INTERVAL``.

    Returns whether anything was written (then the caller commits). Flushes.
    """
    now = now or utcnow()
    if device.last_seen_at > now - Settings.current().device_seen_interval:
        return False
    device.last_seen_at = now
    db.session.flush()
    return True


def end(device: DeviceSession, now: datetime | None = None) -> None:
    """End one device session: its cookies no longer sign anyone in. Flushes."""
    _end_where(DeviceSession.id == device.id, now)


def end_all(user: User, keep: DeviceSession | None = None, now: datetime | None = None) -> None:
    """End every device session of ``user``, except ``keep`` when given. Flushes."""
    condition = DeviceSession.user_id == user.id
    if keep is not None:
        condition = condition & (DeviceSession.id != keep.id)
    _end_where(condition, now)


def _end_where(condition, now: datetime | None) -> None:
    db.session.execute(
        update(DeviceSession)
        .where(condition, DeviceSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
