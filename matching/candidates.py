"""Candidate generation: blocking, query groups, pooled scoring, top L per viewer.

Blocking, not filtering afterwards. Members are split into blocks by (gender, city),
each sorted by age, so the members of one gender and city within an age range are a
contiguous slice found by binary search. Viewers are grouped into query groups sharing
wanted gender, accepted cities, own gender, own city and an age band
(``age_band_years``), and each group, ordered by its members' wanted age ranges, is cut
into runs of ``sample_viewers``. A run draws one candidate pool: the union of its
members' age slices over the blocks of the gender they want and the cities they
accept, minus the members who cannot accept anyone in the run (wrong wanted gender, not
the group's city, an age range or degree or height requirement no member of the run
meets). A pool larger than ``pool_size`` is replaced by a random sample of that size,
drawn per city in proportion to the city's share and seeded by the day, the group and
the run: samples change from one day to the next, do not depend on how viewers are
sharded, and the runs of a large group look at different parts of the pool (one sample
for a group of hundreds sent them all to the same few candidates, who then hit the
exposure cap).

For a chunk of a run's viewers against its pool, the remaining hard requirements
are checked both ways as masks over the chunk × pool matrix (exact age ranges,
education minimums, height ranges; see ``matching.eligibility``), as are the
exclusions (``matching.exclusions``); the pair features and the score come from a few
matrix products and element-wise passes (``matching.scoring``), and each viewer keeps
its ``list_size`` best eligible candidates. A viewer with none in a sampled pool is
tried against the whole pool, so sampling never leaves a member without candidates.
Chunks hold about ``cells`` pairs, which bounds memory whatever the population.

Scaling out: ``find`` is independent per viewer (pools and samples depend on the group,
its members and the day, not on which of them are asked for), so a nightly run can
split the viewers into shards, run ``Matcher.candidates(day, shard)`` on several
workers (a Celery chord) and give the concatenated lists to one ``Matcher.assign``,
the only global step (the per-day exposure cap); it is cheap, a few vectorised rounds
over the pairs. Within one process, groups are scored on ``workers`` threads (NumPy
releases the GIL in its array loops).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
from threadpoolctl import threadpool_limits

from matching.columns import Columns
from matching.eligibility import Requirements
from matching.exclusions import Exclusions
from matching.scoring import Block, PairFeatures, ScoringData

# A learned score of an outer block's pairs, for the columns idx[i] of each row i.
Scorer = Callable[[PairFeatures, np.ndarray], np.ndarray]
RERANK_FACTOR = 2  # shortlist per viewer for the learned score: this many times list_size
SAMPLE_STEP = 4  # top_per_row: one column in this many sets the threshold
SAMPLE_MARGIN = 6
Found = tuple[np.ndarray, np.ndarray, np.ndarray]  # viewer rows, candidate rows, scores


@dataclass(frozen=True)
class PoolSettings:
    pool_size: int = 3000  # M: candidates scored per viewer at most (sampled above)
    sample_viewers: int = 64  # viewers of a query group sharing one pool (or sample)
    list_size: int = 40  # L: candidates kept per viewer
    age_band_years: int = 2
    cells: int = 1 << 18  # pairs scored at a time
    workers: int = 2
    seed: int = 0


def _chunks(rows: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def top_per_row(score: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of the ``keep`` largest non-negative entries of each row, best
    first, padded with value -1 (negative entries mark ineligible pairs).

    A full partition of every row costs more than scoring it, so for wide rows a
    threshold is read off a sorted sample of every ``SAMPLE_STEP``-th column (a little
    below the expected ``keep``-th largest) and only entries above it are sorted; rows
    where the threshold turns out too high fall back to an exact partition.
    """
    r, p = score.shape
    idx = np.zeros((r, keep), dtype=np.int64)
    top = np.full((r, keep), -1, dtype=np.float32)
    exact = np.ones(r, dtype=bool)
    if p >= 8 * keep:
        sample = np.sort(score[:, ::SAMPLE_STEP], axis=1)
        rank = min(keep // SAMPLE_STEP + SAMPLE_MARGIN, sample.shape[1])
        threshold = np.maximum(sample[:, -rank], np.float32(-0.5))
        above = score >= threshold[:, None]
        exact = (above.sum(axis=1) < keep) & (threshold > -0.5)
        above[exact] = False
        rows, cols = np.nonzero(above)
        _place(idx, top, rows, cols, score[rows, cols], keep)
    if exact.any():
        rows_x = np.flatnonzero(exact)
        part = score[rows_x]
        if keep < p:
            best = np.argpartition(-part, keep - 1, axis=1)[:, :keep]
        else:
            best = np.broadcast_to(np.arange(p), part.shape)
        rows = np.repeat(rows_x, best.shape[1])
        cols = best.ravel()
        _place(idx, top, rows, cols, score[rows, cols], keep)
    return idx, top


def _place(
    idx: np.ndarray,
    top: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    keep: int,
) -> None:
    """Write each row's best ``keep`` of (cols, values) into idx/top, best first;
    negative values are left out."""
    ok = values >= 0
    rows, cols, values = rows[ok], cols[ok], values[ok]
    order = np.lexsort((-values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    kept = rank < keep
    idx[rows[kept], rank[kept]] = cols[kept]
    top[rows[kept], rank[kept]] = values[kept]


class _Strata:
    """A pool split by city, to draw samples of ``size`` with each city in proportion to
    its share of the pool."""

    def __init__(self, pool: np.ndarray, city: np.ndarray, size: int) -> None:
        order = np.argsort(city, kind="stable")
        self.pool = pool[order]
        _, self.starts, self.counts = np.unique(city[order], return_index=True, return_counts=True)
        exact = size * self.counts / len(pool)
        self.quota = np.floor(exact).astype(np.int64)
        extra = np.argsort(self.quota - exact, kind="stable")[: size - int(self.quota.sum())]
        self.quota[extra] += 1

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        """Sorted rows of one sample."""
        picks = [
            start + rng.choice(count, quota, replace=False)
            for start, count, quota in zip(self.starts, self.counts, self.quota, strict=True)
        ]
        return np.sort(self.pool[np.concatenate(picks)])


class CandidateFinder:
    """Everything one day's candidate search needs, built once per day."""

    def __init__(
        self,
        columns: Columns,
        req: Requirements,
        data: ScoringData,
        exclusions: Exclusions,
        rerank: Scorer | None,
        settings: PoolSettings,
        day: date,
    ) -> None:
        """``rerank``: a learned score that re-orders each viewer's shortlist by the
        hand-set score (None: the hand-set score decides)."""
        self.columns, self.req, self.data = columns, req, data
        self.exclusions, self.rerank, self.settings = exclusions, rerank, settings
        self.day = day.toordinal()
        self.cities = len(columns.city_names)
        self._blocks()
        self._groups()

    # -- structure -------------------------------------------------------------------------

    def _blocks(self) -> None:
        key = self.req.gender.astype(np.int64) * self.cities + self.req.city
        self.block_order = np.lexsort((self.req.age, key))
        self.sorted_age = self.req.age[self.block_order]
        self.block_start = np.searchsorted(key[self.block_order], np.arange(2 * self.cities + 1))

    def block_slice(self, gender: int, city: int, low: int, high: int) -> np.ndarray:
        """Rows of the members of ``gender`` in ``city`` aged ``low`` .. ``high``."""
        block = gender * self.cities + city
        start, end = self.block_start[block], self.block_start[block + 1]
        ages = self.sorted_age[start:end]
        i, j = np.searchsorted(ages, low, "left"), np.searchsorted(ages, high, "right")
        return self.block_order[start + i : start + j]

    def _groups(self) -> None:
        c, req = self.columns, self.req
        prefs = np.column_stack([c.any_city.astype(np.uint64), c.city_mask])
        _, pref_id = np.unique(prefs, axis=0, return_inverse=True)
        band = req.age.astype(np.int64) // self.settings.age_band_years
        key = c.wanted.astype(np.int64)
        for values, size in (
            (pref_id.ravel(), int(pref_id.max(initial=0)) + 1),
            (c.gender, 2),
            (c.city, self.cities),
            (band, int(band.max(initial=0)) + 1),
        ):
            key = key * size + values
        self.group_keys, group_of = np.unique(key, return_inverse=True)
        self.group_of = group_of.ravel()
        self.group_order = np.argsort(self.group_of, kind="stable")
        self.group_start = np.searchsorted(
            self.group_of[self.group_order], np.arange(len(self.group_keys) + 1)
        )

    # -- search --------------------------------------------------------------------------

    def find(self, viewer_rows: np.ndarray) -> Found:
        """Each viewer's best eligible candidates (rows), flattened."""
        requested = np.zeros(len(self.columns), dtype=bool)
        requested[viewer_rows] = True
        groups = np.unique(self.group_of[viewer_rows]).tolist()

        def run(g: int) -> Found:
            return self._group(g, requested)

        # The products are small (a chunk against a pool, 48 or 40 wide): OpenBLAS's own
        # threads only slow them down, so parallelism is by query group instead.
        with threadpool_limits(1):
            if self.settings.workers > 1 and len(groups) > 1:
                with ThreadPoolExecutor(self.settings.workers) as pool:
                    parts = list(pool.map(run, groups))
            else:
                parts = [run(g) for g in groups]
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.float32)
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]

    def _group(self, g: int, requested: np.ndarray) -> Found:
        members = self.group_order[self.group_start[g] : self.group_start[g + 1]]
        req = self.req
        # Runs of members with similar age ranges share a pool (and a sample of it, when
        # large): tighter pools, and the group's viewers look at different parts of a
        # large pool, so no few candidates soak up all of the group's attention.
        members = members[np.lexsort((members, req.age_max[members], req.age_min[members]))]
        found: list[Found] = []
        step = self.settings.sample_viewers
        for i, start in enumerate(range(0, len(members), step)):
            run = members[start : start + step]
            todo = run[requested[run]]
            if not len(todo):
                continue
            pool = self._pool(run)
            if len(pool) <= self.settings.pool_size:
                found += self._score(todo, pool, None)
                continue
            rng = np.random.default_rng([self.settings.seed, self.day, int(self.group_keys[g]), i])
            sample = _Strata(pool, req.city[pool], self.settings.pool_size).sample(rng)
            found += self._score(todo, sample, pool)
        if not found:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.float32)
        return tuple(np.concatenate([f[i] for f in found]) for i in range(3))  # type: ignore[return-value]

    def _score(self, todo: np.ndarray, pool: np.ndarray, full: np.ndarray | None) -> list[Found]:
        """Top candidates of viewers ``todo`` in ``pool`` (a sample of ``full``, if given:
        a viewer with no candidate in the sample is tried against all of it)."""
        found: list[Found] = []
        if not len(pool):
            return found
        for chunk in _chunks(todo, max(1, self.settings.cells // len(pool))):
            cand, score = self._top(chunk, pool)
            if full is not None and (score[:, 0] < 0).any():
                redo = np.flatnonzero(score[:, 0] < 0)
                cand_r, score_r = self._top_blocks(chunk[redo], full)
                cand[redo], score[redo] = cand_r, score_r
            keep = score >= 0
            rows = np.broadcast_to(chunk[:, None], cand.shape)
            found.append((rows[keep], cand[keep], score[keep]))
        return found

    def _pool(self, members: np.ndarray) -> np.ndarray:
        """The group's pool: sorted rows of everyone who could suit someone in it."""
        c, req = self.columns, self.req
        first = members[0]
        if c.any_city[first]:
            cities = range(self.cities)
        else:
            cities = [
                j for j in range(self.cities) if int(c.city_mask[first, j >> 6]) >> (j & 63) & 1
            ]
        low, high = int(req.age_min[members].min()), int(req.age_max[members].max())
        wanted, gender, city = int(c.wanted[first]), int(c.gender[first]), int(c.city[first])
        pool = np.concatenate(
            [self.block_slice(wanted, j, low, high) for j in cities] or [np.empty(0, np.int64)]
        )
        return np.sort(pool[self._could_match(pool, members, gender, city)])

    def _could_match(
        self, pool: np.ndarray, members: np.ndarray, gender: int, city: int
    ) -> np.ndarray:
        """Pool members whom at least the most accommodating group member could suit, and
        who could suit at least the most lenient one (group-level checks only)."""
        req = self.req
        ages = req.age[members]
        ok = req.wanted[pool] == gender
        ok &= req.accepting(city)[pool]
        ok &= (req.age_min[pool] <= ages.max()) & (req.age_max[pool] >= ages.min())
        ok &= req.min_education[pool] <= req.education[members].max()
        ok &= req.height_min[pool] <= req.height[members].max()
        ok &= req.height_max[pool] >= req.height_for_max[members].min()
        ok &= req.education[pool] >= req.min_education[members].min()
        ok &= req.height[pool] >= req.height_min[members].min()
        ok &= req.height_for_max[pool] <= req.height_max[members].max()
        return ok

    def _top(self, viewers: np.ndarray, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(candidate rows, scores), both (viewers, L), best first; score -1 where the
        viewer has fewer than L eligible candidates in ``pool`` (sorted rows)."""
        mask = self.req.mutual(viewers[:, None], pool[None, :], gender_and_city=False)
        which, excluded = self.exclusions.of_viewers(viewers)
        if len(which):
            pos = np.minimum(np.searchsorted(pool, excluded), len(pool) - 1)
            hit = pool[pos] == excluded
            mask[which[hit], pos[hit]] = False
        features = PairFeatures.of(Block(self.data, viewers, pool, outer=True))
        score = np.where(mask, features.hand, np.float32(-1))
        keep = min(self.settings.list_size, len(pool))
        if self.rerank is None:
            idx, top = top_per_row(score, keep)
            return pool[idx], top
        # Two stages: the hand-set score shortlists, the learned score orders the
        # shortlist (it is a feature of the model, which rarely lifts a pair from far
        # below; this costs a fraction of scoring every pair with the model).
        idx, top = top_per_row(score, min(RERANK_FACTOR * keep, len(pool)))
        learned = np.where(top >= 0, self.rerank(features, idx), np.float32(-1))
        best, top = top_per_row(learned, keep)
        return pool[np.take_along_axis(idx, best, axis=1)], top

    def _top_blocks(self, viewers: np.ndarray, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_top`` against a large pool, scored ``pool_size`` columns at a time."""
        cand = np.empty((len(viewers), 0), dtype=np.int64)
        score = np.empty((len(viewers), 0), dtype=np.float32)
        step = self.settings.pool_size
        for part in _chunks(pool, step):
            c, s = self._top(viewers, part)
            cand, score = np.hstack([cand, c]), np.hstack([score, s])
            if score.shape[1] > self.settings.list_size:
                best = np.argsort(-score, axis=1, kind="stable")[:, : self.settings.list_size]
                cand = np.take_along_axis(cand, best, axis=1)
                score = np.take_along_axis(score, best, axis=1)
        return cand, score
