"""Offline events (线下活动) and their signups."""

from __future__ import annotations

from app.events import bp
from app.events.queries import seated_together
from app.events.texts import NOTIFICATIONS
from app.features import Feature

feature = Feature(
    name="events",
    blueprints=(bp,),
    models=("app.events.models",),
    tasks=("app.events.tasks",),
    acquaintances=(seated_together,),
    notifications=NOTIFICATIONS,
)
