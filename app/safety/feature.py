"""Safety: blocks, reports, moderation, appeals."""

from __future__ import annotations

from app.features import Feature
from app.safety import bp

feature = Feature(
    name="safety",
    blueprints=(bp,),
    models=("app.safety.models",),
)
