from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.extensions import db
from app.main import bp
from app.main.forms import LanguageForm
from app.web import LANGUAGE_COOKIE, safe_next


@bp.get("/")
def home() -> str:
    return render_template("main/home.html")


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    target = safe_next(form.next.data) or url_for("main.home")
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE,
        form.lang.data,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    return response


def _broker_status() -> str:
    broker = current_app.config.get("CELERY_BROKER_URL")
    if not broker:
        return "in-process"
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        current_app.logger.warning("health: broker unreachable", exc_info=True)
        return "unreachable"
    return "ok"


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        current_app.logger.warning("health: database unreachable", exc_info=True)
        database = "unreachable"
    finally:
        db.session.rollback()
    broker = _broker_status()
    healthy = database == "ok" and broker in {"ok", "in-process"}
    body = {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker}
    return jsonify(body), 200 if healthy else 503


@bp.app_context_processor
def inject_language_form() -> dict:
    # After switching language, come back here, unless this page answered a POST
    # (a form with errors): its URL may not take a GET.
    here = request.full_path.rstrip("?") if request.method == "GET" else url_for("main.home")
    return {"language_form": LanguageForm(formdata=None), "request_path": here}
