"""The console's home: the sections a matchmaker works in."""

from __future__ import annotations

from flask import render_template

from app.auth import matchmaker_required, may_use_console
from app.console import bp


@bp.app_context_processor
def console_helpers() -> dict:
    return {"may_use_console": may_use_console}


@bp.get("/")
@matchmaker_required
def index() -> str:
    return render_template("console/index.html")
