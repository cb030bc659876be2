"""The profile's vocabularies; ``matching.synthetic`` stays their single source."""

from __future__ import annotations

from matching.synthetic import CITIES, QUESTIONS, TAGS

__all__ = ["BIO_MAX", "CITIES", "MAX_TAGS", "NICKNAME_MAX", "QUESTIONS", "TAGS"]

MAX_TAGS = 8
BIO_MAX = 500
NICKNAME_MAX = 20
HEIGHT_MIN, HEIGHT_MAX = 140, 210
