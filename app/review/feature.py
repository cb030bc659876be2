"""The administrators' review of verification cases, departments, audit log."""

from __future__ import annotations

from app.features import Feature
from app.review import bp

feature = Feature(
    name="review",
    blueprints=(bp,),
)
