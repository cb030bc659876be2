"""The plain data the matcher takes and returns: profiles, history, suggestions.

Other code (the app's nightly batch, the benchmark, tests) builds these and reads them;
nothing here knows about Flask or the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

# Education levels (ordinal): 0 unknown, then ascending degrees.
UNKNOWN, HIGH_SCHOOL, ASSOCIATE, BACHELOR, MASTER, DOCTORATE = range(6)


@dataclass(frozen=True)
class Profile:
    """One verified member: who they are and what they require of a partner."""

    id: int
    gender: str  # "F" or "M", from the resident ID number
    birth_date: date
    city: str
    height_cm: int | None = None
    education: int | None = None  # 0 unknown .. 5 doctorate (see the constants above)
    occupation: str | None = None
    tags: frozenset[str] = frozenset()
    bio: str = ""
    # Values questionnaire: question key -> answer on a 1..5 scale.
    answers: Mapping[str, int] = field(default_factory=dict)
    # How much each answer matters to this member: question key -> 0 (not at all) .. 3
    # (very); an unlisted question counts 1.
    answer_importance: Mapping[str, int] = field(default_factory=dict)
    # Preferences. Hard requirements both ways: a pair is eligible only when each meets
    # the other's.
    wants_gender: str = ""  # "F" or "M"; empty: the other gender
    age_min: int = 18
    age_max: int = 60
    cities: frozenset[str] = frozenset()  # empty: any city
    min_education: int | None = None
    height_min: int | None = None
    height_max: int | None = None

    @property
    def wanted_gender(self) -> str:
        if self.wants_gender:
            return self.wants_gender
        return "M" if self.gender == "F" else "F"

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


@dataclass(frozen=True)
class History:
    """What already happened between members; every pair is (from_id, to_id)."""

    # (viewer_id, candidate_id, day): the candidate was suggested to the viewer that day.
    shown: Sequence[tuple[int, int, date]] = ()
    # (from_id, to_id, day): from_id liked / passed on to_id that day.
    likes: Sequence[tuple[int, int, date]] = ()
    passes: Sequence[tuple[int, int, date]] = ()
    # (blocker_id, blocked_id): either direction keeps the two apart for good.
    blocks: Sequence[tuple[int, int]] = ()
    # (a_id, b_id): already matched; never suggested to each other again.
    matches: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True)
class Reason:
    """Why a candidate was suggested, as a code and its parameters: what the app stores,
    to render in the reader's language at display time (``matching.reasons.render``)."""

    code: str  # "shared_tags", "same_city", "values", "similar_age", "same_education", ...
    params: tuple[tuple[str, Any], ...] = ()  # (name, value) pairs; values str, int or tuples

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: ``{"code": ..., "params": {...}}`` (tuples become lists)."""
        return {
            "code": self.code,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params},
        }


class Suggestion(NamedTuple):
    """One suggested candidate for a viewer.

    A named tuple rather than a dataclass: the daily batch makes one per suggestion
    (about a million at 100,000 members), and a tuple is built several times faster."""

    candidate_id: int
    score: float  # in [0, 1]
    reasons: tuple[str, ...] = ()  # short and human, in the matcher's language
    # The same reasons, structured (code + params), for storing and translating later.
    reason_codes: tuple[Reason, ...] = ()
