"""The applicant's side of verification (实名认证) and the workflow's tables and tasks."""

from __future__ import annotations

from app.features import Feature
from app.verify import bp
from verification import runtime

feature = Feature(
    name="verify",
    blueprints=(bp,),
    models=(
        "verification.models",
        "verification.health",
    ),
    tasks=(
        "verification.tasks",
        "verification.probes",
    ),
    init_app=runtime.init_app,
)
