"""The administrators' review of verification cases, departments, audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.review import bp

feature = Feature(
    name="review",
    blueprints=(bp,),
    admin_sections=(
        Section("review.queue", _l("Review queue"), order=10),
        Section("review.departments", _l("Departments"), order=50),
        Section("review.audit_log", _l("Audit log"), order=60),
    ),
)
