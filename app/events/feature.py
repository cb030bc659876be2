"""Offline events (线下活动) and their signups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.events import bp
from app.events.demo import add_events_demo
from app.events.my_data import EventData
from app.events.news import news
from app.events.queries import seated_together
from app.events.settings import Settings
from app.events.texts import NOTIFICATIONS
from app.features import Feature, Section

feature = Feature(
    name="events",
    settings=Settings,
    blueprints=(bp,),
    console_sections=(Section("events.console_list", _l("Events"), order=10, active=("events.",)),),
    models=("app.events.models",),
    tasks=("app.events.tasks",),
    acquaintances=(seated_together,),
    notifications=NOTIFICATIONS,
    my_data=EventData(),
    demo=add_events_demo,
    news=news,
)
