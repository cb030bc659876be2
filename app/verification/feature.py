"""Verification (实名认证): the applicant's pages, the administrators' review, and the
workflow's tables, tasks and runtime."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.features import Feature, Section
from app.verification import (
    admin,
    departments,  # noqa: F401 - its page is on the review blueprint
    routes,
    runtime,
    texts,
)
from app.verification.demo import add_review_access_demo
from app.verification.my_data import VerificationData
from app.verification.settings import Settings

feature = Feature(
    name="verification",
    blueprints=(routes.bp, admin.bp),
    models=(
        "app.verification.models",
        "app.verification.health",
    ),
    tasks=(
        "app.verification.tasks",
        "app.verification.probes",
    ),
    settings=Settings,
    init_app=runtime.init_app,
    notifications=texts.NOTIFICATIONS,
    admin_sections=(
        Section("review.queue", _l("Review queue"), order=10),
        Section("review.departments", _l("Departments"), order=50),
        Section("review.audit_log", _l("Audit log"), order=60),
    ),
    my_data=VerificationData(),
    demo=add_review_access_demo,
)
