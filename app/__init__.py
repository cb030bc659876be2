"""The Queqiao Flask application."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from typing import Any

from dotenv import load_dotenv
from flask import Flask

from app import config as settings
from app import proxies
from app.extensions import babel, celery_init_app, csrf, db, limiter, login_manager, migrate
from app.quickmatch import settings as quickmatch_settings

MODEL_MODULES = (
    "app.accounts.models",
    "app.audit.models",
    "app.events.models",
    "app.consult.models",
    "app.introductions.models",
    "app.notifications.models",
    "app.lounge.models",
    "app.privacy.models",
    "app.profiles.models",
    "app.quickmatch.models",
    "app.safety.models",
    "app.school.models",
    "verification.models",
    "verification.health",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands.

    ``test_config`` overrides everything else and selects the testing mode.
    """
    load_dotenv(override=False)
    app = Flask(__name__, instance_relative_config=True)
    mode = "testing" if test_config is not None else os.environ.get("QUEQIAO_ENV")
    config_class = settings.config_for(mode)
    app.config.from_object(config_class)
    app.config["INSTANCE_PATH"] = app.instance_path
    if test_config is None:
        app.config.update(settings.from_environment())
    else:
        app.config.update(test_config)
    config_class.finalise(app.config)
    quickmatch_settings.init_config(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    # X-Forwarded-* from the proxies only (TRUSTED_PROXIES); see app/proxies.py.
    app.wsgi_app = proxies.wrap(
        app.wsgi_app, app.config["PROXY_COUNT"], app.config.get("TRUSTED_PROXIES", "")
    )
    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    from app import web
    from app.accounts import sms
    from app.system import health
    from verification import runtime

    _import_models()

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.signin"
    login_manager.refresh_view = "accounts.signin"
    # "basic": a session seen from another address or browser becomes non-fresh.
    # "strong" would sign out a phone each time it moves between Wi-Fi and mobile data.
    login_manager.session_protection = "basic"
    sms.init_app(app)
    runtime.init_app(app)
    web.init_app(app)
    health.init_app(app)
    celery_init_app(app)


def _import_models() -> None:
    """Import every model module so the metadata (and Alembic) sees all tables."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


def _register_blueprints(app: Flask) -> None:
    from app.accounts import bp as accounts_bp
    from app.console import bp as console_bp
    from app.consult import bp as consult_bp
    from app.events import bp as events_bp
    from app.introductions import bp as introductions_bp
    from app.lounge import bp as lounge_bp
    from app.main import bp as main_bp
    from app.notifications import bp as notifications_bp
    from app.privacy import bp as privacy_bp
    from app.profiles import bp as profiles_bp
    from app.quickmatch import bp as quickmatch_bp
    from app.review import bp as review_bp
    from app.safety import bp as safety_bp
    from app.school import bp as school_bp
    from app.verify import bp as verify_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(quickmatch_bp)
    app.register_blueprint(lounge_bp)
    app.register_blueprint(safety_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(consult_bp)
    app.register_blueprint(introductions_bp)
    app.register_blueprint(school_bp)


def _register_commands(app: Flask) -> None:
    from app import cli

    cli.init_app(app)
