"""Profiles as NumPy columns: the form every other part of the engine works on.

``build_columns(profiles)`` checks each profile, logs and skips the ones that do not fit
the documented types (unknown gender, ``age_min > age_max``, a string where a number
belongs, a repeated id...) and turns the rest into one array per attribute, row ``i``
being the ``i``-th kept profile. Missing values are fine: an unknown height or
education is 0, an empty bio, tag set or questionnaire is simply empty.

Set-valued attributes are bit masks over a vocabulary, one ``uint64`` word per 64
entries: ``city_mask`` over city codes (a member's acceptable cities; ``any_city`` when
the set is empty) and ``tags`` over the most frequent ``MAX_SCORED_TAGS`` tags, rarest
first so the lowest set bits of a shared mask name the most telling shared interests.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.types import Profile

logger = logging.getLogger(__name__)

GENDERS = ("F", "M")
_GENDER_CODE = {"F": 0, "M": 1}
MAX_SCORED_TAGS = 256  # tags beyond the most frequent ones count in the embedding only
MIN_HEIGHT, MAX_HEIGHT = 100, 250  # cm; outside is a data error, not a short member
ANSWER_LEVELS = 5  # questionnaire answers are 1..5


class BadProfile(ValueError):
    """A profile the engine cannot use; the message says why."""


@dataclass(eq=False)
class Columns:
    """The kept profiles as arrays (row order = ``profiles`` order)."""

    profiles: list[Profile]
    ids: np.ndarray  # int64
    gender: np.ndarray  # int8: 0 F, 1 M
    wanted: np.ndarray  # int8: the gender wanted
    birth_year: np.ndarray  # int16
    birth_md: np.ndarray  # int16: month * 100 + day
    birth_ordinal: np.ndarray  # int32
    city: np.ndarray  # int32 code into city_names
    height: np.ndarray  # int16 cm, 0 unknown
    education: np.ndarray  # int8 1..5, 0 unknown
    tags: np.ndarray  # uint64 (n, words) bit mask over tag_names
    answers: np.ndarray  # int8 (n, questions) 1..5, 0 unanswered
    importance: np.ndarray  # float32 (n, questions) 0..3, 0 where unanswered
    age_min: np.ndarray  # int16
    age_max: np.ndarray  # int16
    city_mask: np.ndarray  # uint64 (n, words) bit mask over city codes
    any_city: np.ndarray  # bool: no city preference
    min_education: np.ndarray  # int8, 0 none
    height_min: np.ndarray  # int16, 0 none
    height_max: np.ndarray  # int16, 0 none
    city_names: tuple[str, ...]
    tag_names: tuple[str, ...]  # rarest first (bit j is tag_names[j])
    question_keys: tuple[str, ...]
    _sorted_ids: np.ndarray
    _sorted_rows: np.ndarray
    _dense: np.ndarray | None = None  # see _table()

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Row of each id (int64); -1 for an id not among the kept profiles."""
        ids = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64)
        if not len(self._sorted_ids):
            return np.full(ids.shape, -1, dtype=np.int64)
        table = self._table()
        if table is not None:  # ids from a database sequence: one gather, no search
            inside = (ids >= 0) & (ids < len(table))
            return np.where(inside, table[np.where(inside, ids, 0)], -1)
        pos = np.minimum(np.searchsorted(self._sorted_ids, ids), len(self._sorted_ids) - 1)
        return np.where(self._sorted_ids[pos] == ids, self._sorted_rows[pos], -1)

    def _table(self) -> np.ndarray | None:
        """Row by id as a dense array, when the ids are dense enough (the largest at
        most four times the count, as with a database's own ids): looking up millions
        of history pairs is then a gather instead of binary searches (3x faster)."""
        if self._dense is None:
            top = int(self._sorted_ids[-1])
            if self._sorted_ids[0] < 0 or top > 4 * len(self._sorted_ids) + 1024:
                self._dense = np.empty(0, dtype=np.int64)
            else:
                self._dense = np.full(top + 1, -1, dtype=np.int64)
                self._dense[self._sorted_ids] = self._sorted_rows
        return self._dense if len(self._dense) else None

    def age_on(self, day: date) -> np.ndarray:
        """Every member's age in whole years on ``day`` (int16)."""
        before = (day.month * 100 + day.day) < self.birth_md
        return (day.year - self.birth_year - before).astype(np.int16)

    def city_codes(self, names: Iterable[str]) -> list[int]:
        index = {c: i for i, c in enumerate(self.city_names)}
        return [index[c] for c in names if c in index]


def has_bit(masks: np.ndarray, code: np.ndarray | int) -> np.ndarray:
    """Whether bit ``code`` is set in each row of ``masks`` ((m, words) uint64); ``code`` is
    one code or one per row."""
    code = np.asarray(code, dtype=np.int64)
    rows = slice(None) if code.ndim == 0 else np.arange(len(masks))
    word = masks[rows, code >> 6]
    return ((word >> (code & 63).astype(np.uint64)) & np.uint64(1)).astype(bool)


def build_columns(profiles: Iterable[Profile]) -> tuple[Columns, list[tuple[object, str]]]:
    """The usable profiles as columns, and (id, reason) for each profile skipped."""
    kept: list[Profile] = []
    skipped: list[tuple[object, str]] = []
    seen: set[int] = set()
    for profile in profiles:
        try:
            check_profile(profile)
            if profile.id in seen:
                raise BadProfile("repeated id")
        except BadProfile as error:
            member = getattr(profile, "id", None)
            logger.warning("skipping profile %r: %s", member, error)
            skipped.append((member, str(error)))
            continue
        seen.add(int(profile.id))
        kept.append(profile)
    return _columns(kept), skipped


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _optional_int(value: object, name: str, low: int, high: int) -> None:
    if value is None or (type(value) is int and low <= value <= high):
        return
    if not _is_int(value) or not low <= int(value) <= high:  # type: ignore[call-overload]
        raise BadProfile(f"{name} is {value!r}, not None or an integer {low}..{high}")


def _strings(value: object, name: str) -> None:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise BadProfile(f"{name} is {type(value).__name__}, not a set of strings")
    if not all(isinstance(x, str) for x in value):
        raise BadProfile(f"{name} holds something that is not a string")


def check_profile(p: Profile) -> None:
    """Raise ``BadProfile`` unless ``p`` has the documented types and consistent values.

    Missing values (None height, education, occupation; empty bio, tags, answers) are
    fine; 0 for height, education or a preference means "not given" as well.
    """
    if not _is_int(getattr(p, "id", None)):
        raise BadProfile("id is not an integer")
    if p.gender not in _GENDER_CODE:
        raise BadProfile(f"unknown gender {p.gender!r}")
    if p.wants_gender not in ("", "F", "M"):
        raise BadProfile(f"unknown wanted gender {p.wants_gender!r}")
    if not isinstance(p.birth_date, date):
        raise BadProfile("birth_date is not a date")
    if not isinstance(p.city, str) or not p.city:
        raise BadProfile("no city")
    if p.height_cm:
        _optional_int(p.height_cm, "height_cm", MIN_HEIGHT, MAX_HEIGHT)
    _optional_int(p.education, "education", 0, 5)
    if p.occupation is not None and not isinstance(p.occupation, str):
        raise BadProfile("occupation is not a string")
    _strings(p.tags, "tags")
    if p.bio is not None and not isinstance(p.bio, str):
        raise BadProfile("bio is not a string")
    _check_answers(p.answers, p.answer_importance)
    for name in ("age_min", "age_max"):
        _optional_int(getattr(p, name), name, 0, 150)
    if p.age_min is None or p.age_max is None or p.age_min > p.age_max:
        raise BadProfile(f"age range {p.age_min!r}..{p.age_max!r}")
    _strings(p.cities, "cities")
    _optional_int(p.min_education, "min_education", 0, 5)
    _optional_int(p.height_min, "height_min", 0, 300)
    _optional_int(p.height_max, "height_max", 0, 300)
    if p.height_min and p.height_max and p.height_min > p.height_max:
        raise BadProfile(f"height range {p.height_min}..{p.height_max}")


def _check_answers(answers: object, importance: object) -> None:
    for name, values, low, high in (
        ("answers", answers, 1, ANSWER_LEVELS),
        ("answer_importance", importance, 0, 3),
    ):
        if values is None:
            continue
        if not isinstance(values, Mapping):
            raise BadProfile(f"{name} is not a mapping")
        if all(
            type(key) is str and type(value) is int and low <= value <= high
            for key, value in values.items()
        ):
            continue  # the usual case, checked in one pass
        for key, value in values.items():
            if not isinstance(key, str):
                raise BadProfile(f"{name} has a key that is not a string")
            _optional_int(value, f"{name}[{key!r}]", low, high)


def _vocabulary(counts: Counter[str], limit: int | None = None) -> tuple[str, ...]:
    """Most frequent ``limit`` entries, ordered rarest first (ties by name)."""
    common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple(name for name, _ in sorted(common, key=lambda kv: (kv[1], kv[0])))


def _masks(sets: Sequence[frozenset[str]], index: Mapping[str, int], words: int) -> np.ndarray:
    """(n, words) uint64 bit masks of the sets (entries not in ``index`` ignored)."""
    out = np.zeros((len(sets), words), dtype=np.uint64)
    cache: dict[frozenset[str], tuple[int, ...]] = {}
    for i, values in enumerate(sets):
        key = values if isinstance(values, frozenset) else frozenset(values)
        found = cache.get(key)
        if found is None:
            bits = 0
            for v in key:
                j = index.get(v)
                if j is not None:
                    bits |= 1 << j
            found = cache[key] = tuple((bits >> (64 * w)) & (2**64 - 1) for w in range(words))
        if any(found):
            out[i] = found
    return out


def _columns(kept: list[Profile]) -> Columns:
    n = len(kept)
    city_counts = Counter(p.city for p in kept)
    for p in kept:
        city_counts.update(c for c in p.cities if c not in city_counts)
    city_names = tuple(sorted(city_counts))
    tag_counts: Counter[str] = Counter()
    question_set: set[str] = set()
    for p in kept:
        tag_counts.update(p.tags)
        if p.answers:
            question_set.update(p.answers)
    tag_names = _vocabulary(tag_counts, MAX_SCORED_TAGS)
    question_keys = tuple(sorted(question_set))

    ids = np.fromiter((p.id for p in kept), dtype=np.int64, count=n)
    birth = [p.birth_date for p in kept]
    city_index = {c: i for i, c in enumerate(city_names)}
    answers, importance = _questionnaire(kept, question_keys)

    def ints(values: Iterable[object], dtype: type) -> np.ndarray:
        return np.fromiter((v or 0 for v in values), dtype=dtype, count=n)

    gender = np.fromiter((_GENDER_CODE[p.gender] for p in kept), dtype=np.int8, count=n)
    wants = np.fromiter((_GENDER_CODE.get(p.wants_gender, -1) for p in kept), np.int8, n)
    order = np.argsort(ids, kind="stable")
    return Columns(
        profiles=kept,
        ids=ids,
        gender=gender,
        wanted=np.where(wants >= 0, wants, 1 - gender).astype(np.int8),
        birth_year=np.fromiter((d.year for d in birth), dtype=np.int16, count=n),
        birth_md=np.fromiter((d.month * 100 + d.day for d in birth), dtype=np.int16, count=n),
        birth_ordinal=np.fromiter((d.toordinal() for d in birth), dtype=np.int32, count=n),
        city=np.fromiter((city_index[p.city] for p in kept), dtype=np.int32, count=n),
        height=ints((p.height_cm for p in kept), np.int16),
        education=ints((p.education for p in kept), np.int8),
        tags=_masks([p.tags for p in kept], _index(tag_names), _words(len(tag_names))),
        answers=answers,
        importance=importance,
        age_min=ints((p.age_min for p in kept), np.int16),
        age_max=ints((p.age_max for p in kept), np.int16),
        city_mask=_masks([p.cities for p in kept], city_index, _words(len(city_names))),
        any_city=np.fromiter((not p.cities for p in kept), dtype=bool, count=n),
        min_education=ints((p.min_education for p in kept), np.int8),
        height_min=ints((p.height_min for p in kept), np.int16),
        height_max=ints((p.height_max for p in kept), np.int16),
        city_names=city_names,
        tag_names=tag_names,
        question_keys=question_keys,
        _sorted_ids=ids[order],
        _sorted_rows=order.astype(np.int64),
    )


def _index(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def _words(size: int) -> int:
    return max(1, (size + 63) // 64)


def _questionnaire(kept: list[Profile], keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Answers (int8, 0 unanswered) and importance weights (float32; an unlisted
    importance counts 1, an unanswered question 0)."""
    n, q = len(kept), len(keys)
    index = _index(keys)
    answers = np.zeros((n, q), dtype=np.int8)
    importance = np.zeros((n, q), dtype=np.float32)
    for i, p in enumerate(kept):
        if not p.answers:
            continue
        weights = p.answer_importance or {}
        for key, value in p.answers.items():
            if value is None:
                continue
            j = index[key]
            answers[i, j] = value
            w = weights.get(key)
            importance[i, j] = 1 if w is None else w
    return answers, importance
