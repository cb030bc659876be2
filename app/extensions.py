"""Extension objects, created unbound here and bound in ``create_app``.

Kept out of ``app/__init__.py`` so that models, views and tasks can import them
without circular imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from celery import Celery, Task, uuid
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app import background
from app.periodic import beat_schedule

if TYPE_CHECKING:
    from app.features import Registry

# One naming convention for every constraint, so Alembic can name, find and drop them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
talisman = Talisman()  # marks views only; each app gets its own (app/web.py)


def celery_init_app(app: Flask, registry: Registry) -> Celery:
    """Create the Celery application from the Flask configuration.

    Every task runs inside an application context. Without ``CELERY_BROKER_URL``
    tasks run in-process (the embedded default): with ``CELERY_IN_PROCESS = "thread"``
    a task sent from a request runs off it, on the app's small executor
    (``app.background``), and anywhere else eagerly where it is sent; with ``"eager"``
    always eagerly. With a broker they go to it and a real worker runs them.
    """
    broker = app.config.get("CELERY_BROKER_URL")
    mode = app.config.get("CELERY_IN_PROCESS") or background.EAGER
    threads = int(app.config.get("CELERY_IN_PROCESS_THREADS") or background.DEFAULT_THREADS)
    background.init_app(app, background.EAGER if broker else mode, threads)

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

        def apply_async(self, args=None, kwargs=None, task_id=None, *more, **options):
            """Off the request on the app's executor when there is one for now (see
            ``app.background.executor_for``); else as Celery sends it."""
            executor = background.executor_for(app)
            if executor is None:
                return super().apply_async(args, kwargs, task_id, *more, **options)
            task_id = task_id or uuid()
            send = super().apply_async

            def run() -> object:
                return send(args, kwargs, task_id, *more, **options).get(
                    disable_sync_subtasks=False
                )

            return background.BackgroundResult(task_id, executor.submit(self.name, run))

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(
        {
            "broker_url": broker or "memory://",
            "result_backend": app.config.get("CELERY_RESULT_BACKEND") or broker or None,
            "task_always_eager": not broker,
            "task_eager_propagates": True,
            "task_ignore_result": False,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True,
            "broker_transport_options": _redis_transport_options(app),
            "task_default_queue": app.config.get("CELERY_TASK_DEFAULT_QUEUE") or "celery",
            "timezone": app.config["BABEL_DEFAULT_TIMEZONE"],
            "enable_utc": True,
            "beat_schedule": beat_schedule(app.config),
            "include": [module for feature in registry for module in feature.tasks],
        }
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def _redis_transport_options(app: Flask) -> dict[str, float]:
    """Redis redelivers a task nobody acknowledged (its worker died) after the
    visibility timeout. Kombu looks for such tasks only every ~100 s by default, so
    look every quarter of the timeout (1-10 s) to bring them back soon after it."""
    timeout = float(app.config.get("CELERY_VISIBILITY_TIMEOUT") or 3600)
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": max(1.0, min(10.0, timeout / 4)),
        "unacked_restore_throttle": 1,
    }
