"""Web plumbing shared by every blueprint: safe redirects, locale, headers, errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app import clock
from app.extensions import db
from app.system import guards

LANGUAGE_COOKIE = "lang"

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

ERROR_TEXT = {
    400: (_l("Something in the request was not right"), _l("Go back and check the form.")),
    401: (_l("Please sign in"), _l("This page is for signed-in users.")),
    403: (_l("Not allowed"), _l("Your account cannot open this page.")),
    404: (_l("Page not found"), _l("The page may have moved, or the link is mistyped.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept.")),
    429: (
        _l("Too many attempts"),
        _l("For your account's safety, please wait a few minutes and try again."),
    ),
    500: (_l("Something went wrong"), _l("It is our fault. Please try again in a moment.")),
}


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site (no scheme, no host)."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def select_locale() -> str:
    """The language cookie, then the signed-in user's choice, then zh-CN.

    Outside a request (commands, tasks) it is the default language.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_of(user: Any) -> str:
    """The language to write to ``user`` in outside a request (texts, notifications):
    their choice, else the default."""
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def error_page(code: int, title: str, hint: str) -> tuple[str, int]:
    """The error page in the site's layout, never failing because of the failed request.

    The session is rolled back first: the error may have left it needing a rollback,
    and the layout reads the signed-in user. Should the layout still fail (the database
    is down), a page without it is sent.
    """
    try:
        db.session.rollback()
        return render_template("errors/error.html", code=code, title=title, hint=hint), code
    except Exception:
        current_app.logger.exception("error page: the site layout failed, sending the bare page")
        db.session.rollback()
        return render_template("errors/bare.html", code=code, title=title, hint=hint), code


def render_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    fallback = ERROR_TEXT[400] if 400 <= code < 500 else ERROR_TEXT[500]
    title, hint = ERROR_TEXT.get(code, fallback)
    return error_page(code, title, hint)


def unstorable_text_error(error: guards.UnstorableText) -> tuple[str, int]:
    return error_page(400, error.title, error.hint)


def no_store(response: Response) -> Response:
    """Caches keep no dynamic response: pages are personal to the signed-in user (My
    data and its export, conversations, the console) or carry the visitor's CSRF token.

    Static files keep their caching, and so does a response that chose private caching
    itself (a photo's bytes, under an unguessable token, kept by the browser only).
    """
    if request.endpoint != "static" and not response.cache_control.private:
        response.headers["Cache-Control"] = "no-store"
    return response


def locale_context() -> dict[str, str]:
    """Template variables for the active language: its code and its BCP 47 tag."""
    locale = get_locale()
    code = "en" if locale is not None and locale.language == "en" else "zh_CN"
    return {"locale_code": code, "html_lang": code.replace("_", "-")}


def init_app(app: Flask) -> None:
    app.context_processor(locale_context)
    clock.init_app(app)  # |when, |ago, |day, |hm, |month, |iso
    app.after_request(no_store)
    # One Talisman per app: it keeps its settings on itself, so a second app built in the
    # same process (a worker, the tests) would otherwise change the first one's. The
    # module-level ``talisman`` only marks views (``@talisman(force_https=False)``).
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "()"},
    )
    guards.init_app(app)
    for code in ERROR_TEXT:  # 500 included: every unhandled exception gets the page too
        app.register_error_handler(code, render_error)
    app.register_error_handler(HTTPException, render_error)  # the other 4xx and 5xx
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(guards.UnstorableText, unstorable_text_error)


def csrf_error(error: CSRFError) -> tuple[str, int]:
    title = _l("The form has expired")
    hint = _l("For your safety, forms expire. Go back, reload the page and send it again.")
    return error_page(400, title, hint)
