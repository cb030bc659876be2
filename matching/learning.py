"""Learning from feedback: a model of "A likes B" that may re-weight the score.

Each like or pass in the history is a labelled pair (from, to). Its features are the
pair features the engine computes (``matching.scoring.FEATURES``: embedding similarity,
both fits, shared interests, same city, age gap and fit, answer agreement both ways,
education gap and distance, height difference by the viewer's gender, and the hand-set
score itself), and a scikit-learn ``LogisticRegression`` (after ``StandardScaler``)
learns to predict the like.

Member features (how often the candidate is liked, how often the viewer likes) were
tried: on the synthetic population they raised the hold-out AUC (0.652 against 0.636
without them, hand-set 0.626) but lowered the next day's precision@10 (0.2285 against
0.2366; hand-set 0.2281) and pushed the exposure Gini over 0.35 (0.366), by steering
everyone towards the same popular members. They are left out.

The model is compared with the hand-set score on a time-ordered hold-out: trained on
the earlier days, both are scored by ROC AUC on the latest ~20 % of the labels (whole
days: the hold-out starts at the first day that takes it past 80 %). While all labels
share one day there is no earlier day to train on and no fair hold-out, so the
hand-set score stays: a random split of one day's feedback would let the model learn
the very viewers it is tested on. The model is used only if its AUC beats the
hand-set score's by ``MIN_GAIN`` and is clearly above chance (its AUC minus 1.96
standard errors, Hanley & McNeil, above 0.5), so pure-noise feedback never replaces the
hand-set score. The comparison is logged (``matching.learning``, INFO) and kept in
``Matcher.learning_report``.

A chosen model scores a pair as ``harmonic(p(A likes B), p(B likes A))``, in [0, 1]
(and the engine still masks hard failures to 0). It is linear in the features, so it
applies to whole blocks of pairs as a weighted sum of the feature matrices.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from matching.scoring import (
    EDUCATION_VALUES,
    FEATURES,
    SHARED_TAGS_FULL,
    Block,
    PairFeatures,
    ScoringData,
    age_fit_rows,
    harmonic,
)

logger = logging.getLogger(__name__)

MIN_GAIN = 0.005  # AUC the model must gain over the hand-set score
MAX_PAIRS = 100_000  # labelled pairs trained (and tested) on at most: a random sample


@dataclass
class LearningReport:
    """The hand-set score against the learned model on the time-ordered hold-out."""

    labelled: int  # likes + passes between known members
    chosen: str  # "model" or "hand"
    reason: str
    train: int = 0
    test: int = 0
    test_from: str | None = None  # first day of the hold-out (ISO)
    split: str = ""  # "time" once there was a hold-out
    hand_auc: float | None = None
    model_auc: float | None = None
    model_auc_se: float | None = None
    coefficients: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        if self.hand_auc is None or self.model_auc is None:
            return f"learning: {self.chosen} ({self.reason})"
        return (
            f"learning: hold-out ROC AUC model {self.model_auc:.4f} (se {self.model_auc_se:.4f})"
            f" vs hand-set {self.hand_auc:.4f} on {self.test} pairs (trained on {self.train});"
            f" using {self.chosen}: {self.reason}"
        )


@dataclass(eq=False)
class LikeModel:
    """A logistic model folded back to raw feature units: logit = coef · x + intercept,
    over ``FEATURES``.

    ``logit`` evaluates it feature by feature (as trained). ``score`` gets the same
    numbers faster: the age, education, answer and height features are bilinear (see
    ``matching.scoring``), so their weighted sum is one matrix product per direction
    with per-member rows folded from the coefficients (``_Folded``, built once per day).
    """

    coef: np.ndarray  # float64, one per FEATURES
    intercept: float
    _folded: tuple[ScoringData, _Folded] | None = None

    def prepare(self, data: ScoringData) -> _Folded:
        """The folded rows for one day's data (built once; call before threads share
        the model)."""
        if self._folded is None or self._folded[0] is not data:
            self._folded = (data, _Folded.of(self, data))
        return self._folded[1]

    def weight(self, name: str) -> np.float32:
        return np.float32(self.coef[FEATURES.index(name)])

    def logit(self, pf: PairFeatures, swap: bool = False) -> np.ndarray:
        features = pf.directed(swap)
        z = np.full(np.shape(pf.hand), self.intercept, dtype=np.float32)
        for name, weight in zip(FEATURES, self.coef.tolist(), strict=True):
            z += np.float32(weight) * features[name]
        return z

    def score(self, pf: PairFeatures, idx: np.ndarray | None = None) -> np.ndarray:
        """harmonic(p(a likes b), p(b likes a)), in [0, 1], for a block of pairs; with
        ``idx`` (an outer block only), just for the columns ``idx[i]`` of each row i,
        shaped like ``idx``."""
        blk, w = pf.block, self.weight
        f = self.prepare(blk.data)

        def pick(values: np.ndarray) -> np.ndarray:
            return values if idx is None else np.take_along_axis(values, idx, axis=1)

        def member(values: np.ndarray, side: str) -> np.ndarray:
            column = blk.col(values, side)
            if idx is None or side == "a":
                return column
            return values[blk.b[idx]]

        common = np.minimum(pick(pf.shared), SHARED_TAGS_FULL + 2)
        common *= w("shared_tags")
        common += np.float32(self.intercept)
        for name, values in (
            ("similarity", pf.similarity),
            ("same_city", pf.same_city),
            ("hand_score", pf.hand),
        ):
            common += w(name) * pick(values)
        fit_ab, fit_ba = pick(pf.fit_ab), pick(pf.fit_ba)
        z = []
        for swap, out in zip((False, True), self._bilinear(blk, f, idx), strict=True):
            me, other = ("b", "a") if swap else ("a", "b")
            out += member(f.const, me)
            out += member(f.back_const, other)
            out += w("fit_viewer") * (fit_ba if swap else fit_ab)
            out += w("fit_candidate") * (fit_ab if swap else fit_ba)
            out += common
            z.append(_sigmoid(out))
        return harmonic(z[0], z[1])

    @staticmethod
    def _bilinear(blk: Block, f: _Folded, idx: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The bilinear part of the logit from a's side and from b's: left[me] ·
        right[other] + back[other] · answers(me). For the columns ``idx`` only, as
        batched dot products over just those pairs (each row gathered once), if given."""
        answers = blk.data.answer_cols
        if idx is None:
            return tuple(  # type: ignore[return-value]
                blk.dot(f.left, f.right, swap) + blk.dot(f.back, f.right, not swap, answers)
                for swap in (False, True)
            )
        a, b = blk.a, blk.b[idx]  # viewer rows (r,), candidate rows (r, S)
        right_a, right_b = f.right[a], f.right[b]
        ab = np.einsum("rk,rsk->rs", f.left[a], right_b)
        ab += np.einsum("rsk,rk->rs", f.back[b], right_a[:, answers])
        ba = np.einsum("rsk,rk->rs", f.left[b], right_a)
        ba += np.einsum("rk,rsk->rs", f.back[a], right_b[..., answers])
        return ab, ba


@dataclass(eq=False)
class _Folded:
    """Per-member rows of a LikeModel for one day's ScoringData: logit(a→b) gets
    ``left[a] · right[b] + const[a]`` (age gap and fit, education gap and distance,
    agreement, height) and ``back[b] · answers(a) + back_const[b]`` (agreement back)."""

    left: np.ndarray  # float32 (n, K + 3)
    right: np.ndarray  # float32 (n, K + 3): ScoringData.right and [1, H, H^2] of height
    const: np.ndarray
    back: np.ndarray  # float32 (n, answer columns)
    back_const: np.ndarray

    @classmethod
    def of(cls, model: LikeModel, d: ScoringData) -> _Folded:
        w = model.weight
        ages = d.ages
        age = np.abs(d.age[:, None] - ages[None, :]) * w("age_gap")
        age += age_fit_rows(d.centre, d.half, ages) * w("age_fit")
        values = np.arange(EDUCATION_VALUES, dtype=np.float32)
        edu = np.where(d.education > 0, d.education, np.nan).astype(np.float32)
        gap = np.nan_to_num(np.where(values > 0, values[None, :] - edu[:, None], np.nan))
        education = gap * w("education_gap") + np.abs(gap) * w("education_distance")
        answers = -w("agreement") * d.agree_left
        # The height terms c1 g + c2 g^2 of g = (hb - ha) / 10 cm (both known) expand
        # to a row of ha against [1, Hb, Hb^2] (H in metres) for b.
        known = d.height > 0
        h = d.height / 100
        c1 = np.where(d.female, w("height_gap_f"), w("height_gap_m")) * known
        c2 = np.where(d.female, w("height_gap_f2"), w("height_gap_m2")) * known
        height = np.column_stack([100 * c2 * h * h - 10 * c1 * h, 10 * c1 - 200 * c2 * h, 100 * c2])
        height_right = np.column_stack([known, h, h * h]) * known[:, None]
        return cls(
            left=np.hstack([age, education, answers, height]).astype(np.float32),
            right=np.hstack([d.right, height_right]).astype(np.float32),
            const=(w("agreement") * d.agree_base).astype(np.float32),
            back=(-w("agreement_back") * d.agree_left).astype(np.float32),
            back_const=(w("agreement_back") * d.agree_base).astype(np.float32),
        )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1 / (1 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def labelled_pairs(
    likes: tuple[np.ndarray, np.ndarray, np.ndarray],
    passes: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(from rows, to rows, days, labels) in time order (stable: history order within a
    day)."""
    a = np.concatenate([likes[0], passes[0]])
    b = np.concatenate([likes[1], passes[1]])
    days = np.concatenate([likes[2], passes[2]])
    position = np.concatenate([np.arange(len(likes[0])), np.arange(len(passes[0]))])
    labels = np.r_[np.ones(len(likes[0]), bool), np.zeros(len(passes[0]), bool)]
    order = np.lexsort((position, days))
    return a[order], b[order], days[order], labels[order]


def _split(days: np.ndarray, holdout: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(train, test) positions in time order: the test part is the latest days, holding
    about ``holdout`` of the labels (pairs in time order), the training part every
    earlier day. None when there is no earlier day to train on (all labels share the
    day the hold-out would start on)."""
    n = len(days)
    cut = min(round(n * (1 - holdout)), n - 1)
    first_of_day = int(np.searchsorted(days, days[cut], side="left"))
    if first_of_day == 0:
        return None
    return np.arange(first_of_day), np.arange(first_of_day, n)


def _auc_se(auc: float, positives: int, negatives: int) -> float:
    """Standard error of a ROC AUC (Hanley & McNeil, 1982)."""
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    var = (
        auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)
    ) / (positives * negatives)
    return math.sqrt(max(var, 0.0))


def learn(
    data_for: Callable[[], ScoringData],
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    min_labelled: int,
    holdout: float = 0.2,
    seed: int = 0,
) -> tuple[LikeModel | None, LearningReport]:
    """Train on the earlier labels, compare on the latest; the model if it wins.

    ``data_for`` builds the scoring arrays (only when there are enough labels)."""
    a, b, days, labels = pairs
    n = len(labels)
    if n < min_labelled:
        return None, LearningReport(n, "hand", f"{n} labelled pairs, fewer than {min_labelled}")
    rng = np.random.default_rng(seed)
    split = _split(days, holdout)
    if split is None:
        reason = "all feedback is from one day: no earlier day to train on, nothing to hold out"
        return None, LearningReport(n, "hand", reason)
    train_all, test_all = split
    report = LearningReport(n, "hand", "", train=len(train_all), test=len(test_all))
    report.split = "time"
    report.test_from = date.fromordinal(int(days[test_all].min())).isoformat()
    if len(set(labels[train_all].tolist())) < 2 or len(set(labels[test_all].tolist())) < 2:
        report.reason = "the training or hold-out labels are all likes or all passes"
        return None, report
    train, test = _sample(train_all, rng), _sample(test_all, rng)
    data = data_for()
    x_train, x_test = _features(data, a[train], b[train]), _features(data, a[test], b[test])
    y_train, y_test = labels[train], labels[test]
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    pipeline.fit(x_train, y_train)
    model_auc = float(roc_auc_score(y_test, pipeline.predict_proba(x_test)[:, 1]))
    hand_auc = float(roc_auc_score(y_test, x_test[:, FEATURES.index("hand_score")]))
    positives = int(y_test.sum())
    se = _auc_se(model_auc, positives, len(y_test) - positives)
    report.hand_auc, report.model_auc, report.model_auc_se = hand_auc, model_auc, se
    report.train, report.test = len(train), len(test)
    coef, intercept = _fold(pipeline)
    report.coefficients = dict(zip(FEATURES, coef.round(4).tolist(), strict=True))
    if model_auc - 1.96 * se <= 0.5:
        report.reason = "the model is not clearly better than chance on the hold-out"
    elif model_auc < hand_auc + MIN_GAIN:
        report.reason = f"the model does not beat the hand-set score by {MIN_GAIN}"
    else:
        report.chosen, report.reason = "model", "higher hold-out AUC"
    logger.info("%s", report.summary())
    return (LikeModel(coef, intercept) if report.chosen == "model" else None), report


def _sample(rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if len(rows) <= MAX_PAIRS:
        return rows
    return np.sort(rng.choice(rows, size=MAX_PAIRS, replace=False))


def _features(data: ScoringData, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The ``FEATURES`` matrix of pairs (a → b)."""
    directed = PairFeatures.of(Block(data, a, b, outer=False)).directed()
    return np.column_stack([np.asarray(directed[f], dtype=np.float64) for f in FEATURES])


def _fold(pipeline: Pipeline) -> tuple[np.ndarray, float]:
    """The fitted scaler + logistic regression as one linear model on raw features."""
    scaler, logistic = pipeline[0], pipeline[-1]
    coef = logistic.coef_[0] / scaler.scale_
    return coef, float(logistic.intercept_[0] - np.sum(coef * scaler.mean_))
