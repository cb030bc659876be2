"""One-to-one consultations with matchmakers (红娘咨询) and the matchmaker role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.consult import bp
from app.consult.demo import add_consult_demo
from app.consult.my_data import ConsultationData
from app.consult.news import news
from app.consult.settings import Settings
from app.consult.texts import KINDS
from app.features import Feature, Section

feature = Feature(
    name="consult",
    settings=Settings,
    blueprints=(bp,),
    admin_sections=(
        Section(
            "consult.people",
            _l("People"),
            order=30,
            active=("consult.people", "consult.find_person", "consult.person"),
        ),
        Section("consult.matchmakers", _l("Matchmakers"), order=40),
    ),
    console_sections=(
        Section("consult.console_list", _l("Consultations"), order=20, active=("consult.",)),
    ),
    models=("app.consult.models",),
    notifications=KINDS,
    my_data=ConsultationData(),
    demo=add_consult_demo,
    news=news,
)
