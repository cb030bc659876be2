"""The terms of service and the privacy policy."""

from __future__ import annotations

from app.main import bp  # noqa: F401 - the views below register on it
