"""The love school (爱情学堂): courses and lessons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.school import bp
from app.school.demo import add_school_demo
from app.school.my_data import SchoolData

feature = Feature(
    name="school",
    blueprints=(bp,),
    console_sections=(
        Section("school.console_courses", _l("Love school"), order=40, active=("school.",)),
    ),
    models=("app.school.models",),
    my_data=SchoolData(),
    demo=add_school_demo,
)
