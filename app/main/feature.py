"""The public pages: home, about, language."""

from __future__ import annotations

from app.features import Feature
from app.main import bp

feature = Feature(
    name="main",
    blueprints=(bp,),
)
