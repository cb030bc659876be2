"""Routes of profiles (being built)."""

from app.profiles import bp  # noqa: F401
