"""Matchmakers' introductions (红娘牵线)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.introductions import bp
from app.introductions.demo import add_introductions_demo
from app.introductions.my_data import IntroductionData
from app.introductions.operations import introduced

feature = Feature(
    name="introductions",
    blueprints=(bp,),
    console_sections=(
        Section(
            "introductions.console_list", _l("Introductions"), order=30, active=("introductions.",)
        ),
    ),
    models=("app.introductions.models",),
    acquaintances=(introduced,),
    my_data=IntroductionData(),
    demo=add_introductions_demo,
)
