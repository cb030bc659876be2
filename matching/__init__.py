"""Matching domain: features, candidates, scoring, exposure, batch. Never imports Flask.

``Matcher`` and ``MatcherConfig`` (``matching.engine``) load NumPy and scikit-learn, so
they are imported on first use: ``from matching import Profile`` stays light.
"""

from typing import Any

from matching.types import History, Profile, Reason, Suggestion

__all__ = ["History", "Matcher", "MatcherConfig", "Profile", "Reason", "Suggestion"]


def __getattr__(name: str) -> Any:
    if name in ("Matcher", "MatcherConfig"):
        from matching import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'matching' has no attribute {name!r}")
