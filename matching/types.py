"""The plain data the matcher takes and returns: profiles, history, suggestions.

Other code (the app's nightly batch, the benchmark, tests) builds these and reads them;
nothing here knows about Flask or the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, overload

import numpy as np

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


@dataclass(frozen=True, eq=False)
class DatedPairs(Sequence[tuple[int, int, date]]):
    """(from_id, to_id, day) pairs held as three arrays: what ``History`` takes instead of
    a list of tuples when there are millions (a 30-day window at a million members).
    A tuple costs about 120 bytes with its ints; a pair here costs 20. It is still a
    sequence of tuples for code that iterates."""

    from_ids: np.ndarray  # int64
    to_ids: np.ndarray  # int64
    days: np.ndarray  # int32, date.toordinal()

    @classmethod
    def of(cls, from_ids: Any, to_ids: Any, day: date | Sequence[date] | np.ndarray) -> DatedPairs:
        """Pairs from two id sequences and one day for all, or a day (or ordinal) each."""
        a = np.asarray(from_ids, dtype=np.int64)
        b = np.asarray(to_ids, dtype=np.int64)
        if isinstance(day, date):
            days = np.full(len(a), day.toordinal(), dtype=np.int32)
        elif isinstance(day, np.ndarray):
            days = day.astype(np.int32)
        else:
            days = np.fromiter(map(date.toordinal, day), dtype=np.int32, count=len(a))
        if not len(a) == len(b) == len(days):
            raise ValueError("from_ids, to_ids and days differ in length")
        return cls(a, b, days)

    @classmethod
    def concat(cls, parts: Sequence[DatedPairs]) -> DatedPairs:
        return cls(
            np.concatenate([p.from_ids for p in parts] or [np.empty(0, np.int64)]),
            np.concatenate([p.to_ids for p in parts] or [np.empty(0, np.int64)]),
            np.concatenate([p.days for p in parts] or [np.empty(0, np.int32)]),
        )

    def __len__(self) -> int:
        return len(self.from_ids)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int, date]: ...
    @overload
    def __getitem__(self, i: slice) -> DatedPairs: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int, date] | DatedPairs:
        if isinstance(i, slice):
            return DatedPairs(self.from_ids[i], self.to_ids[i], self.days[i])
        return (int(self.from_ids[i]), int(self.to_ids[i]), date.fromordinal(int(self.days[i])))

    def __iter__(self) -> Iterator[tuple[int, int, date]]:
        columns = (self.from_ids.tolist(), self.to_ids.tolist(), self.days.tolist())
        for a, b, d in zip(*columns, strict=True):
            yield a, b, date.fromordinal(d)


@dataclass(frozen=True)
class History:
    """What already happened between members; every pair is (from_id, to_id)."""

    # (viewer_id, candidate_id, day): the candidate was suggested to the viewer that day.
    # Each dated field takes a sequence of tuples or, for millions, ``DatedPairs``.
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
