"""Routes of quickmatch (being built)."""

from app.quickmatch import bp  # noqa: F401
