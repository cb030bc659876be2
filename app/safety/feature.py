"""Safety: blocks, reports, moderation, appeals."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.safety import bp, operations
from app.safety.demo import add_safety_demo
from app.safety.moderation import waiting_count
from app.safety.my_data import SafetyData
from app.safety.settings import Settings
from app.safety.texts import NOTIFICATIONS
from app.signals import message_flagged


def init_app(app: Flask) -> None:
    """File the messages the lounge's fraud rules flag (once, however many apps)."""
    message_flagged.connect(operations.file_flagged_message)


feature = Feature(
    name="safety",
    settings=Settings,
    blueprints=(bp,),
    init_app=init_app,
    admin_sections=(
        Section(
            "safety.queue",
            _l("Reports"),
            order=20,
            active=("safety.",),
            badge=waiting_count,
            testid="nav-reports",
        ),
    ),
    models=("app.safety.models",),
    notifications=NOTIFICATIONS,
    my_data=SafetyData(),
    demo=add_safety_demo,
)
