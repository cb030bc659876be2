"""Matchmakers' introductions (红娘牵线)."""

from __future__ import annotations

from app.features import Feature
from app.introductions import bp
from app.introductions.operations import introduced

feature = Feature(
    name="introductions",
    blueprints=(bp,),
    models=("app.introductions.models",),
    acquaintances=(introduced,),
)
