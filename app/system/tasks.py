"""A trivial task that proves the Celery wiring in both modes."""

from __future__ import annotations

import os
import socket

from celery import shared_task
from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


@shared_task(name="system.ping")
def ping(token: str) -> dict[str, object]:
    """Echo ``token`` with facts only an app context can give (config, database)."""
    return {
        "token": token,
        "app": current_app.name,
        "database": db.engine.url.get_backend_name(),
        "users": db.session.scalar(select(func.count(User.id))),
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
