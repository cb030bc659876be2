"""The Queqiao Flask application."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from dotenv import load_dotenv
from flask import Flask

from app import assets, features, proxies
from app import config as configuration
from app.extensions import babel, celery_init_app, csrf, db, limiter, login_manager, migrate


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands.

    ``test_config`` overrides everything else and selects the testing mode.
    """
    load_dotenv(override=False)
    app = Flask(__name__, instance_relative_config=True)
    mode = "testing" if test_config is not None else os.environ.get("QUEQIAO_ENV")
    config_class = configuration.config_for(mode)
    app.config.from_object(config_class)
    app.config["INSTANCE_PATH"] = app.instance_path
    if test_config is None:
        app.config.update(
            configuration.from_environment(features.setting_keys(app.config["FEATURES"]))
        )
    else:
        app.config.update(test_config)
    config_class.finalise(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    # X-Forwarded-* from the proxies only (TRUSTED_PROXIES); see app/proxies.py.
    app.wsgi_app = proxies.wrap(
        app.wsgi_app, app.config["PROXY_COUNT"], app.config.get("TRUSTED_PROXIES", "")
    )
    # Static files answered before Flask: fingerprinted, compressed, cached (app/assets.py).
    assets.init_app(app)
    registry = features.load(app)  # imports every feature's models and tasks
    _init_extensions(app)
    for feature in registry:
        if feature.init_app is not None:
            feature.init_app(app)
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)
    celery_init_app(app, registry)
    app.context_processor(
        lambda: {
            "admin_sections": registry.admin_sections(),
            "console_sections": registry.console_sections(),
        }
    )
    _register_commands(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    from app import web

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
    web.init_app(app)


def _register_commands(app: Flask) -> None:
    from app import cli

    cli.init_app(app)
