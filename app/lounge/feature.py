"""The lounge (爱情会客厅): conversations of matched members."""

from __future__ import annotations

from app.features import Feature
from app.lounge import bp
from app.lounge.demo import add_lounge_demo
from app.lounge.my_data import LoungeData
from app.lounge.news import news
from app.lounge.settings import Settings
from app.lounge.texts import NOTIFICATIONS

feature = Feature(
    name="lounge",
    settings=Settings,
    blueprints=(bp,),
    models=("app.lounge.models",),
    notifications=NOTIFICATIONS,
    my_data=LoungeData(),
    demo=add_lounge_demo,
    news=news,
)
