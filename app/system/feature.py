"""System: the plumbing checks (Celery ping, health endpoints)."""

from __future__ import annotations

from app.features import Feature
from app.system import health
from app.system.settings import Settings

feature = Feature(
    name="system",
    settings=Settings,
    tasks=("app.system.tasks",),
    init_app=health.init_app,
)
