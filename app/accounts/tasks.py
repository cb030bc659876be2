"""Scheduled housekeeping for accounts."""

from __future__ import annotations

from celery.schedules import crontab

from app.accounts import operations
from app.extensions import db
from app.periodic import periodic_task


@periodic_task(
    "purge-expired-sms-codes",
    every=crontab(hour=3, minute=30),
    name="accounts.purge_expired_codes",
    ignore_result=True,
)
def purge_expired_codes() -> int:
    """Delete SMS codes expired for over a day (run daily by beat). Commits."""
    removed = operations.purge_expired_codes()
    db.session.commit()
    return removed
