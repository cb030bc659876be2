"""我的 (Me): the member's own corner — profile, settings, data, sign out."""

from __future__ import annotations

from app.main import bp  # noqa: F401 - the views below register on it
