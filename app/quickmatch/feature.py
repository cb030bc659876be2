"""Quick match (每日速配): the daily lists, reactions, matches."""

from __future__ import annotations

from app.features import Feature
from app.quickmatch import bp, settings
from app.quickmatch.history import was_suggested
from app.quickmatch.texts import NOTIFICATIONS

feature = Feature(
    name="quickmatch",
    blueprints=(bp,),
    models=("app.quickmatch.models",),
    tasks=("app.quickmatch.tasks",),
    init_app=settings.init_app,
    acquaintances=(was_suggested,),
    notifications=NOTIFICATIONS,
)
