"""Routes of lounge (being built)."""

from app.lounge import bp  # noqa: F401
