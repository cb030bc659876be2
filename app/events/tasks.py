"""Celery tasks of the events. ``events.expire_offers`` runs on beat every five minutes."""

from __future__ import annotations

from celery import shared_task

from app.db_types import utcnow
from app.events import operations


@shared_task(name="events.expire_offers", acks_late=True, reject_on_worker_lost=True)
def expire_offers() -> int:
    """Mark offers past their window expired and offer each seat to the next in line.
    Idempotent: a repeated run finds nothing left to do. Commits per event."""
    return operations.expire_offers(utcnow())
