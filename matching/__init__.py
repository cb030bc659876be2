"""Matching domain: features, candidates, scoring, exposure, batch. Never imports Flask."""

from matching.types import History, Profile, Suggestion

__all__ = ["History", "Profile", "Suggestion"]
