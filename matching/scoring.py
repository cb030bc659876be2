"""The reciprocal score of a pair.

``fit(A→B)`` in [0, 1] says how well B suits A's soft preferences: B's age against the
centre of A's age range, living in the same city, education (full marks when A asked
for a minimum, which B then meets; otherwise closeness of the two degrees), agreement
of B's questionnaire answers with A's, weighted by how much each question matters to A
(a question B left unanswered counts as ``NEUTRAL_AGREEMENT``), and shared interests.
``fit(B→A)`` is the same from B's side. As in reciprocal recommenders such as RECON,
the two are combined by their harmonic mean, so a pair where only one side fits scores
low; the result is blended with the cosine similarity of the two profile embeddings::

    score = (1 - SIMILARITY_WEIGHT) * harmonic(fit(A→B), fit(B→A))
            + SIMILARITY_WEIGHT * (1 + cosine) / 2

The weights were tuned on the synthetic population (``benchmarks.synthetic``) for
precision@10 of reciprocal likes. Hard requirements are not part of the score: callers
mask failing pairs to 0 (``matching.eligibility``).

Speed: every component except the shared interests and the same city is a function of
A's attributes and one discrete attribute of B (age in years, degree, each answer), so
it is bilinear: a row for A (the component's value for each possible value of B's
attribute) times B's one-hot row. The age, education and answer components of
fit(A→B) are therefore ONE matrix product, ``fit_left[A] @ right[B].T``, for a whole
block of viewers against a candidate pool, and the cosine similarity another. A block
is either a column of viewers against a row of candidates (``outer=True``: matrix
products) or paired arrays (``outer=False``: row-wise dot products); a pair's score is
the same function of (A, B) in both, and ``score(A, B) == score(B, A)`` exactly in
paired mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.columns import ANSWER_LEVELS, Columns

# Soft-preference components of fit(A→B); they add up to 1.
FIT_WEIGHTS = {"age": 0.10, "city": 0.10, "education": 0.10, "answers": 0.40, "tags": 0.30}
SIMILARITY_WEIGHT = 0.3
SHARED_TAGS_FULL = 3  # this many shared interests count fully
NEUTRAL_AGREEMENT = 0.7  # agreement on a question the other left unanswered
UNKNOWN_EDUCATION_FIT = 0.5
MIN_HALF_RANGE = 1.5  # years: a narrow age range still tolerates a year or so
EDUCATION_VALUES = 6  # 0 unknown, 1..5
ANSWER_SLOTS = ANSWER_LEVELS + 1  # 0 unanswered, 1..5

# The learning features (matching.learning), from the viewer's side.
FEATURES = (
    "similarity",
    "fit_viewer",
    "fit_candidate",
    "shared_tags",
    "same_city",
    "age_gap",
    "age_fit",
    "agreement",
    "agreement_back",
    "education_gap",
    "education_distance",
    # Height difference (other minus viewer, in 10 cm) and its square, separately for
    # women and men viewing, so a preferred difference can be learned for each.
    "height_gap_f",
    "height_gap_f2",
    "height_gap_m",
    "height_gap_m2",
    "hand_score",
)


def _education_table() -> np.ndarray:
    """fit(A→B) of education, indexed [A's key, B's education]; A's key is its
    education, or 6 when A asked for a minimum (which B then meets)."""
    table = np.full((7, EDUCATION_VALUES), UNKNOWN_EDUCATION_FIT, dtype=np.float32)
    for a in range(1, 6):
        for b in range(1, 6):
            table[a, b] = 1 - abs(a - b) / 4
    table[6, :] = 1.0
    return table


EDUCATION_FIT = _education_table()


@dataclass(eq=False)
class ScoringData:
    """Per-member arrays for one day. ``right`` is each member's one-hot row over
    [age in years | education | answer slot per question]; ``fit_left`` each member's
    age, education and answer components of fit(member→other) over the same columns,
    already weighted, plus ``fit_const``."""

    embedding: np.ndarray  # float32 (n, d), unit rows
    age: np.ndarray  # float32 years
    centre: np.ndarray  # float32: middle of the member's wanted age range
    half: np.ndarray  # float32: half its width (at least MIN_HALF_RANGE)
    city: np.ndarray
    education: np.ndarray  # int8 0..5
    height: np.ndarray  # float32 cm, 0 unknown
    female: np.ndarray  # bool
    tags: np.ndarray  # uint64 (n, words)
    ages: np.ndarray  # float32: the age of each age column
    right: np.ndarray  # float32 (n, K)
    fit_left: np.ndarray  # float32 (n, K)
    fit_const: np.ndarray  # float32 (n,)
    agree_left: np.ndarray  # float32 (n, slots): answer columns of agreement(member→other)
    agree_base: np.ndarray  # float32 (n,): agreement = base - agree_left · right[answers]

    @property
    def age_cols(self) -> slice:
        return slice(0, len(self.ages))

    @property
    def education_cols(self) -> slice:
        return slice(len(self.ages), len(self.ages) + EDUCATION_VALUES)

    @property
    def answer_cols(self) -> slice:
        return slice(len(self.ages) + EDUCATION_VALUES, self.right.shape[1])

    @classmethod
    def build(cls, columns: Columns, embedding: np.ndarray, day: date) -> ScoringData:
        n = len(columns)
        age = columns.age_on(day).astype(np.float32)
        low, high = (int(age.min()), int(age.max())) if n else (0, 0)
        ages = np.arange(low, high + 1, dtype=np.float32)
        age_min, age_max = columns.age_min.astype(np.float32), columns.age_max.astype(np.float32)
        centre = (age_min + age_max) / 2
        half = np.maximum((age_max - age_min) / 2, MIN_HALF_RANGE)
        age_rows = age_fit_rows(centre, half, ages)
        key = np.where(columns.min_education > 0, 6, columns.education)
        agree_left, agree_base = _agreement_rows(columns)
        one_hot = [
            _one_hot(age - low, len(ages)),
            _one_hot(columns.education, EDUCATION_VALUES),
            _one_hot(columns.answers, ANSWER_SLOTS).reshape(n, -1 if n else 0),
        ]
        w = FIT_WEIGHTS
        fit_left = [
            w["age"] * age_rows,
            w["education"] * EDUCATION_FIT[key],
            -w["answers"] * agree_left,
        ]
        return cls(
            embedding=embedding,
            age=age,
            centre=centre,
            half=half,
            city=columns.city,
            education=columns.education,
            height=columns.height.astype(np.float32),
            female=columns.gender == 0,
            tags=columns.tags,
            ages=ages,
            right=np.hstack(one_hot).astype(np.float32),
            fit_left=np.hstack(fit_left).astype(np.float32),
            fit_const=(w["answers"] * agree_base).astype(np.float32),
            agree_left=agree_left,
            agree_base=agree_base,
        )


def _one_hot(values: np.ndarray, size: int) -> np.ndarray:
    """float32 one-hot of integer values 0..size-1 along a new last axis."""
    return (values[..., None] == np.arange(size, dtype=values.dtype)).astype(np.float32)


def age_fit_rows(centre: np.ndarray, half: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """Closeness of each age to the centre of each member's range, in [0, 1]."""
    return np.clip(1 - np.abs(ages[None, :] - centre[:, None]) / half[:, None], 0, 1)


def _agreement_rows(columns: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Answer rows and base of agreement(A→B) = base_A - row_A · one_hot(B's answers).

    Per question q and slot s of B's answer, the row holds A's importance of q times
    the distance |A's answer - s| (for an unanswered slot, the distance that makes
    NEUTRAL_AGREEMENT), over 4 times A's total importance; a member with no weighted
    answer has a zero row and base NEUTRAL_AGREEMENT."""
    answers = columns.answers
    n, q = answers.shape
    weight = np.where(answers > 0, columns.importance, 0).astype(np.float32)
    total = weight.sum(axis=1)
    span = ANSWER_LEVELS - 1
    slots = np.arange(ANSWER_SLOTS, dtype=np.float32)
    distance = np.abs(answers[:, :, None].astype(np.float32) - slots)
    distance[:, :, 0] = span * (1 - NEUTRAL_AGREEMENT)
    scale = np.where(total > 0, 1 / (span * np.maximum(total, 1e-9)), 0).astype(np.float32)
    rows = (weight[:, :, None] * distance * scale[:, None, None]).reshape(n, q * ANSWER_SLOTS)
    base = np.where(total > 0, 1.0, NEUTRAL_AGREEMENT).astype(np.float32)
    return rows.astype(np.float32), base


class Block:
    """A block of pairs: rows ``a`` against rows ``b``."""

    def __init__(self, data: ScoringData, a: np.ndarray, b: np.ndarray, outer: bool) -> None:
        self.data, self.a, self.b, self.outer = data, a, b, outer

    def col(self, values: np.ndarray, side: str) -> np.ndarray:
        """A per-member column for side "a" or "b", shaped to broadcast over the block."""
        x = values[self.a if side == "a" else self.b]
        if self.outer:
            return x[:, None] if side == "a" else x[None, :]
        return x

    def dot(
        self, left: np.ndarray, right: np.ndarray, swap: bool = False, cols: slice = slice(None)
    ) -> np.ndarray:
        """``left[a] · right[b]`` over ``cols`` for each pair (``left[b] · right[a]`` if
        swap)."""
        a, b = (self.b, self.a) if swap else (self.a, self.b)
        if self.outer:
            product = left[a] @ right[b, cols].T
            return product.T if swap else product
        return np.einsum("ij,ij->i", left[a], right[b, cols])

    def similarity(self) -> np.ndarray:
        return self.dot(self.data.embedding, self.data.embedding)

    def shared_tags(self) -> np.ndarray:
        tags = self.data.tags
        count = np.bitwise_count(self.col(tags[:, 0], "a") & self.col(tags[:, 0], "b"))
        for w in range(1, tags.shape[1]):
            count = count + np.bitwise_count(self.col(tags[:, w], "a") & self.col(tags[:, w], "b"))
        return count.astype(np.float32)

    def same_city(self) -> np.ndarray:
        return (self.col(self.data.city, "a") == self.col(self.data.city, "b")).astype(np.float32)

    def fit(self, extra: np.ndarray, swap: bool = False) -> np.ndarray:
        """fit(A→B) in [0, 1] (fit(B→A) with swap); ``extra`` is ``symmetric_fit``."""
        d = self.data
        out = self.dot(d.fit_left, d.right, swap)
        out += self.col(d.fit_const, "b" if swap else "a")
        out += extra
        return out

    @staticmethod
    def symmetric_fit(shared: np.ndarray, same_city: np.ndarray) -> np.ndarray:
        """The components of fit that are the same both ways: city and interests."""
        w = FIT_WEIGHTS
        out = np.minimum(shared, SHARED_TAGS_FULL)
        out *= w["tags"] / SHARED_TAGS_FULL
        out += w["city"] * same_city
        return out

    def agreement(self, swap: bool = False) -> np.ndarray:
        """Agreement of the other side's answers with a's (b's if swap), in [0, 1]."""
        d = self.data
        out = -self.dot(d.agree_left, d.right, swap, d.answer_cols)
        out += self.col(d.agree_base, "b" if swap else "a")
        return out

    def age_fit(self, swap: bool = False) -> np.ndarray:
        d = self.data
        me, other = ("b", "a") if swap else ("a", "b")
        off = np.abs(self.col(d.age, other) - self.col(d.centre, me)) / self.col(d.half, me)
        return np.clip(1 - off, 0, 1)


def harmonic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """2xy / (x + y) of non-negative x, y (0 where both are 0); symmetric in x and y bit
    for bit."""
    total = x + y
    total += np.float32(1e-12)
    out = x * y
    out *= 2
    out /= total
    return out


@dataclass(eq=False)
class PairFeatures:
    """What the hand-set score and the learned model look at, for a block."""

    similarity: np.ndarray
    shared: np.ndarray
    same_city: np.ndarray
    fit_ab: np.ndarray
    fit_ba: np.ndarray
    hand: np.ndarray
    block: Block

    @classmethod
    def of(cls, block: Block) -> PairFeatures:
        shared, same = block.shared_tags(), block.same_city()
        extra = block.symmetric_fit(shared, same)
        fit_ab, fit_ba = block.fit(extra), block.fit(extra, swap=True)
        similarity = block.similarity()
        hand = (1 - SIMILARITY_WEIGHT) * harmonic(fit_ab, fit_ba)
        hand += (SIMILARITY_WEIGHT / 2) * (1 + similarity)
        return cls(similarity, shared, same, fit_ab, fit_ba, hand.astype(np.float32), block)

    def directed(self, swap: bool = False) -> dict[str, np.ndarray]:
        """The learning features (``FEATURES``) from a's side (b's side with swap)."""
        d, blk = self.block.data, self.block
        me, other = ("b", "a") if swap else ("a", "b")
        edu_me, edu_other = blk.col(d.education, me), blk.col(d.education, other)
        known = (edu_me > 0) & (edu_other > 0)
        education_gap = np.where(known, edu_other - edu_me.astype(np.float32), 0)
        h_me, h_other = blk.col(d.height, me), blk.col(d.height, other)
        height_gap = np.where((h_me > 0) & (h_other > 0), (h_other - h_me) / 10, 0)
        female = blk.col(d.female, me)
        gap_f, gap_m = np.where(female, height_gap, 0), np.where(female, 0, height_gap)
        return {
            "similarity": self.similarity,
            "fit_viewer": self.fit_ba if swap else self.fit_ab,
            "fit_candidate": self.fit_ab if swap else self.fit_ba,
            "shared_tags": np.minimum(self.shared, SHARED_TAGS_FULL + 2),
            "same_city": self.same_city,
            "age_gap": np.abs(blk.col(d.age, "a") - blk.col(d.age, "b")),
            "age_fit": blk.age_fit(swap),
            "agreement": blk.agreement(swap),
            "agreement_back": blk.agreement(not swap),
            "education_gap": education_gap,
            "education_distance": np.abs(education_gap),
            "height_gap_f": gap_f,
            "height_gap_f2": gap_f * gap_f,
            "height_gap_m": gap_m,
            "height_gap_m2": gap_m * gap_m,
            "hand_score": self.hand,
        }
