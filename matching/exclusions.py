"""Pairs never to suggest, as sorted int64 keys ``viewer_row * 2**32 + candidate_row``.

From the history: a candidate shown to the viewer in the last ``window_days`` days
(directed), one the viewer already liked or passed on (directed, for good: a member who
said no is not asked again, and a like is already on its way), one who passed on the
viewer (a match is no longer possible), and blocks and existing matches (both
directions, for good). Because the keys sort by viewer first, one
viewer's exclusions are one contiguous slice, found with two binary searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.columns import Columns
from matching.types import DatedPairs, History

SHIFT = np.int64(32)
LOW = np.int64(2**32 - 1)


def keys(viewer_rows: np.ndarray, candidate_rows: np.ndarray) -> np.ndarray:
    return (np.asarray(viewer_rows, dtype=np.int64) << SHIFT) | np.asarray(
        candidate_rows, dtype=np.int64
    )


def id_rows(
    items: Sequence[tuple], columns: Columns, dated: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the first two fields of each item and (if ``dated``) the ordinal of the
    third; pairs with a member not among the columns are dropped."""
    if isinstance(items, DatedPairs):
        a, b = columns.rows(items.from_ids), columns.rows(items.to_ids)
        days = items.days if dated else np.zeros(len(items), dtype=np.int32)
        known = (a >= 0) & (b >= 0)
        return a[known], b[known], days[known]
    n = len(items)
    if not n:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.int32)
    fields = list(zip(*items, strict=False))  # transposed in C: one tuple per field
    a = columns.rows(np.fromiter(fields[0], dtype=np.int64, count=n))
    b = columns.rows(np.fromiter(fields[1], dtype=np.int64, count=n))
    days = np.zeros(n, dtype=np.int32)
    if dated:
        days = np.fromiter(map(date.toordinal, fields[2]), dtype=np.int32, count=n)
    known = (a >= 0) & (b >= 0)
    return a[known], b[known], days[known]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of int64 keys by one sort (NumPy 2's hash-based unique is several
    times slower on millions of keys)."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.r_[True, values[1:] != values[:-1]]]


@dataclass(eq=False)
class HistoryRows:
    """The history over rows of ``Columns``, converted once at fit."""

    shown_keys: np.ndarray  # int64, (viewer, candidate) as shown
    shown_days: np.ndarray  # int32 ordinal
    reacted_keys: np.ndarray  # sorted unique: (from, to) of likes and passes
    apart_keys: np.ndarray  # sorted unique: blocks and matches, both directions

    @classmethod
    def build(cls, columns: Columns, history: History) -> HistoryRows:
        sv, sc, shown_days = id_rows(history.shown, columns, dated=True)
        reacted, apart = [], []
        for items in (history.likes, history.passes):
            a, b, _ = id_rows(items, columns)
            reacted.append(keys(a, b))
        # Someone who passed on the viewer will not like them back: no use showing them.
        passed_by, passed_on, _ = id_rows(history.passes, columns)
        reacted.append(keys(passed_on, passed_by))
        for items in (history.blocks, history.matches):
            a, b, _ = id_rows(items, columns)
            apart += [keys(a, b), keys(b, a)]
        return cls(
            shown_keys=keys(sv, sc),
            shown_days=shown_days,
            reacted_keys=sorted_unique(np.concatenate(reacted)),
            apart_keys=sorted_unique(np.concatenate(apart)),
        )

    def for_day(self, day: date, window_days: int) -> Exclusions:
        """What is excluded on ``day``: shown on one of the ``window_days`` days before
        it, reacted to, blocked or matched."""
        today = day.toordinal()
        recent = (self.shown_days < today) & (self.shown_days >= today - window_days)
        parts = (self.shown_keys[recent], self.reacted_keys, self.apart_keys)
        return Exclusions(sorted_unique(np.concatenate(parts)))

    def apart(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether rows a and b are kept apart for good (a block or a match)."""
        return Exclusions(self.apart_keys).contains(a, b)


@dataclass(eq=False)
class Exclusions:
    keys: np.ndarray  # sorted unique int64

    def __len__(self) -> int:
        return len(self.keys)

    def of_viewers(self, viewer_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ``viewer_rows``, excluded candidate row) for the given viewers."""
        v = np.asarray(viewer_rows, dtype=np.int64)
        lo = np.searchsorted(self.keys, v << SHIFT)
        hi = np.searchsorted(self.keys, (v + 1) << SHIFT)
        counts = hi - lo
        total = int(counts.sum())
        if not total:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        which = np.repeat(np.arange(len(v)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return which, self.keys[np.repeat(lo, counts) + offsets] & LOW

    def contains(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        k = keys(a, b)
        if not len(self.keys):
            return np.zeros(k.shape, dtype=bool)
        pos = np.minimum(np.searchsorted(self.keys, k), len(self.keys) - 1)
        return self.keys[pos] == k
