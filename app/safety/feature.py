"""Safety: blocks, reports, moderation, appeals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.safety import bp
from app.safety.moderation import waiting_count
from app.safety.texts import NOTIFICATIONS

feature = Feature(
    name="safety",
    blueprints=(bp,),
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
)
