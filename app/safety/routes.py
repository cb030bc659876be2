"""Routes of safety (being built)."""

from app.safety import bp  # noqa: F401
