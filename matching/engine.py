"""The matcher (每日速配 engine): profiles and history in, each member's suggestions out.

    matcher = Matcher(MatcherConfig())
    matcher.fit(profiles, history)
    lists = matcher.suggest(day, k)          # {member_id: [Suggestion, ...]}

``suggest`` is ``assign(candidates(day, every member), k)``:

1. ``fit`` turns the profiles into columns (``matching.columns``; a bad profile is
   logged and skipped), embeds them (``matching.features``), converts the history to
   row pairs (``matching.exclusions``) and, given enough likes and passes, trains and
   checks the learned score (``matching.learning``).
2. ``candidates(day, viewer_ids)`` is the expensive, embarrassingly parallel part:
   blocked candidate search, hard requirements both ways, exclusions, reciprocal score,
   each viewer's ``list_size`` best (``matching.candidates``). It returns compact
   ``CandidateLists`` (``matching.lists``).
3. ``assign(lists, k)`` is the cheap global part: ``k`` per viewer under the per-day
   exposure cap, then the coverage pass (``matching.exposure``), and the reasons
   (``matching.reasons``).

Scaling out (the nightly batch): every worker fits a matcher on the same snapshot and
runs ``candidates(day, shard)`` for its shard of viewers (viewer id modulo the number
of shards); one ``assign`` over the concatenated lists (``CandidateLists.concat``, or a
plain ``{viewer: [Suggestion]}`` mapping) applies the global cap. A viewer's candidates
do not depend on the sharding, so the result equals a single-process run. Nothing here
imports Flask: plain data in, plain data out.

Measured with ``python -m benchmarks.matching --users N --day 2025-06-15`` (synthetic
population, seed 0, K=10; this 2-core Intel Xeon machine, 23.6 GB). Day 1 has no
history; day 2 has day 1 shown, with simulated feedback (one day of feedback: the
hand-set score); day 3 has both days and uses the learned score (trained on day 1's
feedback, chosen on day 2's)::

                          100,000 members             1,000,000 members
    day 1 fit + suggest   17.9 s, 1.0 GB peak RSS     253 s, 7.1 GB
    day 2                 18.7 s, 1.2 GB              397 s, 9.4 GB
    day 3 (learned)       23.4 s, 1.6 GB              313 s, 12.8 GB
    precision@10, day 1   0.404 (random 0.083,        0.431 (random 0.082,
                          kNN cosine 0.104)           kNN cosine 0.127, sampled)
    violations, repeats   0, 0                        0, 0
    exposure Gini         0.295                       0.300
    coverage              100 %                       100 % (estimated)

Other work shared the machine (load average 1.5-3.5): an earlier 100,000 run with
heavier load took 30.1 s on day 3. Peak RSS includes the population and the history
the benchmark holds. The JSON (``--save``) has each day's CPU time and the machine's
load average before and after.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import ParamSpec, TypeVar

import numpy as np

from matching.candidates import CandidateFinder, PoolSettings
from matching.columns import Columns, build_columns
from matching.eligibility import Requirements
from matching.exclusions import HistoryRows, id_rows
from matching.exposure import assign_capped, default_cap
from matching.features import DEFAULT_BIO_TOKENS, DEFAULT_DIMS, DEFAULT_FIT_SAMPLE, ProfileEmbedder
from matching.learning import LearningReport, LikeModel, labelled_pairs, learn
from matching.lists import CandidateLists, ExplainIds, from_mapping, suggestions
from matching.reasons import LANGUAGES, Explained, Explainer
from matching.scoring import Block, PairFeatures, ScoringData
from matching.types import History, Profile, Reason, Suggestion

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatcherConfig:
    language: str = "zh"  # of Suggestion.reasons and explain(): "zh" or "en"
    repeat_window_days: int = 30  # a candidate shown to a viewer is not suggested again
    pool_size: int = 3000  # candidates scored per viewer at most (a sample of larger pools)
    sample_viewers: int = 64  # viewers of a query group sharing one pool or sample
    list_size: int = 40  # candidates kept per viewer for the assignment
    exposure_cap: int | None = None  # lists a member appears in per day; None: default_cap(k)
    age_band_years: int = 2  # width of the age bands of the query groups
    embedding_dims: int = DEFAULT_DIMS
    bio_tokens: str = DEFAULT_BIO_TOKENS  # "char" (n-grams) or "jieba" (words)
    fit_sample: int = DEFAULT_FIT_SAMPLE  # members the feature pipeline is fitted on
    min_feedback: int = 500  # likes + passes before a learned score is tried
    holdout_share: float = 0.2  # latest share of the feedback held out to compare
    workers: int = 2  # threads scoring query groups
    seed: int = 0

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}")
        if self.list_size < 1 or self.pool_size < self.list_size:
            raise ValueError("need 1 <= list_size <= pool_size")


class NotFitted(RuntimeError):
    pass


class _CollectorPause:
    """Pause Python's cyclic garbage collector while the batch runs.

    The batch allocates millions of small acyclic objects (profile columns, history
    tuples, a million Suggestion tuples) next to millions that are alive already, and
    every collection walks all of them. Reference counting frees everything the batch
    drops, so pausing the collector loses nothing; at 100,000 members it saves about
    2 s of the assignment and 1.5 s of the embedding. Nested and concurrent uses are
    counted; the collector resumes, if it was on, when the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()
P = ParamSpec("P")
R = TypeVar("R")


def _paused(method: Callable[P, R]) -> Callable[P, R]:
    """A matcher method run with the collector paused."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _collector_paused():
            return method(*args, **kwargs)

    return wrapper


@dataclass(eq=False)
class _Day:
    """What the matcher derives for one day."""

    day: date
    req: Requirements
    data: ScoringData
    explainer: Explainer


class Matcher:
    """Reciprocal, fair daily suggestions; see the module docstring."""

    def __init__(self, config: MatcherConfig | None = None) -> None:
        self.config = config or MatcherConfig()
        self.columns: Columns | None = None
        self.skipped: list[tuple[object, str]] = []  # (id, why) of the profiles skipped
        self.learning_report: LearningReport | None = None
        self.embedding = np.zeros((0, 1), dtype=np.float32)  # unit rows, one per member
        self.history: HistoryRows | None = None
        self._model: LikeModel | None = None
        self._day: _Day | None = None

    # -- fitting ---------------------------------------------------------------------------

    @_paused
    def fit(self, profiles: Iterable[Profile], history: History | None = None) -> Matcher:
        """Learn everything that does not depend on the day. Returns the matcher."""
        history = history or History()
        cfg = self.config
        self.columns, self.skipped = build_columns(profiles)
        embedder = ProfileEmbedder(cfg.embedding_dims, cfg.bio_tokens, cfg.fit_sample, cfg.seed)
        if len(self.columns):
            self.embedding = embedder.fit_embed(self.columns)
        self.history = HistoryRows.build(self.columns, history)
        self._day = None
        self._model, self.learning_report = self._learn(history)
        return self

    def _learn(self, history: History) -> tuple[LikeModel | None, LearningReport]:
        columns = self._fitted
        likes = id_rows(history.likes, columns, dated=True)
        passes = id_rows(history.passes, columns, dated=True)
        pairs = labelled_pairs(likes, passes)
        days = pairs[2]
        day = date.fromordinal(int(days.max()) + 1) if len(days) else date.today()

        def data() -> ScoringData:
            return ScoringData.build(columns, self.embedding, day)

        cfg = self.config
        return learn(data, pairs, cfg.min_feedback, cfg.holdout_share, cfg.seed)

    @property
    def _fitted(self) -> Columns:
        if self.columns is None:
            raise NotFitted("call fit() first")
        return self.columns

    @property
    def _history(self) -> HistoryRows:
        if self.history is None:
            raise NotFitted("call fit() first")
        return self.history

    def _on(self, day: date) -> _Day:
        columns = self._fitted
        if self._day is None or self._day.day != day:
            self._day = _Day(
                day=day,
                req=Requirements.on(columns, day),
                data=ScoringData.build(columns, self.embedding, day),
                explainer=Explainer(columns, day, self.config.language),
            )
        return self._day

    def _score(self, pf: PairFeatures) -> np.ndarray:
        return pf.hand if self._model is None else self._model.score(pf)

    # -- the daily batch -----------------------------------------------------------------

    @_paused
    def suggest(self, day: date, k: int) -> dict[int, list[Suggestion]]:
        """Up to ``k`` suggestions for every fitted member (an empty list when nobody is
        eligible), best first."""
        lists = self.candidates(day, list_size=max(self.config.list_size, 2 * k))
        return self.assign(lists, k)

    @_paused
    def candidates(
        self, day: date, viewer_ids: Iterable[int] | None = None, list_size: int | None = None
    ) -> CandidateLists:
        """The best eligible candidates of each viewer (every fitted member by default);
        unknown ids get empty lists."""
        state = self._on(day)
        columns = self._fitted
        ids = columns.ids if viewer_ids is None else np.fromiter(viewer_ids, dtype=np.int64)
        rows = columns.rows(ids)
        cfg = self.config
        settings = PoolSettings(
            pool_size=max(cfg.pool_size, list_size or 0),
            list_size=list_size or cfg.list_size,
            sample_viewers=cfg.sample_viewers,
            age_band_years=cfg.age_band_years,
            workers=cfg.workers,
            seed=cfg.seed,
        )
        exclusions = self._history.for_day(day, cfg.repeat_window_days)
        if self._model is not None:
            self._model.prepare(state.data)
        rerank = None if self._model is None else self._model.score
        finder = CandidateFinder(columns, state.req, state.data, exclusions, rerank, settings, day)
        v, c, s = finder.find(rows[rows >= 0])
        explain = self._explain_ids(state)
        return CandidateLists(ids, columns.ids[v], columns.ids[c], s, explain, presorted=True)

    def _explain_ids(self, state: _Day) -> ExplainIds:
        columns = self._fitted

        def explain(viewers: np.ndarray, candidates: np.ndarray) -> list[Explained]:
            return state.explainer.explain_rows(columns.rows(viewers), columns.rows(candidates))

        return explain

    @_paused
    def assign(
        self,
        lists: CandidateLists | Mapping[int, Sequence[Suggestion]],
        k: int,
        shown_today: Mapping[int, int] | None = None,
    ) -> dict[int, list[Suggestion]]:
        """``k`` suggestions per viewer under the exposure cap, every viewer with a
        candidate getting at least one. Plain lists keep their Suggestion objects.
        ``shown_today``: member id -> lists the member is in already today (from an
        earlier run of the same day); they count towards the cap."""
        cap = self.config.exposure_cap or default_cap(k)
        if isinstance(lists, CandidateLists):
            everyone = lists.viewers.tolist()
            v, c, s = lists.pair_viewers, lists.candidates, lists.scores
            chosen = assign_capped(v, c, s, k, cap, True, _counts(c, shown_today))
            made = suggestions(v[chosen], c[chosen], s[chosen], lists.explain)
        else:
            everyone = [int(viewer) for viewer in lists]
            v, c, s, objects = from_mapping(lists)
            chosen = assign_capped(v, c, s, k, cap, False, _counts(c, shown_today))
            made = [objects[i] for i in chosen.tolist()]
        out: dict[int, list[Suggestion]] = {viewer: [] for viewer in everyone}
        # The chosen pairs come grouped by viewer, best first: one slice per viewer.
        viewers = v[chosen]
        starts = np.flatnonzero(np.r_[True, viewers[1:] != viewers[:-1]])[: len(viewers)]
        bounds = np.r_[starts, len(viewers)].tolist()
        for viewer, lo, hi in zip(viewers[starts].tolist(), bounds[:-1], bounds[1:], strict=True):
            out[viewer] = made[lo:hi]
        return out

    # -- one pair ----------------------------------------------------------------------

    def _pair(
        self, a_id: int, b_id: int, day: date | None
    ) -> tuple[_Day, np.ndarray, np.ndarray] | None:
        state = self._on(day or (self._day.day if self._day else date.today()))
        a, b = self._fitted.rows([a_id]), self._fitted.rows([b_id])
        if a[0] < 0 or b[0] < 0:
            return None
        return state, a, b

    def score(self, a_id: int, b_id: int, day: date | None = None) -> float:
        """How well a and b suit each other, in [0, 1]; symmetric; 0 when a hard
        requirement of either side fails, when one blocked the other or they are
        already matched, or for an unknown member. Ages on ``day`` (default: the day of
        the last batch, else today)."""
        found = self._pair(a_id, b_id, day)
        if found is None:
            return 0.0
        state, a, b = found
        if not self._eligible(state, a, b):
            return 0.0
        value = float(self._score(PairFeatures.of(Block(state.data, a, b, outer=False)))[0])
        return min(1.0, max(0.0, value))

    def _eligible(self, state: _Day, a: np.ndarray, b: np.ndarray) -> bool:
        return bool(state.req.mutual(a, b)[0]) and not self._history.apart(a, b)[0]

    def _explained(self, a_id: int, b_id: int, day: date | None) -> Explained:
        found = self._pair(a_id, b_id, day)
        if found is None:
            return (), ()
        state, a, b = found
        texts, reasons = state.explainer.explain_rows(a, b)[0]
        if reasons and reasons[0].code == "mutual_fit" and not self._eligible(state, a, b):
            return (), ()  # "you meet each other's requirements" would not be true
        return texts, reasons

    def reasons(self, a_id: int, b_id: int, day: date | None = None) -> list[Reason]:
        """Why b suits a, as codes and parameters (``matching.reasons``)."""
        return list(self._explained(a_id, b_id, day)[1])

    def explain(self, a_id: int, b_id: int, day: date | None = None) -> list[str]:
        """One to three short reasons why b suits a, in the matcher's language."""
        return list(self._explained(a_id, b_id, day)[0])


def _counts(ids: np.ndarray, counts: Mapping[int, int] | None) -> np.ndarray | None:
    """``counts[id]`` (0 when absent) for each id, or None without counts."""
    if not counts:
        return None
    return np.fromiter((counts.get(i, 0) for i in ids.tolist()), dtype=np.int64, count=len(ids))
