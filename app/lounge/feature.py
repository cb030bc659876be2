"""The lounge (爱情会客厅): conversations of matched members."""

from __future__ import annotations

from app.features import Feature
from app.lounge import bp

feature = Feature(
    name="lounge",
    blueprints=(bp,),
    models=("app.lounge.models",),
)
