"""Quality measures for daily suggestions: pure functions over plain data.

Used by the benchmark (``python -m benchmarks.matching``), the tests and the app. Nothing here
uses the engine: the hard requirements are implemented again, independently, so that a
mistake in the engine's blocking shows up as a violation instead of being repeated.

Two forms of the eligibility rule:

- :func:`eligible` for one pair of :class:`~matching.types.Profile` objects;
- :class:`ProfileColumns` (built once per day from the profiles) with
  :meth:`ProfileColumns.eligible` over arrays of rows, for millions of pairs at once.

A pair is eligible when each side meets the other's hard requirements: the gender wanted,
the age range (age on the given day), the cities (empty: any city), the minimum education
and the height range. A requirement that is set fails when the other side's value is
unknown (``None``). Nobody is eligible with themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.types import DatedPairs, History, Profile, Suggestion

Suggestions = Mapping[int, Sequence[Suggestion]]
# (viewer_ids, candidate_ids) -> bool array: does the viewer like the candidate?
PairPredicate = Callable[[np.ndarray, np.ndarray], np.ndarray]

# ---------------------------------------------------------------------------------------
# Eligibility, one pair at a time


def meets(wisher: Profile, other: Profile, day: date) -> bool:
    """Does ``other`` meet every hard requirement of ``wisher`` on ``day``?"""
    if other.gender != wisher.wanted_gender:
        return False
    if not wisher.age_min <= other.age_on(day) <= wisher.age_max:
        return False
    if wisher.cities and other.city not in wisher.cities:
        return False
    if wisher.min_education is not None and (
        other.education is None or other.education < wisher.min_education
    ):
        return False
    if wisher.height_min is not None and (
        other.height_cm is None or other.height_cm < wisher.height_min
    ):
        return False
    return not (
        wisher.height_max is not None
        and (other.height_cm is None or other.height_cm > wisher.height_max)
    )


def eligible(a: Profile, b: Profile, day: date) -> bool:
    """May ``a`` and ``b`` be suggested to each other on ``day``? (Both ways.)"""
    return a.id != b.id and meets(a, b, day) and meets(b, a, day)


# ---------------------------------------------------------------------------------------
# Eligibility over columns

_NONE = -1  # stands for None in the integer columns


def _int_column(values: Iterable[int | None], dtype: type) -> np.ndarray:
    return np.fromiter((_NONE if v is None else v for v in values), dtype=dtype)


@dataclass(frozen=True, eq=False)
class ProfileColumns:
    """The profiles' requirement-relevant fields as arrays, one row per profile.

    Rows follow the order of the profiles given; :meth:`rows` maps ids to rows.
    Unknown values are -1 (education, height) and unset requirements are -1 too.
    """

    day: date
    ids: np.ndarray  # int64
    gender: np.ndarray  # int16 code into the gender vocabulary
    wanted: np.ndarray  # int16 code, same vocabulary
    age: np.ndarray  # int16, age on ``day``
    age_min: np.ndarray  # int16
    age_max: np.ndarray  # int16
    city: np.ndarray  # int32 code into the city vocabulary
    any_city: np.ndarray  # bool: no city requirement
    city_mask: np.ndarray  # uint64 (n, words): bit c set when city code c is accepted
    education: np.ndarray  # int16, -1 unknown
    min_education: np.ndarray  # int16, -1 no requirement
    height: np.ndarray  # int16, -1 unknown
    height_min: np.ndarray  # int16, -1 no requirement
    height_max: np.ndarray  # int16, -1 no requirement
    _sorted_ids: np.ndarray
    _sorted_rows: np.ndarray

    @classmethod
    def from_profiles(cls, profiles: Sequence[Profile], day: date) -> ProfileColumns:
        n = len(profiles)
        genders: dict[str, int] = {}
        gender = np.fromiter(
            (genders.setdefault(p.gender, len(genders)) for p in profiles), np.int16, n
        )
        wanted = np.fromiter(
            (genders.setdefault(p.wanted_gender, len(genders)) for p in profiles), np.int16, n
        )
        cities: dict[str, int] = {}
        city = np.fromiter((cities.setdefault(p.city, len(cities)) for p in profiles), np.int32, n)
        for p in profiles:
            for c in p.cities:
                cities.setdefault(c, len(cities))
        words = max(1, (len(cities) + 63) // 64)
        city_mask = np.zeros((n, words), dtype=np.uint64)
        for row, p in enumerate(profiles):
            for c in p.cities:
                code = cities[c]
                city_mask[row, code >> 6] |= np.uint64(1) << np.uint64(code & 63)
        ids = np.fromiter((p.id for p in profiles), np.int64, n)
        order = np.argsort(ids, kind="stable")
        return cls(
            day=day,
            ids=ids,
            gender=gender,
            wanted=wanted,
            age=np.fromiter((p.age_on(day) for p in profiles), np.int16, n),
            age_min=np.fromiter((p.age_min for p in profiles), np.int16, n),
            age_max=np.fromiter((p.age_max for p in profiles), np.int16, n),
            city=city,
            any_city=np.fromiter((not p.cities for p in profiles), bool, n),
            city_mask=city_mask,
            education=_int_column((p.education for p in profiles), np.int16),
            min_education=_int_column((p.min_education for p in profiles), np.int16),
            height=_int_column((p.height_cm for p in profiles), np.int16),
            height_min=_int_column((p.height_min for p in profiles), np.int16),
            height_max=_int_column((p.height_max for p in profiles), np.int16),
            _sorted_ids=ids[order],
            _sorted_rows=order.astype(np.int64),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Rows of the given ids; -1 for an id that is not among the profiles."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self._sorted_ids) == 0:
            return np.full(ids.shape, -1, dtype=np.int64)
        pos = np.searchsorted(self._sorted_ids, ids)
        pos = np.minimum(pos, len(self._sorted_ids) - 1)
        found = self._sorted_ids[pos] == ids
        return np.where(found, self._sorted_rows[pos], -1)

    def meets(self, wisher: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Does row ``other`` meet row ``wisher``'s requirements? Arrays broadcast."""
        ok = self.gender[other] == self.wanted[wisher]
        age = self.age[other]
        ok &= (age >= self.age_min[wisher]) & (age <= self.age_max[wisher])
        code = self.city[other]
        word = self.city_mask[wisher, code >> 6]
        in_cities = (word >> (code & 63).astype(np.uint64)) & np.uint64(1)
        ok &= self.any_city[wisher] | (in_cities == 1)
        min_edu = self.min_education[wisher]
        ok &= (min_edu == _NONE) | (self.education[other] >= min_edu)
        height = self.height[other]
        known = height != _NONE
        low = self.height_min[wisher]
        ok &= (low == _NONE) | (known & (height >= low))
        high = self.height_max[wisher]
        ok &= (high == _NONE) | (known & (height <= high))
        return ok

    def eligible(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Are rows ``a`` and ``b`` eligible for each other (both ways, not the same)?"""
        a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
        ok = (a != b) & self.meets(a, b)
        hit = np.nonzero(ok)  # the other way round only where this way holds
        ok[hit] = self.meets(b[hit], a[hit])
        return ok

    def eligible_ids(
        self, a_ids: Sequence[int] | np.ndarray, b_ids: Sequence[int] | np.ndarray
    ) -> np.ndarray:
        """:meth:`eligible` by ids; a pair with an unknown id is not eligible."""
        a, b = np.broadcast_arrays(self.rows(a_ids), self.rows(b_ids))
        known = (a >= 0) & (b >= 0)
        out = np.zeros(np.broadcast(a, b).shape, dtype=bool)
        out[known] = self.eligible(a[known], b[known])
        return out


def members_with_eligible_candidate(
    columns: ProfileColumns,
    *,
    known: Collection[int] = (),
    sample_size: int = 512,
    max_pair_checks: int = 400_000_000,
    seed: int = 0,
) -> tuple[np.ndarray, bool]:
    """Ids of the members who have at least one eligible candidate, and whether exact.

    Three passes, cheapest first:

    1. the ids in ``known`` (e.g. members already given an eligible suggestion) count;
    2. every other member is checked against one random sample of ``sample_size``
       members of the gender they want;
    3. the members still without a candidate are checked against everyone of the gender
       they want, when that takes at most ``max_pair_checks`` pair checks (the answer is
       then exact); otherwise against a random sample as large as that budget allows, and
       the answer is a lower bound (``exact`` is False).
    """
    n = len(columns)
    rng = np.random.default_rng(seed)
    found = np.zeros(n, dtype=bool)
    if known:
        rows = columns.rows(np.fromiter(known, np.int64, len(known)))
        found[rows[rows >= 0]] = True
    exact = True
    pools = {int(g): np.flatnonzero(columns.gender == g) for g in np.unique(columns.gender)}
    for g in np.unique(columns.wanted):
        pool = pools.get(int(g), np.empty(0, dtype=np.int64))
        members = np.flatnonzero((columns.wanted == g) & ~found)
        if len(pool) == 0 or len(members) == 0:
            continue
        if len(pool) > sample_size:
            sample = rng.choice(pool, size=sample_size, replace=False)
            found[members[_any_eligible(columns, members, sample)]] = True
            members = members[~found[members]]
            if len(members) == 0:
                continue
        if len(members) * len(pool) > max_pair_checks:
            exact = False
            size = max(sample_size, max_pair_checks // len(members))
            pool = rng.choice(pool, size=min(size, len(pool)), replace=False)
        found[members[_any_eligible(columns, members, pool)]] = True
    return columns.ids[found], exact


def _any_eligible(
    columns: ProfileColumns, members: np.ndarray, pool: np.ndarray, block: int = 4_000_000
) -> np.ndarray:
    """For each member row: is any row of ``pool`` eligible with it?"""
    out = np.zeros(len(members), dtype=bool)
    rows_per_chunk = max(1, block // max(1, len(pool)))
    cols_per_chunk = min(len(pool), block)
    for start in range(0, len(members), rows_per_chunk):
        chunk = members[start : start + rows_per_chunk]
        hit = np.zeros(len(chunk), dtype=bool)
        for c0 in range(0, len(pool), cols_per_chunk):
            todo = ~hit
            if not todo.any():
                break
            part = pool[c0 : c0 + cols_per_chunk]
            ok = columns.eligible(chunk[todo, None], part[None, :])
            hit[todo] = ok.any(axis=1)
        out[start : start + len(chunk)] = hit
    return out


# ---------------------------------------------------------------------------------------
# Measures of a day's suggestions


def suggestion_pairs(
    suggestions: Suggestions, k: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every suggested slot as (viewer_ids, candidate_ids), at most ``k`` per viewer."""
    lists = [(v, s if k is None else s[:k]) for v, s in suggestions.items()]
    total = sum(len(s) for _, s in lists)
    viewers = np.empty(total, dtype=np.int64)
    candidates = np.empty(total, dtype=np.int64)
    at = 0
    for viewer, items in lists:
        m = len(items)
        viewers[at : at + m] = viewer
        candidates[at : at + m] = [s.candidate_id for s in items]
        at += m
    return viewers, candidates


def constraint_violations(
    profiles: Sequence[Profile] | ProfileColumns, suggestions: Suggestions, day: date
) -> int:
    """How many suggested slots break a hard requirement of either side on ``day``.

    A slot naming an unknown member (viewer or candidate), or the viewer themself, counts
    as a violation too.
    """
    columns = _columns(profiles, day)
    viewers, candidates = suggestion_pairs(suggestions)
    return int(np.count_nonzero(~columns.eligible_ids(viewers, candidates)))


def _columns(profiles: Sequence[Profile] | ProfileColumns, day: date) -> ProfileColumns:
    if isinstance(profiles, ProfileColumns):
        if profiles.day != day:
            raise ValueError(f"columns were built for {profiles.day}, not {day}")
        return profiles
    return ProfileColumns.from_profiles(profiles, day)


def _pair_keys(
    a: np.ndarray, b: np.ndarray, vocabulary: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Directed and unordered int64 keys for id pairs, over a sorted id vocabulary."""
    size = np.int64(len(vocabulary))
    ca = np.searchsorted(vocabulary, a).astype(np.int64)
    cb = np.searchsorted(vocabulary, b).astype(np.int64)
    return ca * size + cb, np.minimum(ca, cb) * size + np.maximum(ca, cb)


def repeats(
    suggestions: Suggestions,
    history: History,
    day: date,
    window_days: int = 30,
    *,
    either_direction: bool = False,
) -> int:
    """How many suggested slots should have been excluded by the history.

    A slot (viewer, candidate) is a repeat when the candidate was shown to the viewer on
    one of the ``window_days`` days before ``day`` (``day - window_days`` .. ``day - 1``;
    with ``either_direction`` also when the viewer was shown to the candidate), or when
    either has blocked the other, or when the two are already matched.
    """
    viewers, candidates = suggestion_pairs(suggestions)
    if len(viewers) == 0:
        return 0
    if isinstance(history.shown, DatedPairs):
        ago = day.toordinal() - history.shown.days.astype(np.int64)
        recent = (ago >= 1) & (ago <= window_days)
        sv, sc = history.shown.from_ids[recent], history.shown.to_ids[recent]
    else:
        shown = [(v, c) for v, c, d in history.shown if 1 <= (day - d).days <= window_days]
        sv, sc = _id_arrays(shown)
    if either_direction:
        sv, sc = np.concatenate([sv, sc]), np.concatenate([sc, sv])
    unordered = list(history.blocks) + list(history.matches)
    uv, uc = _id_arrays(unordered)
    vocabulary = np.unique(np.concatenate([viewers, candidates, sv, sc, uv, uc]))
    directed, either = _pair_keys(viewers, candidates, vocabulary)
    shown_keys, _ = _pair_keys(sv, sc, vocabulary)
    _, apart_keys = _pair_keys(uv, uc, vocabulary)
    bad = np.isin(directed, shown_keys) | np.isin(either, apart_keys)
    return int(np.count_nonzero(bad))


def _id_arrays(pairs: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def precision_at_k(suggestions: Suggestions, would_like_pairs: PairPredicate, k: int) -> float:
    """Share of suggested slots where both sides would like each other (reciprocal).

    Every viewer with at least one suggestion has ``k`` slots; slots beyond a shorter list
    count as misses, suggestions beyond the ``k``-th are ignored. 0.0 when nobody got a
    suggestion.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    slots = k * sum(1 for s in suggestions.values() if s)
    if slots == 0:
        return 0.0
    viewers, candidates = suggestion_pairs(suggestions, k)
    both = np.asarray(would_like_pairs(viewers, candidates), dtype=bool) & np.asarray(
        would_like_pairs(candidates, viewers), dtype=bool
    )
    return int(np.count_nonzero(both)) / slots


def exposure_counts(suggestions: Suggestions, member_ids: Sequence[int]) -> np.ndarray:
    """In how many lists each member (in ``member_ids`` order) appears as a candidate."""
    members = np.asarray(member_ids, dtype=np.int64)
    viewers, candidates = suggestion_pairs(suggestions)
    order = np.argsort(members, kind="stable")
    if len(members) == 0:
        return np.zeros(0, dtype=np.int64)
    # One appearance per list: drop a candidate repeated within the same list.
    vocabulary = np.unique(np.concatenate([viewers, candidates, members]))
    directed, _ = _pair_keys(viewers, candidates, vocabulary)
    _, first = np.unique(directed, return_index=True)
    candidates = candidates[first]
    pos = np.minimum(np.searchsorted(members[order], candidates), len(members) - 1)
    known = members[order][pos] == candidates
    counts = np.bincount(order[pos[known]], minlength=len(members))
    return counts.astype(np.int64)


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values: 0 all equal, near 1 all on one. 0 if empty
    or all zero."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    total = x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(np.sum((2 * ranks - n - 1) * x) / (n * total))


def exposure_gini(suggestions: Suggestions, member_ids: Sequence[int]) -> float:
    """Gini coefficient of how many lists each member appears in (zeros included)."""
    return gini(exposure_counts(suggestions, member_ids))


def coverage(suggestions: Suggestions, members_with_an_eligible_candidate: Iterable[int]) -> float:
    """Share of the members with at least one eligible candidate who got a suggestion.

    1.0 when no member has an eligible candidate.
    """
    members = set(members_with_an_eligible_candidate)
    if not members:
        return 1.0
    served = sum(1 for m in members if suggestions.get(m))
    return served / len(members)
