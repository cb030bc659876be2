"""The matchmakers' console (红娘工作台)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.console import bp
from app.features import Feature, Section

feature = Feature(
    name="console",
    blueprints=(bp,),
    console_sections=(Section("console.index", _l("Overview"), order=0),),
)
