"""Safety: blocks, reports, moderation, appeals."""

from __future__ import annotations

from app.features import Feature
from app.safety import bp
from app.safety.texts import NOTIFICATIONS

feature = Feature(
    name="safety",
    blueprints=(bp,),
    models=("app.safety.models",),
    notifications=NOTIFICATIONS,
)
