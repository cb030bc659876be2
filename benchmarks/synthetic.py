"""A synthetic population of members with a hidden "would like" ground truth.

Used by the matcher's tests, its benchmark (``python -m benchmarks.matching``) and the app's
demo seed (imported there only when seeding: ``benchmarks/`` is not an installed package).
``generate(n, seed)`` builds ``n`` plausible members (young adults in Zhejiang) and keeps,
next to the public ``Profile`` objects, the columns they were built from plus a few hidden
traits. ``SyntheticPopulation.would_like(a, b)`` answers whether member ``a`` would like
member ``b`` if ``b`` were suggested to ``a``.

The ground truth is a logistic model. For viewer ``a`` and candidate ``b``::

    logit = BIAS
          + shared interests (tags, plus one interest some bios mention beyond the tags)
          + agreement of b's answers with a's, weighted by a's answer_importance
          + closeness of b's age to the centre of a's age range
          + same city, closeness of education, height fit
          + cosine of hidden 6-d taste vectors (tags and bio wording are drawn from them)
          + b's hidden attractiveness - a's hidden selectivity
          - a penalty per preference of a that b violates
    would_like = uniform(seed, a, b) < sigmoid(logit)

where ``uniform`` is a hash of the pair, so the answer is fixed for a given seed.
A random mutually eligible candidate is liked about a quarter of the time, and both like each
other in 5-10 % of such pairs. ``would_like`` does not enforce hard preferences (the matcher
filters those), but a violated preference makes a like much less likely; a candidate of the
gender the viewer does not want is never liked.

Everything is vectorised with NumPy: ``generate(1_000_000)`` takes well under a minute, and
``would_like_pairs`` scores millions of pairs a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.types import Profile
from matching.vocabulary import CITIES, QUESTIONS, TAGS

__all__ = ["CITIES", "QUESTIONS", "TAGS", "SyntheticPopulation", "generate"]

# ---------------------------------------------------------------------------------------
# Vocabularies: the product's (``matching.vocabulary``), with what the generator draws by
# ---------------------------------------------------------------------------------------


def _in_vocabulary_order(rows: tuple[tuple, ...], vocabulary: tuple[str, ...], what: str):
    """``rows`` keyed by their first field, in the order of ``vocabulary``; every word of the
    vocabulary needs exactly one row (a new city or tag needs its generator parameters)."""
    by_name = {row[0]: row for row in rows}
    if len(by_name) != len(rows) or set(by_name) != set(vocabulary):
        raise RuntimeError(f"the generator's {what} do not match matching.vocabulary")
    return tuple(by_name[name] for name in vocabulary)


# The share of young members expected in each city of Zhejiang (roughly the 2020 census,
# tilted towards the cities young people move to).
_CITY_ROWS: tuple[tuple[str, float, str], ...] = (
    # city, weight, a place for "去…边骑行"
    ("杭州", 0.22, "西湖"),
    ("宁波", 0.15, "东钱湖"),
    ("温州", 0.13, "瓯江"),
    ("金华", 0.10, "婺江"),
    ("台州", 0.09, "椒江"),
    ("嘉兴", 0.08, "南湖"),
    ("绍兴", 0.08, "鉴湖"),
    ("湖州", 0.05, "太湖"),
    ("丽水", 0.04, "南明湖"),
    ("衢州", 0.035, "信安湖"),
    ("舟山", 0.025, "海"),
)
_CITY_TABLE = _in_vocabulary_order(_CITY_ROWS, CITIES, "cities")
CITY_WEIGHTS: tuple[float, ...] = tuple(row[1] for row in _CITY_TABLE)
_CITY_PLACES: tuple[str, ...] = tuple(row[2] for row in _CITY_TABLE)

# Cities sharing a border (or, for 舟山, a bridge).
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "杭州": ("湖州", "嘉兴", "绍兴", "金华", "衢州"),
    "宁波": ("绍兴", "台州", "舟山"),
    "温州": ("台州", "丽水"),
    "金华": ("杭州", "绍兴", "台州", "丽水", "衢州"),
    "台州": ("宁波", "绍兴", "金华", "丽水", "温州"),
    "嘉兴": ("杭州", "湖州"),
    "绍兴": ("杭州", "宁波", "金华", "台州"),
    "湖州": ("杭州", "嘉兴"),
    "丽水": ("金华", "衢州", "台州", "温州"),
    "衢州": ("杭州", "金华", "丽水"),
    "舟山": ("宁波",),
}

# Hidden taste dimensions; every tag loads on one or two of them.
_OUTDOOR, _CULTURE, _INDOOR, _HOMELIFE, _NATURE, _TRAVEL = range(6)
TASTE_DIMENSIONS = 6

# tag, phrase used in bios (after 喜欢/会), popularity, male bias, taste loadings, where
# ("out" can follow 去…边, "home" can follow 在家, "" either).
_TAG_ROWS: tuple[tuple[str, str, float, float, dict[int, float], str], ...] = (
    ("旅行", "旅行", 1.2, 0.0, {_TRAVEL: 1.0}, ""),
    ("摄影", "拍照", 0.5, 0.1, {_CULTURE: 0.7, _TRAVEL: 0.6}, "out"),
    ("徒步", "徒步", 0.2, 0.2, {_OUTDOOR: 0.7, _NATURE: 0.7}, "out"),
    ("羽毛球", "打羽毛球", 0.5, 0.1, {_OUTDOOR: 1.0}, ""),
    ("飞盘", "玩飞盘", 0.0, 0.0, {_OUTDOOR: 0.8, _NATURE: 0.4}, "out"),
    ("剧本杀", "玩剧本杀", 0.3, 0.0, {_INDOOR: 1.0}, ""),
    ("烘焙", "烘焙", 0.1, -0.9, {_HOMELIFE: 1.0}, "home"),
    ("读书", "看书", 0.6, 0.0, {_CULTURE: 1.0}, "home"),
    ("电影", "看电影", 1.0, 0.0, {_INDOOR: 0.6, _CULTURE: 0.5}, ""),
    ("音乐", "听音乐", 0.9, 0.0, {_CULTURE: 0.8}, ""),
    ("猫", "撸猫", 0.4, -0.4, {_NATURE: 1.0}, "home"),
    ("狗", "遛狗", 0.2, 0.0, {_NATURE: 1.0}, "out"),
    ("健身", "健身", 0.7, 0.4, {_OUTDOOR: 1.0}, ""),
    ("美食", "探店找美食", 1.1, 0.0, {_HOMELIFE: 0.7, _TRAVEL: 0.4}, ""),
    ("游泳", "游泳", 0.3, 0.1, {_OUTDOOR: 1.0}, ""),
    ("骑行", "骑行", 0.2, 0.4, {_OUTDOOR: 0.8, _NATURE: 0.5}, "out"),
    ("露营", "露营", 0.1, 0.1, {_NATURE: 0.7, _TRAVEL: 0.6}, "out"),
    ("书法", "练书法", -0.7, 0.0, {_CULTURE: 1.0}, "home"),
    ("围棋", "下围棋", -0.9, 0.5, {_CULTURE: 0.8, _INDOOR: 0.4}, ""),
    ("编程", "写代码", -0.8, 0.7, {_INDOOR: 1.0}, "home"),
    ("追剧", "追剧", 0.8, -0.6, {_INDOOR: 1.0}, "home"),
    ("咖啡", "喝咖啡", 0.4, -0.1, {_HOMELIFE: 0.7, _CULTURE: 0.4}, ""),
    ("茶", "喝茶", 0.2, 0.2, {_HOMELIFE: 0.6, _CULTURE: 0.6}, ""),
    ("瑜伽", "练瑜伽", 0.0, -1.4, {_TRAVEL: 0.6, _OUTDOOR: 0.5}, ""),
    ("跑步", "跑步", 0.4, 0.3, {_OUTDOOR: 1.0}, "out"),
    ("篮球", "打篮球", 0.0, 1.4, {_OUTDOOR: 1.0}, ""),
    ("足球", "踢足球", -0.6, 1.2, {_OUTDOOR: 1.0}, ""),
    ("滑雪", "滑雪", -0.6, 0.1, {_TRAVEL: 0.8, _OUTDOOR: 0.5}, ""),
    ("桌游", "玩桌游", -0.1, 0.0, {_INDOOR: 1.0}, ""),
    ("手工", "做手工", -0.3, -0.8, {_HOMELIFE: 1.0}, "home"),
    ("钓鱼", "钓鱼", -0.6, 1.0, {_NATURE: 1.0}, "out"),
    ("唱歌", "唱K", 0.3, 0.0, {_INDOOR: 0.8}, ""),
    ("画画", "画画", -0.3, -0.4, {_CULTURE: 1.0}, "home"),
    ("舞蹈", "跳舞", -0.5, -1.0, {_TRAVEL: 0.6, _CULTURE: 0.5}, ""),
    ("动漫", "看动漫", 0.0, 0.1, {_INDOOR: 1.0}, "home"),
    ("游戏", "打游戏", 0.5, 0.9, {_INDOOR: 1.0}, "home"),
    ("乒乓球", "打乒乓球", -0.3, 0.3, {_OUTDOOR: 1.0}, ""),
    ("网球", "打网球", -0.7, 0.0, {_OUTDOOR: 0.8, _TRAVEL: 0.3}, ""),
    ("做饭", "做饭", 0.3, -0.2, {_HOMELIFE: 1.0}, "home"),
    ("汉服", "穿汉服拍照", -0.8, -1.4, {_CULTURE: 0.8, _TRAVEL: 0.3}, ""),
)
_TAG_TABLE = _in_vocabulary_order(_TAG_ROWS, TAGS, "tags")
_TAG_PHRASES: tuple[str, ...] = tuple(row[1] for row in _TAG_TABLE)
_TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}

# occupation, popularity, male bias, lowest usual education, tags it makes likelier
_OCCUPATION_TABLE: tuple[tuple[str, float, float, int, tuple[str, ...]], ...] = (
    ("教师", 1.0, -0.8, 3, ("读书", "书法")),
    ("医生", 0.5, 0.1, 3, ("跑步",)),
    ("护士", 0.4, -2.0, 2, ("追剧",)),
    ("程序员", 1.0, 1.2, 3, ("编程", "游戏")),
    ("公务员", 0.9, 0.0, 3, ("读书", "茶")),
    ("会计", 0.8, -0.9, 2, ()),
    ("销售", 1.0, 0.3, 1, ("唱歌",)),
    ("设计师", 0.7, -0.3, 2, ("画画", "摄影")),
    ("工程师", 1.0, 1.0, 3, ("篮球",)),
    ("律师", 0.3, 0.0, 3, ("读书",)),
    ("银行职员", 0.7, -0.3, 3, ()),
    ("产品经理", 0.5, 0.2, 3, ("咖啡",)),
    ("人事专员", 0.5, -1.0, 2, ()),
    ("市场专员", 0.7, -0.2, 2, ("美食",)),
    ("行政文员", 0.7, -1.2, 1, ()),
    ("电商运营", 0.9, -0.2, 1, ("追剧",)),
    ("外贸业务员", 0.6, 0.0, 2, ("旅行",)),
    ("厨师", 0.3, 1.0, 1, ("美食", "做饭")),
    ("自由职业者", 0.4, 0.0, 1, ("旅行", "摄影")),
    ("个体户", 0.7, 0.4, 1, ("茶",)),
    ("研究员", 0.2, 0.3, 4, ("读书", "围棋")),
    ("警察", 0.3, 1.5, 2, ("健身",)),
    ("建筑师", 0.3, 0.6, 3, ("画画",)),
    ("药剂师", 0.3, -0.6, 2, ()),
    ("技术员", 0.8, 1.2, 1, ("钓鱼",)),
    ("客服", 0.6, -1.0, 1, ("追剧",)),
)
OCCUPATIONS: tuple[str, ...] = tuple(row[0] for row in _OCCUPATION_TABLE)

_QUESTION_KEYS: tuple[str, ...] = tuple(QUESTIONS)
# How often each importance 0..3 is chosen, per question.
_IMPORTANCE_P: dict[str, tuple[float, float, float, float]] = {
    "kids": (0.05, 0.20, 0.35, 0.40),
    "city_move": (0.10, 0.30, 0.35, 0.25),
    "saving": (0.10, 0.40, 0.35, 0.15),
    "family_time": (0.08, 0.35, 0.37, 0.20),
    "pets": (0.15, 0.40, 0.30, 0.15),
    "smoking": (0.10, 0.25, 0.30, 0.35),
    "religion_importance": (0.40, 0.35, 0.15, 0.10),
    "career_first": (0.12, 0.38, 0.33, 0.17),
}

# Personality words for bios, by the member's strongest taste dimension.
_PERSONALITY: tuple[tuple[str, ...], ...] = (
    ("阳光开朗", "活力满满", "爱运动"),  # outdoor
    ("安静温和", "有点文艺", "慢热"),  # culture
    ("有点宅", "爱玩", "随和"),  # indoor
    ("顾家", "会生活", "踏实"),  # home life
    ("温柔有爱心", "喜欢小动物", "亲近自然"),  # nature
    ("爱自由", "随性", "好奇心强"),  # travel
)

MIN_AGE, MAX_AGE = 20, 45
_NO_HEIGHT_MAX = 999

# Shares of the population.
IMPOSSIBLE_SHARE = 0.005  # members whose preferences nobody can meet
_NO_HEIGHT_SHARE = 0.10
_NO_OCCUPATION_SHARE = 0.04
_NO_QUESTIONNAIRE_SHARE = 0.05
_SKIPPED_QUESTION_SHARE = 0.03
_EMPTY_BIO_SHARE = 0.04
_BIO_EXTRA_SHARE = 0.35  # bios that mention an interest beyond the member's tags

# Ground-truth weights (logit scale); see the module docstring.
_BIAS = -2.25
_W_SHARED = 0.75  # per shared interest, up to _SHARED_CAP
_SHARED_CAP = 3
_W_ANSWERS = 4.5  # times (weighted agreement - _ANSWERS_MEAN); agreement in 0..1
_ANSWERS_MEAN = 0.72
_W_AGE = 0.6  # times closeness to the centre of the viewer's range, in -1..1
_W_CITY = 0.5
_W_EDUCATION = 0.25  # per level of difference
_W_HEIGHT = 0.35
_W_TASTE = 1.0  # times the cosine of the taste vectors
_W_ATTRACTIVE = 0.6  # attractiveness is standard normal
_SELECTIVITY_SD = 0.5
_W_VIOLATION = 2.5  # per violated preference (half for an unknown height or education)

_CHUNK = 1 << 20  # pairs scored at a time


# ---------------------------------------------------------------------------------------
# The population
# ---------------------------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class PopulationColumns:
    """The population as NumPy arrays indexed by position (``id - first_id``).

    Observable columns mirror the profiles (0 meaning unknown / not set, except
    ``height_max`` where unset is 999); the hidden ones exist only here.
    """

    gender: np.ndarray  # int8, 0 F, 1 M
    age: np.ndarray  # int16, on `today`
    city: np.ndarray  # int8 index into CITIES
    height: np.ndarray  # int16 cm, 0 unknown
    education: np.ndarray  # int8 0..5, 0 unknown
    tags: np.ndarray  # uint64 bit mask over TAGS
    interests: np.ndarray  # uint64: tags plus the extra interest some bios mention
    answers: np.ndarray  # int8 (n, len(QUESTIONS)), 1..5, 0 unanswered
    importance: np.ndarray  # int8 (n, len(QUESTIONS)), 0..3, 0 where unanswered
    age_min: np.ndarray  # int16
    age_max: np.ndarray  # int16
    city_mask: np.ndarray  # uint16 bit mask over CITIES, 0 any
    min_education: np.ndarray  # int8, 0 not set
    height_min: np.ndarray  # int16, 0 not set
    height_max: np.ndarray  # int16, 999 not set
    # Hidden traits.
    taste: np.ndarray  # float32 (n, TASTE_DIMENSIONS), unit length
    attractiveness: np.ndarray  # float32, standard normal
    selectivity: np.ndarray  # float32
    unmatchable: np.ndarray  # bool: preferences nobody can meet


@dataclass(eq=False)
class SyntheticPopulation:
    """Members (``profiles``, ids ``first_id`` .. ``first_id + n - 1``) and their ground truth."""

    profiles: list[Profile]
    columns: PopulationColumns = field(repr=False)
    first_id: int = 1
    seed: int = 0
    today: date = field(default_factory=date.today)

    def __repr__(self) -> str:
        return (
            f"SyntheticPopulation(n={len(self.profiles)}, first_id={self.first_id}, "
            f"seed={self.seed}, today={self.today.isoformat()})"
        )

    def __len__(self) -> int:
        return len(self.profiles)

    @property
    def ids(self) -> np.ndarray:
        """All member ids, in position order."""
        return np.arange(self.first_id, self.first_id + len(self.profiles), dtype=np.int64)

    @property
    def unmatchable_ids(self) -> list[int]:
        """Members whose hard preferences no one in the population can meet."""
        return (np.flatnonzero(self.columns.unmatchable) + self.first_id).tolist()

    def profile(self, member_id: int) -> Profile:
        return self.profiles[self._positions(np.asarray([member_id]))[0]]

    # -- ground truth -------------------------------------------------------------------

    def would_like(self, viewer_id: int, candidate_id: int) -> bool:
        """Whether the viewer would like the candidate if shown them."""
        return bool(self.would_like_pairs(np.asarray([viewer_id]), np.asarray([candidate_id]))[0])

    def would_like_pairs(self, viewer_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
        """``would_like`` for many pairs at once: a bool array shaped like the inputs."""
        viewers, candidates = np.broadcast_arrays(
            np.asarray(viewer_ids, dtype=np.int64), np.asarray(candidate_ids, dtype=np.int64)
        )
        shape = viewers.shape
        viewers, candidates = viewers.ravel(), candidates.ravel()
        out = np.empty(viewers.size, dtype=bool)
        for start in range(0, viewers.size, _CHUNK):
            v, c = viewers[start : start + _CHUNK], candidates[start : start + _CHUNK]
            p = self._like_probability(self._positions(v), self._positions(c))
            out[start : start + _CHUNK] = _uniform(self.seed, 0, v, c) < p
        return out.reshape(shape)

    def like_probability(self, viewer_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
        """The probability behind ``would_like`` (float64): the best ranking possible."""
        viewers, candidates = np.broadcast_arrays(
            np.asarray(viewer_ids, dtype=np.int64), np.asarray(candidate_ids, dtype=np.int64)
        )
        shape = viewers.shape
        viewers, candidates = viewers.ravel(), candidates.ravel()
        out = np.empty(viewers.size, dtype=np.float64)
        for start in range(0, viewers.size, _CHUNK):
            out[start : start + _CHUNK] = self._like_probability(
                self._positions(viewers[start : start + _CHUNK]),
                self._positions(candidates[start : start + _CHUNK]),
            )
        return out.reshape(shape)

    def feedback(
        self,
        viewers: np.ndarray,
        candidates: np.ndarray,
        days: np.ndarray,
        rng_seed: int = 0,
        flip_rate: float = 0.1,
    ) -> np.ndarray:
        """Whether each viewer likes the candidate shown on that day (ordinal), as
        ``simulate_feedback`` decides it, for arrays of pairs."""
        viewers = np.asarray(viewers, dtype=np.int64)
        candidates = np.asarray(candidates, dtype=np.int64)
        liked = self.would_like_pairs(viewers, candidates)
        salt = (rng_seed + 1) * 0x9E3779B1 + np.asarray(days, dtype=np.int64)
        flipped = _uniform(self.seed, salt, viewers, candidates) < flip_rate
        # Nobody likes themselves or someone of the gender they do not want, noise or not.
        gender = self.columns.gender
        wanted = (viewers != candidates) & (
            gender[self._positions(viewers)] != gender[self._positions(candidates)]
        )
        return liked ^ (flipped & wanted)

    def simulate_feedback(
        self,
        shown: Iterable[tuple[int, int, date]],
        rng_seed: int = 0,
        flip_rate: float = 0.1,
    ) -> tuple[list[tuple[int, int, date]], list[tuple[int, int, date]]]:
        """(likes, passes) for shown pairs, dated the day each was shown.

        A viewer likes a shown candidate when ``would_like`` says so, except that a
        ``flip_rate`` share of the answers is flipped, so feedback is informative but
        imperfect. The flips are a hash of (seed, rng_seed, viewer, candidate, day): the
        same showing always gets the same answer, however the showings are batched.
        """
        items = [(int(v), int(c), d) for v, c, d in shown]
        if not items:
            return [], []
        viewers = np.fromiter((v for v, _, _ in items), dtype=np.int64, count=len(items))
        candidates = np.fromiter((c for _, c, _ in items), dtype=np.int64, count=len(items))
        days = np.fromiter((d.toordinal() for _, _, d in items), dtype=np.int64, count=len(items))
        liked = self.feedback(viewers, candidates, days, rng_seed, flip_rate)
        likes = [item for item, like in zip(items, liked.tolist(), strict=True) if like]
        passes = [item for item, like in zip(items, liked.tolist(), strict=True) if not like]
        return likes, passes

    # -- hard preferences ---------------------------------------------------------------

    def meets_preferences(self, viewer_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
        """Whether each candidate meets the viewer's hard preferences (bool array).

        An unknown height or education does not meet a height or education requirement.
        This is the population's own reading, for tests and the benchmark; the matcher
        applies its own filter.
        """
        viewers, candidates = np.broadcast_arrays(
            np.asarray(viewer_ids, dtype=np.int64), np.asarray(candidate_ids, dtype=np.int64)
        )
        a, b = self._positions(viewers.ravel()), self._positions(candidates.ravel())
        meets = (_violations(self.columns, a, b) == 0) & (a != b)
        return meets.reshape(viewers.shape)

    def mutually_eligible(self, a_ids: np.ndarray, b_ids: np.ndarray) -> np.ndarray:
        """Whether each pair meets each other's hard preferences (bool array)."""
        return self.meets_preferences(a_ids, b_ids) & self.meets_preferences(b_ids, a_ids)

    # -- internals ----------------------------------------------------------------------

    def _positions(self, ids: np.ndarray) -> np.ndarray:
        positions = np.asarray(ids, dtype=np.int64) - self.first_id
        if positions.size and (positions.min() < 0 or positions.max() >= len(self.profiles)):
            raise KeyError("member id outside the population")
        return positions

    def _like_probability(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        logit = _logit(self.columns, a, b)
        p = 1.0 / (1.0 + np.exp(-logit))
        col = self.columns
        wanted = col.gender[a] != col.gender[b]
        return np.where(wanted & (a != b), p, 0.0)


def _violations(col: PopulationColumns, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many of a's hard preferences b fails (float32; an unknown counts 0.5 where a
    requirement is set, except in ``meets_preferences``, which only tests for zero)."""
    age_b = col.age[b]
    v = ((age_b < col.age_min[a]) | (age_b > col.age_max[a])).astype(np.float32)
    mask = col.city_mask[a]
    v += (mask != 0) & (((mask >> col.city[b].astype(np.uint16)) & 1) == 0)
    v += col.gender[a] == col.gender[b]
    edu_b, min_edu = col.education[b], col.min_education[a]
    v += np.where(edu_b == 0, 0.5, 1.0) * ((min_edu > 0) & (edu_b < min_edu))
    h_b, h_min, h_max = col.height[b], col.height_min[a], col.height_max[a]
    height_set = (h_min > 0) | (h_max < _NO_HEIGHT_MAX)
    v += np.where(h_b == 0, 0.5 * height_set, (h_b < h_min) | (h_b > h_max))
    return v


def _take_rows(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """matrix[rows] for an (n, 8) int8 matrix, gathered as one uint64 per row (much faster)."""
    return np.ascontiguousarray(matrix).view(np.uint64)[rows, 0].view(np.int8).reshape(-1, 8)


def _logit(col: PopulationColumns, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The ground-truth logit of viewer a liking candidate b (positions)."""
    shared = np.bitwise_count(col.interests[a] & col.interests[b]).astype(np.float32)
    logit = _BIAS + _W_SHARED * np.minimum(shared, _SHARED_CAP)

    # Answers: agreement 1 - |difference| / 4 on questions both answered, weighted by a's
    # importance; no common answers counts as average agreement.
    ans_a, ans_b = _take_rows(col.answers, a), _take_rows(col.answers, b)
    weight = _take_rows(col.importance, a) * (ans_b > 0)
    total = weight.sum(axis=1, dtype=np.int16)
    disagreement = (weight * np.abs(ans_a - ans_b)).sum(axis=1, dtype=np.int16)
    agreement = np.where(
        total > 0, 1.0 - disagreement / (4.0 * np.maximum(total, 1)), _ANSWERS_MEAN
    ).astype(np.float32)
    logit += _W_ANSWERS * (agreement - _ANSWERS_MEAN)

    age_min, age_max = col.age_min[a].astype(np.float32), col.age_max[a].astype(np.float32)
    half = np.maximum((age_max - age_min) / 2, 1.5)
    closeness = 1.0 - np.abs(col.age[b] - (age_min + age_max) / 2) / half
    logit += _W_AGE * np.clip(closeness, -1.0, 1.0)

    logit += _W_CITY * (col.city[a] == col.city[b])

    edu_a, edu_b = col.education[a], col.education[b]
    known = (edu_a > 0) & (edu_b > 0)
    logit -= _W_EDUCATION * known * np.abs(edu_a.astype(np.int8) - edu_b)

    # Height: women like men clearly taller than themselves, men women a little shorter.
    h_a, h_b = col.height[a].astype(np.float32), col.height[b].astype(np.float32)
    target = np.where(col.gender[a] == 0, 10.0, -5.0)
    fit = 1.0 - np.abs(h_b - h_a - target) / 8.0
    logit += _W_HEIGHT * ((h_a > 0) & (h_b > 0)) * np.clip(fit, -1.0, 1.0)

    taste = np.einsum("ij,ij->i", np.take(col.taste, a, axis=0), np.take(col.taste, b, axis=0))
    logit += _W_TASTE * taste
    logit += _W_ATTRACTIVE * col.attractiveness[b] - col.selectivity[a]
    logit -= _W_VIOLATION * _violations(col, a, b)
    return logit


# Pair hashing: splitmix64 over (seed, salt, viewer, candidate).
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # wrapping multiplication is the point
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        return x ^ (x >> np.uint64(31))


def _uniform(
    seed: int, salt: int | np.ndarray, viewers: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """A uniform number in [0, 1) for each pair, fixed by the seed and the salt."""
    with np.errstate(over="ignore"):
        h = np.asarray(salt, dtype=np.int64).astype(np.uint64) ^ _mix(
            np.asarray([seed], dtype=np.int64).astype(np.uint64) + _GOLDEN
        )
        h = _mix(_mix(h) ^ viewers.astype(np.uint64))
        h = _mix((h + _GOLDEN) ^ candidates.astype(np.uint64))
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


# ---------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------


def generate(
    n: int, seed: int = 0, today: date | None = None, first_id: int = 1
) -> SyntheticPopulation:
    """A population of ``n`` members with ids ``first_id`` .. ``first_id + n - 1``.

    Deterministic for a given (n, seed, today, first_id); ``today`` (default: the real
    today) anchors birth dates, so members' ages are the same whatever day it is run.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    today = today or date.today()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    rng_people, rng_tags, rng_answers, rng_prefs, rng_bio, rng_hidden = streams[:6]

    # People.
    gender = (rng_people.random(n) < 0.5).astype(np.int8)
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    age = np.empty(n, dtype=np.int16)
    for g, peak in ((0, 27.5), (1, 28.5)):
        width = np.where(ages <= peak, 4.0, 6.0)
        p = np.exp(-0.5 * ((ages - peak) / width) ** 2)
        sel = gender == g
        age[sel] = rng_people.choice(ages, size=int(sel.sum()), p=p / p.sum())
    birth_ordinal = _birth_ordinals(age, today, rng_people)
    city = rng_people.choice(len(CITIES), size=n, p=np.asarray(CITY_WEIGHTS) / sum(CITY_WEIGHTS))
    city = city.astype(np.int8)
    height = np.where(gender == 1, rng_people.normal(172, 6, n), rng_people.normal(160, 5, n))
    height = np.where(gender == 1, np.clip(height, 155, 198), np.clip(height, 145, 185))
    height = np.rint(height).astype(np.int16)
    height[rng_people.random(n) < _NO_HEIGHT_SHARE] = 0
    # 0 unknown, 1 high school, 2 associate, 3 bachelor, 4 master, 5 doctorate; education
    # None vs 0 is decided when building the profiles.
    education = rng_people.choice(6, size=n, p=[0.04, 0.12, 0.25, 0.45, 0.12, 0.02])
    education = education.astype(np.int8)
    occupation = _occupations(gender, education, rng_people)

    # Hidden traits.
    taste = rng_hidden.standard_normal((n, TASTE_DIMENSIONS)).astype(np.float32)
    taste /= np.linalg.norm(taste, axis=1, keepdims=True) + 1e-6
    attractiveness = rng_hidden.standard_normal(n).astype(np.float32)
    selectivity = (_SELECTIVITY_SD * rng_hidden.standard_normal(n)).astype(np.float32)
    traditional = rng_hidden.standard_normal(n).astype(np.float32)  # drives some answers

    tags, ranked, n_tags = _tags(gender, occupation, taste, rng_tags)
    extra = np.where(rng_bio.random(n) < _BIO_EXTRA_SHARE, ranked[np.arange(n), n_tags], -1)
    extra_bit = np.uint64(1) << np.maximum(extra, 0).astype(np.uint64)
    interests = tags | np.where(extra >= 0, extra_bit, np.uint64(0))
    answers, importance = _answers(gender, age, city, education, tags, traditional, rng_answers)
    prefs = _preferences(gender, age, city, height, education, rng_prefs)

    columns = PopulationColumns(
        gender=gender,
        age=age,
        city=city,
        height=height,
        education=education,
        tags=tags,
        interests=interests,
        answers=answers,
        importance=importance,
        taste=taste,
        attractiveness=attractiveness,
        selectivity=selectivity,
        **prefs,
    )
    bios = _bios(columns, occupation, ranked, n_tags, extra, rng_bio)
    profiles = _profiles(columns, first_id, birth_ordinal, occupation, bios, streams[6])
    return SyntheticPopulation(
        profiles=profiles, columns=columns, first_id=first_id, seed=seed, today=today
    )


def _birth_ordinals(age: np.ndarray, today: date, rng: np.random.Generator) -> np.ndarray:
    """Birth dates (as ordinals) uniform over the year that makes each age exact on today."""

    def anniversary(years: int) -> int:
        year = today.year - years
        try:
            return date(year, today.month, today.day).toordinal()
        except ValueError:  # 29 February
            return date(year, 2, 28).toordinal()

    latest = np.asarray([anniversary(a) for a in range(MAX_AGE + 2)], dtype=np.int64)
    # Born after the anniversary of age + 1, on or before that of age.
    span = latest[age] - latest[age + 1]
    return latest[age] - (rng.random(age.size) * span).astype(np.int64)


def _occupations(gender: np.ndarray, education: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Occupation index per member (-1 none), likelier where gender and education fit."""
    n = gender.size
    popularity = np.asarray([row[1] for row in _OCCUPATION_TABLE])
    male_bias = np.asarray([row[2] for row in _OCCUPATION_TABLE])
    lowest = np.asarray([row[3] for row in _OCCUPATION_TABLE])
    out = np.full(n, -1, dtype=np.int16)
    for g in (0, 1):
        for edu in range(6):
            sel = np.flatnonzero((gender == g) & (education == edu))
            if not sel.size:
                continue
            level = edu if edu else 3
            w = popularity * np.exp(male_bias * (1 if g else -1) * 0.6)
            w = w * np.where(level >= lowest, 1.0, 0.05 ** (lowest - level))
            out[sel] = rng.choice(len(OCCUPATIONS), size=sel.size, p=w / w.sum())
    out[rng.random(n) < _NO_OCCUPATION_SHARE] = -1
    return out


def _tags(
    gender: np.ndarray, occupation: np.ndarray, taste: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tag bit masks, each member's tags ranked by preference (top 7), and tag counts."""
    n = gender.size
    popularity = np.asarray([row[2] for row in _TAG_TABLE], dtype=np.float32)
    male_bias = np.asarray([row[3] for row in _TAG_TABLE], dtype=np.float32)
    loadings = np.zeros((TASTE_DIMENSIONS, len(TAGS)), dtype=np.float32)
    for j, row in enumerate(_TAG_TABLE):
        for dim, w in row[4].items():
            loadings[dim, j] = w
    occupation_boost = np.zeros((len(OCCUPATIONS) + 1, len(TAGS)), dtype=np.float32)
    for k, row in enumerate(_OCCUPATION_TABLE):
        for tag in row[4]:
            occupation_boost[k, _TAG_INDEX[tag]] = 1.5
    n_tags = rng.choice(np.arange(1, 7), size=n, p=[0.08, 0.14, 0.22, 0.24, 0.18, 0.14])
    ranked = np.empty((n, 7), dtype=np.int64)
    for start in range(0, n, 1 << 17):
        stop = min(n, start + (1 << 17))
        score = (
            popularity
            + np.where(gender[start:stop, None] == 1, male_bias, -male_bias) * 0.5
            + 1.6 * np.sqrt(TASTE_DIMENSIONS) * (taste[start:stop] @ loadings)
            + occupation_boost[occupation[start:stop]]  # -1 picks the empty last row
            + rng.gumbel(size=(stop - start, len(TAGS))).astype(np.float32)
        )
        top = np.argpartition(-score, 7, axis=1)[:, :7]
        order = np.argsort(-np.take_along_axis(score, top, axis=1), axis=1)
        ranked[start:stop] = np.take_along_axis(top, order, axis=1)
    bits = np.uint64(1) << ranked.astype(np.uint64)
    keep = np.arange(7) < n_tags[:, None]
    tags = np.bitwise_or.reduce(np.where(keep, bits, np.uint64(0)), axis=1).astype(np.uint64)
    return tags, ranked, n_tags


def _has_tag(tags: np.ndarray, tag: str) -> np.ndarray:
    return ((tags >> np.uint64(_TAG_INDEX[tag])) & np.uint64(1)) == 1


def _answers(
    gender: np.ndarray,
    age: np.ndarray,
    city: np.ndarray,
    education: np.ndarray,
    tags: np.ndarray,
    traditional: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Questionnaire answers (1..5, 0 unanswered) and importance (0..3, 0 unanswered)."""
    n = gender.size
    male = gender == 1
    level = np.where(education > 0, education, 3).astype(np.float32)
    small_city = city >= CITIES.index("湖州")
    pets_tag = _has_tag(tags, "猫") | _has_tag(tags, "狗")
    means = {
        "kids": 3.8 + 0.5 * traditional + 0.03 * (age - 28) - 0.2 * (~male),
        "city_move": 2.8 - 0.2 * traditional + 0.5 * small_city - 0.4 * (city == 0),
        "saving": 3.4 + 0.3 * traditional,
        "family_time": 3.9 + 0.4 * traditional,
        "pets": 2.8 + 1.6 * pets_tag,
        "smoking": np.where(male, 2.6, 1.6),
        "religion_importance": 1.4 + 0.2 * traditional,
        "career_first": 3.0 - 0.3 * traditional + 0.2 * (level - 3),
    }
    answers = np.empty((n, len(_QUESTION_KEYS)), dtype=np.int8)
    importance = np.empty((n, len(_QUESTION_KEYS)), dtype=np.int8)
    for q, key in enumerate(_QUESTION_KEYS):
        raw = means[key] + rng.normal(0.0, 1.0, n)
        answers[:, q] = np.clip(np.rint(raw), 1, 5)
        importance[:, q] = rng.choice(4, size=n, p=_IMPORTANCE_P[key])
    skipped = rng.random((n, len(_QUESTION_KEYS))) < _SKIPPED_QUESTION_SHARE
    skipped |= (rng.random(n) < _NO_QUESTIONNAIRE_SHARE)[:, None]
    answers[skipped] = 0
    importance[skipped] = 0
    return answers, importance


def _preferences(
    gender: np.ndarray,
    age: np.ndarray,
    city: np.ndarray,
    height: np.ndarray,
    education: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = gender.size
    male = gender == 1

    # Age: men mostly younger-to-similar, women similar-to-older; 3..10 years wide.
    wide = rng.integers(2, 8, n)
    narrow = rng.integers(0, 4, n)
    below = np.where(male, wide, narrow)
    above = np.where(male, narrow, wide)
    width = np.clip(below + above, 3, 10)
    age_min = np.maximum(age - below, MIN_AGE)
    age_max = np.maximum(age_min + width, age + above)
    age_max = np.minimum(age_max, age_min + 10)

    # Cities: 55 % own city only, 20 % own and one or two neighbours, 25 % anywhere.
    kind = rng.choice(3, size=n, p=[0.55, 0.20, 0.25])
    city_mask = np.where(kind == 0, np.uint16(1) << city.astype(np.uint16), 0).astype(np.uint16)
    for c, name in enumerate(CITIES):
        sel = np.flatnonzero((kind == 1) & (city == c))
        if not sel.size:
            continue
        near = np.asarray([CITIES.index(x) for x in NEIGHBOURS[name]], dtype=np.uint16)
        order = np.argsort(rng.random((sel.size, near.size)), axis=1)
        count = rng.integers(1, min(2, near.size) + 1, sel.size)
        mask = np.full(sel.size, 1 << c, dtype=np.uint16)
        for k in range(min(2, near.size)):
            mask |= np.where(count > k, np.uint16(1) << near[order[:, k]], 0).astype(np.uint16)
        city_mask[sel] = mask

    # Education: women set a minimum more often; at most their own level.
    sets_education = rng.random(n) < np.where(male, 0.12, 0.30)
    wanted = rng.choice([2, 3, 3, 4], size=n)
    own = np.where(education > 0, education, 3)
    min_education = np.where(sets_education, np.minimum(wanted, own), 0).astype(np.int8)

    # Height: many women want a taller partner; some men want a shorter one.
    nice = np.asarray([160, 165, 168, 170, 172, 175, 178, 180], dtype=np.int16)
    own_h = np.where(height > 0, height, np.where(male, 172, 160))

    def snap(values: np.ndarray) -> np.ndarray:
        return nice[np.abs(values[:, None] - nice[None, :]).argmin(axis=1)]

    u = rng.random(n)
    woman_min = snap(own_h + rng.integers(5, 16, n))
    man_max = snap(own_h + rng.integers(-2, 4, n))
    man_min = rng.choice(np.asarray([150, 152, 155, 158], dtype=np.int16), size=n)
    height_min = np.where(~male & (u < 0.40), woman_min, 0)
    height_min = np.where(male & (u < 0.08), man_min, height_min).astype(np.int16)
    height_max = np.where(male & (u >= 0.85), man_max, _NO_HEIGHT_MAX)
    height_max = np.where(~male & (u >= 0.94), 190, height_max).astype(np.int16)

    # A few members whose preferences nobody can meet: half want someone 2 m tall,
    # half want someone younger than any member.
    unmatchable = np.zeros(n, dtype=bool)
    count = round(n * IMPOSSIBLE_SHARE)
    if count:
        chosen = rng.choice(n, size=count, replace=False)
        unmatchable[chosen] = True
        tall, young = chosen[: (count + 1) // 2], chosen[(count + 1) // 2 :]
        height_min[tall] = rng.choice([200, 205, 210], size=tall.size)
        height_max[tall] = _NO_HEIGHT_MAX
        age_min[young], age_max[young] = MIN_AGE - 2, MIN_AGE - 1

    return {
        "age_min": age_min.astype(np.int16),
        "age_max": age_max.astype(np.int16),
        "city_mask": city_mask,
        "min_education": min_education,
        "height_min": height_min,
        "height_max": height_max,
        "unmatchable": unmatchable,
    }


# Bio templates; {a} and {b} are tag phrases, {place} the city's lake or river.
_INTRO = (
    "我是一名{occ}，在{city}工作。",
    "在{city}做{occ}，工作比较稳定。",
    "目前在{city}，职业是{occ}。",
    "{city}人，现在是一名{occ}。",
)
_INTRO_NO_OCC = ("在{city}工作和生活。", "{city}人，工作稳定。")
_HOBBY_ONE = (
    "空闲时间一般会{a}。",
    "最近迷上了{a}。",
    "下班后喜欢{a}，放松一下。",
    "平时最大的爱好是{a}。",
)
_HOBBY_TWO = (
    "周末喜欢{a}，也爱{b}。",
    "平时喜欢{a}和{b}。",
    "业余时间喜欢{a}，偶尔也{b}。",
)
_HOBBY_OUT_HOME = "周末喜欢去{place}边{a}，也爱在家{b}。"
_PERSONAL = ("我是个{p}的人，", "朋友都说我{p}，")
_PERSONAL_END = ("希望遇到聊得来的你。", "慢慢了解，认真生活。", "想找一个真诚的人。")
_WISH = (
    "希望找一个能一起{a}的人。",
    "希望另一半也喜欢{a}。",
    "想找一个真诚、踏实的人。",
    "期待遇到三观一致的你。",
    "希望遇到彼此珍惜的人，一起好好生活。",
)
_PETS = {"猫": "家里养了一只猫。", "狗": "养了一只狗，每天都要遛。"}
_WHERE = tuple(row[5] for row in _TAG_TABLE)


def _bios(
    col: PopulationColumns,
    occupation: np.ndarray,
    ranked: np.ndarray,
    n_tags: np.ndarray,
    extra: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    """One to three short sentences per member, from their tags, occupation and city."""
    n = occupation.size
    n_sentences = rng.choice(4, size=n, p=[_EMPTY_BIO_SHARE, 0.25, 0.43, 0.28]).tolist()
    draws = rng.integers(0, 1 << 30, size=(n, 8)).tolist()
    strongest = np.argmax(col.taste, axis=1).tolist()
    city_list = col.city.tolist()
    occupation_list = occupation.tolist()
    ranked_list = ranked.tolist()
    n_tags_list = n_tags.tolist()
    extra_list = extra.tolist()
    bios: list[str] = []
    for i in range(n):
        count = n_sentences[i]
        if not count:
            bios.append("")
            continue
        r = draws[i]
        c = city_list[i]
        # Interests the bio talks about: the member's top tags, sometimes one more.
        topics = ranked_list[i][: n_tags_list[i]]
        if extra_list[i] >= 0:
            topics = [*topics[:2], extra_list[i]]
        first = topics[r[0] % len(topics)]
        others = [t for t in topics if t != first]
        second = others[r[1] % len(others)] if others else -1
        sentences: list[str] = []
        # Hobby sentence (always).
        pets = [t for t in (first, second) if TAGS[t] in _PETS] if second >= 0 else []
        if pets and r[2] % 3 == 0:
            sentences.append(_PETS[TAGS[pets[0]]])
        elif second < 0:
            sentences.append(_HOBBY_ONE[r[2] % len(_HOBBY_ONE)].format(a=_TAG_PHRASES[first]))
        else:
            out_home = (_WHERE[first], _WHERE[second])
            if out_home == ("out", "home") and r[3] % 2 == 0:
                sentences.append(
                    _HOBBY_OUT_HOME.format(
                        place=_CITY_PLACES[c], a=_TAG_PHRASES[first], b=_TAG_PHRASES[second]
                    )
                )
            else:
                template = _HOBBY_TWO[r[2] % len(_HOBBY_TWO)]
                sentences.append(template.format(a=_TAG_PHRASES[first], b=_TAG_PHRASES[second]))
        if count >= 2:
            occ = occupation_list[i]
            if r[4] % 3 == 0:
                words = _PERSONALITY[strongest[i]]
                sentences.append(
                    _PERSONAL[r[5] % len(_PERSONAL)].format(p=words[r[6] % len(words)])
                    + _PERSONAL_END[r[7] % len(_PERSONAL_END)]
                )
            elif occ >= 0:
                sentences.insert(
                    0, _INTRO[r[5] % len(_INTRO)].format(occ=OCCUPATIONS[occ], city=CITIES[c])
                )
            else:
                sentences.insert(0, _INTRO_NO_OCC[r[5] % len(_INTRO_NO_OCC)].format(city=CITIES[c]))
        if count >= 3:
            wish_topic = second if second >= 0 else first
            sentences.append(_WISH[r[7] % len(_WISH)].format(a=_TAG_PHRASES[wish_topic]))
        bios.append("".join(sentences))
    return bios


def _profiles(
    col: PopulationColumns,
    first_id: int,
    birth_ordinal: np.ndarray,
    occupation: np.ndarray,
    bios: list[str],
    rng: np.random.Generator,
) -> list[Profile]:
    """The Profile objects. Immutable values (dates, tag and city sets) are shared."""
    n = occupation.size
    dates: dict[int, date] = {}
    tag_sets: dict[int, frozenset[str]] = {}
    city_sets: dict[int, frozenset[str]] = {}
    # Unknown education is stored as None for some members and 0 for others.
    education_none = (rng.random(n) < 0.5).tolist()

    def tag_set(mask: int) -> frozenset[str]:
        found = tag_sets.get(mask)
        if found is None:
            found = frozenset(TAGS[j] for j in range(len(TAGS)) if mask >> j & 1)
            tag_sets[mask] = found
        return found

    def city_set(mask: int) -> frozenset[str]:
        found = city_sets.get(mask)
        if found is None:
            found = frozenset(CITIES[j] for j in range(len(CITIES)) if mask >> j & 1)
            city_sets[mask] = found
        return found

    keys = _QUESTION_KEYS
    genders = ("F", "M")
    profiles: list[Profile] = []
    columns = zip(
        col.gender.tolist(),
        birth_ordinal.tolist(),
        col.city.tolist(),
        col.height.tolist(),
        col.education.tolist(),
        occupation.tolist(),
        col.tags.tolist(),
        bios,
        col.answers.tolist(),
        col.importance.tolist(),
        col.age_min.tolist(),
        col.age_max.tolist(),
        col.city_mask.tolist(),
        col.min_education.tolist(),
        col.height_min.tolist(),
        col.height_max.tolist(),
        education_none,
        strict=True,
    )
    for i, (
        g,
        born,
        c,
        h,
        edu,
        occ,
        tags,
        bio,
        ans,
        imp,
        a_min,
        a_max,
        cm,
        me,
        h_min,
        h_max,
        en,
    ) in enumerate(columns):
        birth = dates.get(born)
        if birth is None:
            birth = dates[born] = date.fromordinal(born)
        answers = {k: a for k, a in zip(keys, ans, strict=True) if a}
        importance = {k: m for k, m, a in zip(keys, imp, ans, strict=True) if a}
        profiles.append(
            Profile(
                id=first_id + i,
                gender=genders[g],
                birth_date=birth,
                city=CITIES[c],
                height_cm=h or None,
                education=(None if en else 0) if edu == 0 else edu,
                occupation=OCCUPATIONS[occ] if occ >= 0 else None,
                tags=tag_set(tags),
                bio=bio,
                answers=answers,
                answer_importance=importance,
                wants_gender=genders[1 - g],
                age_min=a_min,
                age_max=a_max,
                cities=city_set(cm),
                min_education=me or None,
                height_min=h_min or None,
                height_max=None if h_max == _NO_HEIGHT_MAX else h_max,
            )
        )
    return profiles
