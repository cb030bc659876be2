"""The love school (爱情学堂): courses and lessons."""

from __future__ import annotations

from app.features import Feature
from app.school import bp

feature = Feature(
    name="school",
    blueprints=(bp,),
    models=("app.school.models",),
)
