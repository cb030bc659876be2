"""Routes of privacy (being built)."""

from app.privacy import bp  # noqa: F401
