"""Scheduled housekeeping for accounts."""

from __future__ import annotations

from celery import shared_task

from app.accounts import operations
from app.extensions import db


@shared_task(name="accounts.purge_expired_codes", ignore_result=True)
def purge_expired_codes() -> int:
    """Delete SMS codes expired for over a day (run daily by beat). Commits."""
    removed = operations.purge_expired_codes()
    db.session.commit()
    return removed
