"""Celery tasks of quick match (每日速配). Thin over ``app.quickmatch.service``.

``quickmatch.run_daily`` runs on beat at ``QUICKMATCH_HOUR``:00 in
``QUICKMATCH_TIMEZONE`` (05:00 Asia/Shanghai by default, 21:00 UTC the day before) and
writes the day's suggestions.

Scaling out. With ``QUICKMATCH_SHARDS`` = 1 the whole batch runs in one task. With
S > 1 it runs as a chord: S ``quickmatch.candidates`` tasks, one per shard of viewers
(members whose id is congruent to the shard modulo S), in parallel on as many worker
processes as there are, then one ``quickmatch.assign`` that applies the global
per-day exposure cap to all candidate lists, words the reasons of the pairs it keeps
and writes the rows.

What each task costs, for N members (measured on the 2-core development machine with
N = 100,000 synthetic members on PostgreSQL, S = 4):

- every task loads all members and the history and fits the matcher, linear in N
  (100,000 members with two days of history: about 9 s to load, 9 s to fit, 1.7 GB);
- a shard then searches candidates for its N/S viewers, the part that grows faster
  than N (all 100,000 viewers: 13 s) and hands on about N/S x 40 candidate pairs, 20
  bytes each, base64 in the result backend (27 MB per shard at S = 4);
- the assign task holds every shard's pairs, assigns (linear in the pairs) and writes
  (COPY on PostgreSQL: about 15 s for 800,000 rows, with the lock and re-reads).

So one task is the quickest at 100,000 members (about 55 s in all: the chord takes
about 25 s per shard in parallel plus 36 s to assign); shards pay off once the
candidate search dominates the load and fit, with more members or more cores. Then add
worker processes (``celery worker --concurrency``, more hosts) until every shard has
one, and raise S while a shard's candidate search still outweighs its load and fit.

A member who becomes ready for matching after the day's batch ran (verification
approved with a profile, a verified member's first profile, consent given again: the
signal ``app.signals.member_ready_for_matching``) gets their list from
``quickmatch.prepare_list``, queued by ``list_newcomer`` once the change commits. It
loads and fits the whole population for one viewer (2.5 s at 10,000 members, 8.5 s at
50,000, on PostgreSQL); in eager mode it runs right after the commit.

Every task is idempotent and acknowledged late: a re-delivered or repeated run for a
day keeps the lists already written and fills only members without one (see the
service), so a worker lost mid-run costs a re-run, never a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import chord, shared_task

from app.db_types import utcnow
from app.extensions import db
from app.periodic import periodic_task
from app.quickmatch import meetings, service
from app.quickmatch.settings import (
    BEAT_ENTRY,
    MEETINGS_BEAT_ENTRY,
    Settings,
    daily_run_schedule,
    meetings_schedule,
)
from app.transactions import after_commit


def _settings() -> Settings:
    return Settings.current()


def _day(day: str | None, settings: Settings) -> date:
    return date.fromisoformat(day) if day else settings.today()


@periodic_task(
    BEAT_ENTRY,
    every=daily_run_schedule,
    name="quickmatch.run_daily",
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_daily(day: str | None = None) -> dict[str, Any] | None:
    """Suggest for ``day`` (ISO date; default today in ``QUICKMATCH_TIMEZONE``).

    One shard: runs the batch and commits, returning the summary. More: starts the
    chord of ``candidates`` tasks and one ``assign``, and returns at once.
    """
    settings = _settings()
    the_day = _day(day, settings).isoformat()
    if settings.shards == 1:
        summary = service.run(date.fromisoformat(the_day), settings)
        db.session.commit()
        return summary.as_dict()
    header = [candidates.s(the_day, shard) for shard in range(settings.shards)]
    chord(header)(assign.s(the_day))
    return None


@shared_task(name="quickmatch.candidates", acks_late=True, reject_on_worker_lost=True)
def candidates(day: str, shard: int) -> dict[str, Any]:
    """One shard's candidate lists (JSON) for ``assign``. Writes nothing."""
    payload = service.shard_candidates(date.fromisoformat(day), shard, _settings())
    db.session.rollback()
    return payload


@shared_task(name="quickmatch.assign", acks_late=True, reject_on_worker_lost=True)
def assign(shards: list[dict[str, Any]], day: str) -> dict[str, Any]:
    """Assign and write the lists the shards found; commits and returns the summary."""
    summary = service.assign_shards(date.fromisoformat(day), shards, _settings())
    db.session.commit()
    return summary.as_dict()


@shared_task(name="quickmatch.prepare_list", acks_late=True, reject_on_worker_lost=True)
def prepare_list(member_id: int, day: str) -> dict[str, Any]:
    """The list for ``day`` (ISO date) of a member ready after the day's batch; commits
    and returns the summary. A member with a list already gets nothing new."""
    summary = service.prepare_list(member_id, date.fromisoformat(day), _settings())
    db.session.commit()
    return summary.as_dict()


def list_newcomer(_sender: object = None, *, member_id: int) -> None:
    """Receiver of ``member_ready_for_matching``: queue ``prepare_list`` for today once
    the sender's transaction commits, when today's batch ran and the member has no list
    (before the batch, the batch lists them). Connected in ``init_app``."""
    day = _settings().today()
    if service.wants_list(member_id, day):
        after_commit(prepare_list.delay, member_id, day.isoformat())


@periodic_task(
    MEETINGS_BEAT_ENTRY,
    every=meetings_schedule,
    name="quickmatch.ask_about_meetings",
    acks_late=True,
)
def ask_about_meetings() -> int:
    """Ask both sides of the matches that are due whether they met; commits. A re-run
    asks nobody twice."""
    settings = _settings()
    asked = meetings.ask_due(utcnow(), settings.meeting_after_days, settings.meeting_min_messages)
    db.session.commit()
    return asked
