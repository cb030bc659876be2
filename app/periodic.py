"""Periodic tasks declared beside the task, as Indico's ``periodic_task``.

``@periodic_task("events-expire-offers", every=300.0, name="events.expire_offers")``
makes a Celery task and its beat entry in one place. The schedule is a number of
seconds, a Celery schedule (``crontab``), or a function of the app's configuration
returning one (for a schedule built from settings). ``beat_schedule(config)`` gathers
every declared entry; ``CELERY_BEAT_SCHEDULE`` in the configuration can add entries or
replace one by its key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from celery import shared_task

Schedule = Any  # seconds (float), a celery.schedules.schedule, or config -> either


@dataclass(frozen=True)
class Entry:
    task: str
    schedule: Schedule | Callable[[Mapping[str, Any]], Schedule]


_ENTRIES: dict[str, Entry] = {}


def periodic_task(
    key: str,
    every: Schedule | Callable[[Mapping[str, Any]], Schedule],
    **task_options: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """A ``shared_task`` (``task_options`` as for it, ``name`` required) that beat runs
    on ``every``, under the beat entry ``key``."""
    if "name" not in task_options:
        raise TypeError("a periodic task needs an explicit name")

    def decorate(function: Callable[..., Any]) -> Any:
        task = shared_task(**task_options)(function)
        _ENTRIES[key] = Entry(task_options["name"], every)
        return task

    return decorate


def beat_schedule(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every declared entry (schedules built from ``config``), then the configuration's
    own ``CELERY_BEAT_SCHEDULE`` over them."""
    schedule: dict[str, dict[str, Any]] = {}
    for key, entry in _ENTRIES.items():
        every = entry.schedule
        if callable(every) and not hasattr(every, "is_due"):  # built from settings
            every = every(config)
        schedule[key] = {"task": entry.task, "schedule": every}
    schedule.update(config.get("CELERY_BEAT_SCHEDULE") or {})
    return schedule
