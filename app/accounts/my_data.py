"""Accounts' part of My data (我的数据): the account and its signed-in devices.

Never the password hash, the session token or a device's token hash: they are
secrets that open the account, not data about the member.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import AccountState, DeviceSession, User, new_session_token
from app.audit.models import record as audit
from app.db_types import utcnow
from app.extensions import db
from app.features import count_rows, exported


class AccountData:
    """The account row and the device sessions. Erasing leaves a tombstone: the row
    stays, so every other table's reference to it still holds and the other side sees
    "deleted user"."""

    tables = ("user_account", "device_session")

    def summary(self, user: User) -> dict[str, Any]:
        devices = count_rows(DeviceSession, DeviceSession.user_id == user.id)
        return {
            "account": {
                "phone": user.masked_phone,
                "created_at": user.created_at,
                "last_login_at": user.last_login_at,
                "consent_withdrawn_at": user.consent_withdrawn_at,
            },
            "counts": {"devices": devices},
        }

    def export(self, user: User) -> dict[str, Any]:
        devices = select(DeviceSession).where(DeviceSession.user_id == user.id)
        return {
            "account": exported(user, skip=("password_hash", "session_token")),
            "device_sessions": [
                exported(device, skip=("token_hash",))
                for device in db.session.scalars(devices.order_by(DeviceSession.id))
            ],
        }

    def erase(self, user: User) -> None:
        """End every session and anonymise the account; the audit entry closes the
        erasure (accounts erase last, after every feature that refers to the account)."""
        db.session.execute(delete(DeviceSession).where(DeviceSession.user_id == user.id))
        user.phone = f"x{user.id}"  # a tombstone: the number can register again
        user.password_hash = "!" + secrets.token_hex(16)  # never a valid hash
        user.session_token = new_session_token()  # every session ends
        user.state = AccountState.deleted
        user.deleted_at = utcnow()
        user.last_login_at = None
        user.locale = None
        user.consent_withdrawn_at = None
        audit("account.deleted", "user", user.id, actor_id=user.id)
        db.session.flush()
