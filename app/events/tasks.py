"""Celery tasks of the events. ``events.expire_offers`` runs on beat every five minutes."""

from __future__ import annotations

from app.db_types import utcnow
from app.events import operations
from app.extensions import db
from app.periodic import periodic_task


# Offers of freed event seats past their window pass to the next in line.
@periodic_task(
    "events-expire-offers",
    every=300.0,
    name="events.expire_offers",
    acks_late=True,
    reject_on_worker_lost=True,
)
def expire_offers() -> int:
    """Mark offers past their window expired and offer each seat to the next in line;
    returns how many events were settled. One commit per event, so one event's lock is
    not held while the next is settled. Idempotent: a repeat finds nothing left to do."""
    now = utcnow()
    event_ids = operations.events_with_expired_offers(now)
    for event_id in event_ids:
        operations.settle_event(event_id, now)
        db.session.commit()
    return len(event_ids)
