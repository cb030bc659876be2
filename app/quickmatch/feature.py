"""Quick match (每日速配): the daily lists, reactions, matches."""

from __future__ import annotations

from flask import Flask

from app.features import Feature
from app.quickmatch import bp, tasks
from app.quickmatch.demo import seed_demo
from app.quickmatch.history import was_suggested
from app.quickmatch.my_data import QuickMatchData
from app.quickmatch.news import news
from app.quickmatch.settings import Settings
from app.quickmatch.texts import NOTIFICATIONS
from app.signals import member_ready_for_matching


def init_app(app: Flask) -> None:
    """List members who become ready after the day's batch."""
    member_ready_for_matching.connect(tasks.list_newcomer)  # once, however many apps


feature = Feature(
    name="quickmatch",
    blueprints=(bp,),
    models=("app.quickmatch.models",),
    tasks=("app.quickmatch.tasks",),
    settings=Settings,
    init_app=init_app,
    acquaintances=(was_suggested,),
    notifications=NOTIFICATIONS,
    my_data=QuickMatchData(),
    demo=seed_demo,
    news=news,
)
