"""The profile form's limits. The vocabularies themselves (cities, tags, the values
questionnaire) have their one home in ``matching.vocabulary``, beside the matcher that
reads them."""

from __future__ import annotations

MAX_TAGS = 8
BIO_MAX = 500
NICKNAME_MAX = 20
HEIGHT_MIN, HEIGHT_MAX = 140, 210
