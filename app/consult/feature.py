"""One-to-one consultations with matchmakers (红娘咨询) and the matchmaker role."""

from __future__ import annotations

from app.consult import bp
from app.consult.texts import KINDS
from app.features import Feature

feature = Feature(
    name="consult",
    blueprints=(bp,),
    models=("app.consult.models",),
    notifications=KINDS,
)
