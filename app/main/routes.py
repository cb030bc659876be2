from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import db, limiter, talisman
from app.main import bp, news
from app.main.forms import LanguageForm
from app.system import health
from app.web import LANGUAGE_COOKIE, safe_next


@bp.get("/")
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("main/home.html", home=None)
    return render_template("main/home.html", home=news.home_for(current_user))


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
        secure=current_app.session_interface.get_cookie_secure(current_app),
        httponly=True,
    )
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    return response


# Health checks answer load balancers and container probes: no rate limit, and plain
# HTTP is answered (not sent to HTTPS) since probes reach the process directly.
@bp.get("/healthz/live")
@limiter.exempt
@talisman(force_https=False)
def live() -> tuple[Response, int]:
    """Liveness: the process answers. No database, no broker, no I/O."""
    return jsonify({"status": "ok"}), 200


@bp.get("/healthz/ready")
@bp.get("/healthz", endpoint="healthz")
@limiter.exempt
@talisman(force_https=False)
def ready() -> tuple[Response, int]:
    """Readiness: database and broker reachable (checked at most once a second)."""
    readiness = health.readiness()
    return jsonify(readiness.as_json()), 200 if readiness.ready else 503


@bp.app_context_processor
def inject_language_form() -> dict:
    # After switching language, come back here, unless this page answered a POST
    # (a form with errors): its URL may not take a GET.
    here = request.full_path.rstrip("?") if request.method == "GET" else url_for("main.home")
    return {"language_form": LanguageForm(formdata=None), "request_path": here}
