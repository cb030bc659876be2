"""Candidate lists: what ``Matcher.candidates`` hands to ``Matcher.assign``.

Compact arrays, one entry per (viewer, candidate) pair, grouped by viewer and best
score first. A ``CandidateLists`` is also a read-only mapping ``viewer_id ->
list[Suggestion]`` (explained on demand), so it can be serialised per viewer for a
Celery chord; keeping the arrays (``concat`` of the shards' lists) is cheaper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from matching.reasons import Explained
from matching.types import Suggestion

ExplainIds = Callable[[np.ndarray, np.ndarray], list[Explained]]  # (viewer ids, candidate ids)


class CandidateLists(Mapping[int, list[Suggestion]]):
    """Each viewer's candidates, best first (every viewer asked for, even with none)."""

    def __init__(
        self,
        viewers: np.ndarray,
        pair_viewers: np.ndarray,
        candidates: np.ndarray,
        scores: np.ndarray,
        explain: ExplainIds | None = None,
        presorted: bool = False,
    ) -> None:
        """``presorted``: each viewer's pairs are together and best first already."""
        if presorted:
            order = np.argsort(pair_viewers, kind="stable")
        else:
            order = np.lexsort((-np.asarray(scores), pair_viewers))
        self.viewers = np.unique(np.asarray(viewers, dtype=np.int64))
        self.pair_viewers = np.asarray(pair_viewers, dtype=np.int64)[order]
        self.candidates = np.asarray(candidates, dtype=np.int64)[order]
        self.scores = np.asarray(scores, dtype=np.float32)[order]
        self.explain = explain

    @classmethod
    def concat(cls, parts: Sequence[CandidateLists]) -> CandidateLists:
        """One set of lists from several (e.g. one per shard of viewers)."""
        if not parts:
            return cls(*(np.empty(0, dtype=np.int64) for _ in range(4)))
        return cls(
            np.concatenate([p.viewers for p in parts]),
            np.concatenate([p.pair_viewers for p in parts]),
            np.concatenate([p.candidates for p in parts]),
            np.concatenate([p.scores for p in parts]),
            explain=next((p.explain for p in parts if p.explain is not None), None),
            presorted=True,
        )

    def __len__(self) -> int:
        return len(self.viewers)

    def __iter__(self) -> Iterator[int]:
        return iter(self.viewers.tolist())

    def __contains__(self, viewer: object) -> bool:
        if not isinstance(viewer, int | np.integer):
            return False
        at = np.searchsorted(self.viewers, viewer)
        return bool(at < len(self.viewers) and self.viewers[at] == viewer)

    def __getitem__(self, viewer: int) -> list[Suggestion]:
        if viewer not in self:
            raise KeyError(viewer)
        lo, hi = np.searchsorted(self.pair_viewers, [viewer, viewer + 1])
        return suggestions(
            self.pair_viewers[lo:hi], self.candidates[lo:hi], self.scores[lo:hi], self.explain
        )

    @property
    def pairs(self) -> int:
        return len(self.candidates)


def suggestions(
    viewers: np.ndarray, candidates: np.ndarray, scores: np.ndarray, explain: ExplainIds | None
) -> list[Suggestion]:
    """Suggestion objects for pairs, with reasons when an explainer is given."""
    scores = np.clip(scores, 0.0, 1.0).tolist()
    ids = candidates.tolist()
    if explain is None or not len(viewers):
        return [Suggestion(c, s) for c, s in zip(ids, scores, strict=True)]
    why = explain(viewers, candidates)
    return [Suggestion(c, s, *explained) for c, s, explained in zip(ids, scores, why, strict=True)]


def from_mapping(
    lists: Mapping[int, Sequence[Suggestion]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Suggestion]]:
    """(viewers, candidate ids, scores, Suggestion objects) per pair of plain lists."""
    v: list[int] = []
    c: list[int] = []
    s: list[float] = []
    objects: list[Suggestion] = []
    for viewer, items in lists.items():
        for item in items:
            v.append(int(viewer))
            c.append(int(item.candidate_id))
            s.append(float(item.score))
            objects.append(item)
    return (
        np.asarray(v, dtype=np.int64),
        np.asarray(c, dtype=np.int64),
        np.asarray(s, dtype=np.float64),
        objects,
    )
