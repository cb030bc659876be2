"""The departments' health for administrators (部门系统状态): each circuit breaker's
state and since when, its recent failures, the checks waiting for it and the cases in
review because it was unavailable. Reads only."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from app.auth import admin_required
from app.verification import outage
from app.verification.admin import bp
from verification.health import BreakerState

BREAKER_STATES = {
    BreakerState.closed: _l("Working"),
    BreakerState.open: _l("Down: checks wait"),
    BreakerState.half_open: _l("Recovering: one trial call decides"),
}


@bp.get("/departments")
@admin_required
def departments() -> str:
    rows = outage.report()
    for row in rows:
        state = row["health"].state if row["health"] else BreakerState.closed
        row["state"], row["state_label"] = str(state), str(BREAKER_STATES[state])
    return render_template("review/departments.html", rows=rows)
