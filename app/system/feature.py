"""System: the plumbing checks (Celery ping, health endpoints)."""

from __future__ import annotations

from app.features import Feature
from app.system import health

feature = Feature(
    name="system",
    tasks=("app.system.tasks",),
    init_app=health.init_app,
)
