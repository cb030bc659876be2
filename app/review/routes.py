"""Administrator views (filled in by the verification issue)."""

from __future__ import annotations

from app.review import bp  # noqa: F401
