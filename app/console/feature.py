"""The matchmakers' console (红娘工作台)."""

from __future__ import annotations

from app.console import bp
from app.features import Feature

feature = Feature(
    name="console",
    blueprints=(bp,),
)
