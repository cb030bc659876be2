"""Why a pair was suggested: one to three short reasons, as codes and as text.

A reason is a ``Reason(code, params)``; ``render`` turns it into a phrase of the
language asked for, from the small table below, so the app can store codes and
translate them when it shows them. The reasons, in order of preference:

- ``shared_tags`` (``tags``: up to two shared interests, the rarest first),
- ``values``: they agree (at most a point apart) on at least two questions both rate
  as important (2 or 3), and differ by two points or more on none of them
  (``questions``: up to three question keys),
- ``same_city`` (``city``),
- ``similar_age`` (at most two years apart),
- ``same_education`` (``level``: both known and equal),

and ``mutual_fit`` when none of these holds (they do meet each other's requirements).

``Explainer.explain_rows`` computes the reasons of many pairs with array operations and
builds each distinct combination once, so explaining a whole day's suggestions is cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from matching.columns import Columns
from matching.types import Reason

Explained = tuple[tuple[str, ...], tuple[Reason, ...]]  # (texts, reasons) of one pair

MAX_REASONS = 3
MAX_TAGS_NAMED = 2
SIMILAR_AGE_YEARS = 2
IMPORTANT = 2  # importance from which a question counts as important
MAX_VALUE_QUESTIONS = 3
MAX_QUESTIONS_SEEN = 16  # questions the values reason looks at (keeps pair keys in int64)

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "shared_tags": "都喜欢{tags}",
        "values": "在都看重的事情上想法一致",
        "same_city": "同在{city}",
        "similar_age": "年龄相仿",
        "same_education": "学历相当",
        "mutual_fit": "符合彼此的择偶条件",
    },
    "en": {
        "shared_tags": "You both like {tags}",
        "values": "You agree on what matters to you both",
        "same_city": "Both in {city}",
        "similar_age": "Close in age",
        "same_education": "Similar education",
        "mutual_fit": "You meet each other's requirements",
    },
}
LIST_JOINERS = {"zh": "、", "en": " and "}
LANGUAGES = tuple(TEXTS)


def render(reason: Reason | Mapping[str, Any], language: str = "zh") -> str:
    """The phrase for a reason (a ``Reason`` or its ``as_dict()``) in ``language``."""
    if isinstance(reason, Reason):
        code, params = reason.code, dict(reason.params)
    else:
        code, params = reason["code"], dict(reason.get("params", {}))
    table = TEXTS.get(language, TEXTS["zh"])
    joiner = LIST_JOINERS.get(language, LIST_JOINERS["zh"])
    values = {k: joiner.join(v) if isinstance(v, list | tuple) else v for k, v in params.items()}
    return table[code].format(**values)


def _lowest_bits(mask: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` lowest set bits of each (m, words) mask row, -1 padded."""
    m, words = mask.shape
    out = np.full((m, count), -1, dtype=np.int64)
    found = np.zeros(m, dtype=np.int64)
    for w in range(words):
        x = mask[:, w].copy()
        for _ in range(count):
            low = x & (~x + np.uint64(1))  # the lowest set bit alone
            has = (low != 0) & (found < count)
            index = np.bitwise_count(low - np.uint64(1)).astype(np.int64) + 64 * w
            rows = np.flatnonzero(has)
            out[rows, found[rows]] = index[rows]
            found += has
            x &= ~low
    return out


class Explainer:
    """Reasons for pairs of rows of ``Columns``, with ages on one day."""

    def __init__(self, columns: Columns, day: date, language: str = "zh") -> None:
        if language not in TEXTS:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        self.columns = columns
        self.age = columns.age_on(day)
        self.language = language
        q = min(len(columns.question_keys), MAX_QUESTIONS_SEEN)
        self._questions = columns.question_keys[:q]
        self._answers = columns.answers[:, :q]
        self._important = columns.importance[:, :q] >= IMPORTANT
        self._combined: dict[int, Explained] = {}
        self._parts: dict[tuple[str, object], tuple[str, Reason]] = {}

    def explain_rows(self, a: np.ndarray, b: np.ndarray) -> list[Explained]:
        """(texts, reasons) for each pair of rows (a[i], b[i]), from a's point of view."""
        c = self.columns
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        tags = _lowest_bits(c.tags[a] & c.tags[b], MAX_TAGS_NAMED)
        city = np.where(c.city[a] == c.city[b], c.city[a], -1)
        similar_age = np.abs(self.age[a].astype(np.int32) - self.age[b]) <= SIMILAR_AGE_YEARS
        same_edu = (c.education[a] > 0) & (c.education[a] == c.education[b])
        edu = np.where(same_edu, c.education[a], -1)
        values = self._values(a, b)
        # Only the first MAX_REASONS reasons in order of preference are kept: clear the
        # others, so that pairs with the same reasons share one key.
        shown = np.zeros(len(a), dtype=np.int64)
        for present, clear in (
            (tags[:, 0] >= 0, None),
            (values > 0, "values"),
            (city >= 0, "city"),
            (similar_age, "age"),
            (edu >= 0, "edu"),
        ):
            full = shown >= MAX_REASONS
            if clear == "values":
                values = np.where(full, 0, values)
            elif clear == "city":
                city = np.where(full, -1, city)
            elif clear == "age":
                similar_age = similar_age & ~full
            elif clear == "edu":
                edu = np.where(full, -1, edu)
            shown += present & ~full
        fields = [
            (tags[:, 0], len(c.tag_names)),
            (tags[:, 1], len(c.tag_names)),
            (city, len(c.city_names)),
            (values, 1 << len(self._questions)),
            (similar_age, 1),
            (edu, 5),
        ]
        # One int key per pair (mixed radix; each field shifted to be >= 0).
        key = np.zeros(len(a), dtype=np.int64)
        sizes = []
        for values, top in fields:
            key = key * (top + 2) + (np.asarray(values, dtype=np.int64) + 1)
            sizes.append(top + 2)
        unique, inverse = np.unique(key, return_inverse=True)
        built = [self._build(k, sizes) for k in unique.tolist()]
        return [built[i] for i in inverse.ravel().tolist()]

    def _values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Bit mask of the questions the two agree on, or 0 when the values reason does
        not hold."""
        if not self._questions:
            return np.zeros(len(a), dtype=np.int64)
        ans_a, ans_b = self._answers[a], self._answers[b]
        both = self._important[a] & self._important[b] & (ans_a > 0) & (ans_b > 0)
        gap = np.abs(ans_a.astype(np.int16) - ans_b)
        agree = both & (gap <= 1)
        holds = (agree.sum(axis=1) >= 2) & ~(both & (gap >= 2)).any(axis=1)
        named = agree & (np.cumsum(agree, axis=1) <= MAX_VALUE_QUESTIONS)
        bits = (named.astype(np.int64) << np.arange(named.shape[1], dtype=np.int64)).sum(axis=1)
        return np.where(holds, bits, 0)

    def _build(self, key: int, sizes: list[int]) -> Explained:
        found = self._combined.get(key)
        if found is not None:
            return found
        fields, rest = [], key
        for size in reversed(sizes):
            rest, value = divmod(rest, size)
            fields.append(value - 1)
        edu, similar_age, values, city, tag2, tag1 = fields
        parts = []
        tags = tuple(t for t in (tag1, tag2) if t >= 0)
        if tags:
            parts.append(self._part("shared_tags", tags))
        if values > 0:
            parts.append(self._part("values", values))
        if city >= 0:
            parts.append(self._part("same_city", city))
        if similar_age > 0:
            parts.append(self._part("similar_age", None))
        if edu >= 0:
            parts.append(self._part("same_education", edu))
        chosen = parts[:MAX_REASONS] or [self._part("mutual_fit", None)]
        found = (tuple(text for text, _ in chosen), tuple(reason for _, reason in chosen))
        self._combined[key] = found
        return found

    def _part(self, code: str, value: object) -> tuple[str, Reason]:
        """One reason and its text, built once per (code, value)."""
        found = self._parts.get((code, value))
        if found is None:
            reason = self._reason(code, value)
            found = self._parts[(code, value)] = (render(reason, self.language), reason)
        return found

    def _reason(self, code: str, value: object) -> Reason:
        c = self.columns
        if code == "shared_tags":
            return Reason(code, (("tags", tuple(c.tag_names[t] for t in value)),))  # type: ignore[attr-defined]
        if code == "values":
            keys = tuple(q for j, q in enumerate(self._questions) if value >> j & 1)  # type: ignore[operator]
            return Reason(code, (("questions", keys[:MAX_VALUE_QUESTIONS]),))
        if code == "same_city":
            return Reason(code, (("city", c.city_names[value]),))  # type: ignore[index]
        if code == "same_education":
            return Reason(code, (("level", value),))
        return Reason(code)
