"""Member profiles and photos."""

from __future__ import annotations

from app.features import Feature
from app.profiles import bp

feature = Feature(
    name="profiles",
    blueprints=(bp,),
    models=("app.profiles.models",),
)
