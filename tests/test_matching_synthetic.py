"""benchmarks.synthetic: plausible members, valid profiles, and a learnable ground truth."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import (
    CITIES,
    NEIGHBOURS,
    OCCUPATIONS,
    QUESTIONS,
    TAGS,
    SyntheticPopulation,
    generate,
)
from matching.types import Profile

TODAY = date(2026, 11, 28)
N = 5000


@pytest.fixture(scope="module")
def pop() -> SyntheticPopulation:
    return generate(N, seed=11, today=TODAY)


@pytest.fixture(scope="module")
def eligible_pairs(pop: SyntheticPopulation) -> tuple[np.ndarray, np.ndarray]:
    """Random mutually eligible (viewer, candidate) pairs."""
    rng = np.random.default_rng(1)
    a = rng.integers(0, N, 2_000_000) + pop.first_id
    b = rng.integers(0, N, 2_000_000) + pop.first_id
    keep = pop.mutually_eligible(a, b)
    return a[keep], b[keep]


def _share(values: list[bool]) -> float:
    return sum(values) / len(values)


# -- determinism and ids --------------------------------------------------------------------


def test_same_seed_same_population() -> None:
    one, two = generate(400, seed=3, today=TODAY), generate(400, seed=3, today=TODAY)
    assert one.profiles == two.profiles
    a, b = np.meshgrid(one.ids, one.ids)
    assert np.array_equal(one.would_like_pairs(a, b), two.would_like_pairs(a, b))
    other = generate(400, seed=4, today=TODAY)
    assert one.profiles != other.profiles


def test_ids_are_consecutive_from_first_id() -> None:
    pop = generate(50, seed=1, today=TODAY, first_id=1001)
    assert [p.id for p in pop.profiles] == list(range(1001, 1051))
    assert pop.ids.tolist() == list(range(1001, 1051))
    assert pop.profile(1017).id == 1017
    with pytest.raises(KeyError):
        pop.would_like(1000, 1001)
    with pytest.raises(KeyError):
        pop.would_like_pairs(np.array([1001]), np.array([1051]))


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_populations(n: int) -> None:
    pop = generate(n, seed=0, today=TODAY)
    assert len(pop.profiles) == n
    assert pop.would_like_pairs(pop.ids, pop.ids).tolist() == [False] * n


def test_ages_are_exact_on_today_even_on_29_february() -> None:
    for today in (TODAY, date(2028, 2, 29), date(2027, 1, 1)):
        pop = generate(2000, seed=2, today=today)
        ages = [p.age_on(today) for p in pop.profiles]
        assert ages == pop.columns.age.tolist()


# -- distributions ----------------------------------------------------------------------------


def test_ages_and_genders(pop: SyntheticPopulation) -> None:
    ages = np.array([p.age_on(TODAY) for p in pop.profiles])
    assert ages.min() >= 20
    assert ages.max() <= 45
    assert np.mean((ages >= 20) & (ages <= 40)) > 0.95
    assert 26 <= np.median(ages) <= 31
    mode = Counter(ages.tolist()).most_common(1)[0][0]
    assert 26 <= mode <= 31
    assert 0.46 <= _share([p.gender == "M" for p in pop.profiles]) <= 0.54
    assert all(p.wanted_gender != p.gender for p in pop.profiles)


def test_cities(pop: SyntheticPopulation) -> None:
    counts = Counter(p.city for p in pop.profiles)
    assert set(counts) == set(CITIES)
    assert len(CITIES) == 11
    assert [city for city, _ in counts.most_common(2)] == ["杭州", "宁波"]
    assert all(set(NEIGHBOURS[c]) <= set(CITIES) for c in CITIES)
    assert all(c in NEIGHBOURS[n] for c in CITIES for n in NEIGHBOURS[c])  # symmetric


def test_heights(pop: SyntheticPopulation) -> None:
    for gender, mean in (("M", 172), ("F", 160)):
        heights = [p.height_cm for p in pop.profiles if p.gender == gender]
        known = np.array([h for h in heights if h is not None])
        assert abs(known.mean() - mean) < 1.5
        assert 3 < known.std() < 8
        assert known.min() >= 140 and known.max() < 200
        assert 0.05 < heights.count(None) / len(heights) < 0.15


def test_education_occupation_tags(pop: SyntheticPopulation) -> None:
    education = Counter(p.education for p in pop.profiles)
    assert education.most_common(1)[0][0] == 3  # bachelor
    assert set(education) == {None, 0, 1, 2, 3, 4, 5}
    assert education[None] + education[0] < 0.08 * N
    occupations = Counter(p.occupation for p in pop.profiles)
    assert set(occupations) - {None} <= set(OCCUPATIONS)
    assert len(occupations) >= 20
    assert 20 <= len(OCCUPATIONS) <= 30
    assert len(set(TAGS)) == len(TAGS) >= 35
    assert all(1 <= len(p.tags) <= 6 and p.tags <= set(TAGS) for p in pop.profiles)
    assert len({t for p in pop.profiles for t in p.tags}) == len(TAGS)


def test_questionnaire(pop: SyntheticPopulation) -> None:
    assert len(QUESTIONS) == 8
    assert {"kids", "city_move", "smoking"} <= set(QUESTIONS)
    answered = [p for p in pop.profiles if p.answers]
    assert 0.9 < len(answered) / N < 0.99
    for p in pop.profiles:
        assert set(p.answers) <= set(QUESTIONS)
        assert set(p.answer_importance) == set(p.answers)
        assert all(1 <= a <= 5 for a in p.answers.values())
        assert all(0 <= m <= 3 for m in p.answer_importance.values())
    kids = Counter(p.answers.get("kids") for p in answered)
    assert len(kids) >= 5


def test_bios_are_chinese_and_follow_tags(pop: SyntheticPopulation) -> None:
    from benchmarks.synthetic import _TAG_PHRASES

    phrase = dict(zip(TAGS, _TAG_PHRASES, strict=True))
    bios = [p for p in pop.profiles if p.bio]
    assert 0.9 < len(bios) / N < 0.99
    assert all(p.bio.endswith("。") and len(p.bio) < 120 for p in bios)
    assert all("{" not in p.bio for p in bios)
    sentences = Counter(p.bio.count("。") for p in bios)
    assert set(sentences) <= {1, 2, 3, 4} and sentences[1] and sentences[2] and sentences[3]

    def mentions(bio: str, tags: frozenset[str]) -> bool:
        return any(phrase[t] in bio for t in tags) or ("猫" in tags and "猫" in bio)

    own = _share([mentions(p.bio, p.tags) for p in bios])
    shuffled = _share([mentions(p.bio, q.tags) for p, q in itertools.pairwise(bios)])
    assert own > 0.85
    assert shuffled < 0.5
    assert any(p.occupation and p.occupation in p.bio for p in bios)
    assert any(p.city in p.bio for p in bios)


# -- profiles and preferences ------------------------------------------------------------------


def _valid(p: Profile) -> None:
    assert p.gender in ("F", "M")
    assert p.wants_gender in ("F", "M") and p.wants_gender != p.gender
    assert p.age_min <= p.age_max
    assert p.cities <= set(CITIES)
    assert p.min_education is None or 1 <= p.min_education <= 5
    assert p.height_min is None or 140 <= p.height_min <= 210
    assert p.height_max is None or 150 <= p.height_max <= 210
    if p.height_min is not None and p.height_max is not None:
        assert p.height_min <= p.height_max
    assert p.education is None or 0 <= p.education <= 5
    assert p.height_cm is None or 140 <= p.height_cm < 200


def test_every_profile_is_valid(pop: SyntheticPopulation) -> None:
    unmatchable = set(pop.unmatchable_ids)
    for p in pop.profiles:
        _valid(p)
        if p.id not in unmatchable:
            assert p.age_min <= p.age_on(TODAY) <= p.age_max
            assert 3 <= p.age_max - p.age_min <= 10
            assert p.age_min >= 20


@settings(max_examples=15, deadline=None)
@given(n=st.integers(0, 300), seed=st.integers(0, 2**32 - 1), first_id=st.integers(1, 10**9))
def test_profiles_valid_for_any_seed(n: int, seed: int, first_id: int) -> None:
    pop = generate(n, seed=seed, today=TODAY, first_id=first_id)
    assert [p.id for p in pop.profiles] == list(range(first_id, first_id + n))
    for p in pop.profiles:
        _valid(p)


def test_age_preferences_lean_by_gender(pop: SyntheticPopulation) -> None:
    def lean(gender: str) -> float:
        return float(
            np.mean(
                [
                    (p.age_min + p.age_max) / 2 - p.age_on(TODAY)
                    for p in pop.profiles
                    if p.gender == gender and p.age_on(TODAY) >= 28
                ]
            )
        )

    assert lean("M") < -0.5  # men: younger to similar
    assert lean("F") > 0.5  # women: similar to older


def test_city_and_other_preferences(pop: SyntheticPopulation) -> None:
    own_only = _share([p.cities == {p.city} for p in pop.profiles])
    neighbours = [p for p in pop.profiles if len(p.cities) > 1]
    anywhere = _share([not p.cities for p in pop.profiles])
    assert 0.50 < own_only < 0.60
    assert 0.16 < len(neighbours) / N < 0.24
    assert 0.21 < anywhere < 0.29
    for p in neighbours:
        assert p.city in p.cities and len(p.cities) <= 3
        assert p.cities - {p.city} <= set(NEIGHBOURS[p.city])
    women = [p for p in pop.profiles if p.gender == "F"]
    men = [p for p in pop.profiles if p.gender == "M"]
    assert _share([p.height_min is not None for p in women]) > 2 * _share(
        [p.height_min is not None for p in men]
    )
    assert 0.1 < _share([p.min_education is not None for p in pop.profiles]) < 0.4


def test_columns_mirror_profiles(pop: SyntheticPopulation) -> None:
    col = pop.columns
    for i, p in enumerate(pop.profiles[:500]):
        assert col.gender[i] == (p.gender == "M")
        assert CITIES[col.city[i]] == p.city
        assert col.height[i] == (p.height_cm or 0)
        assert col.education[i] == (p.education or 0)
        assert {TAGS[j] for j in range(len(TAGS)) if int(col.tags[i]) >> j & 1} == p.tags
        assert col.age_min[i] == p.age_min and col.age_max[i] == p.age_max


def test_most_members_have_candidates_and_a_few_have_none(pop: SyntheticPopulation) -> None:
    rng = np.random.default_rng(2)
    unmatchable = set(pop.unmatchable_ids)
    sample = [i for i in rng.choice(pop.ids, 300, replace=False) if i not in unmatchable]
    counts = np.array(
        [pop.mutually_eligible(np.full(N, i), pop.ids).sum() for i in sample], dtype=float
    )
    assert np.median(counts) >= 40  # about 1 % of the (opposite-gender) population
    assert np.mean(counts >= 5) > 0.9
    assert np.mean(counts < 20) > 0.03  # some are strict

    # About 0.5 % want what nobody has; their preferences still look like preferences.
    assert 10 <= len(unmatchable) <= 40
    for member in unmatchable:
        assert not pop.meets_preferences(np.full(N, member), pop.ids).any()
        _valid(pop.profile(member))


def test_impossible_members_exist_from_1000() -> None:
    pop = generate(1000, seed=5, today=TODAY)
    assert 3 <= len(pop.unmatchable_ids) <= 10


# -- ground truth --------------------------------------------------------------------------------


def test_would_like_pairs_agrees_with_would_like(pop: SyntheticPopulation) -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, N, 400) + pop.first_id
    b = rng.integers(0, N, 400) + pop.first_id
    vectorised = pop.would_like_pairs(a, b)
    assert vectorised.dtype == bool and vectorised.shape == (400,)
    assert vectorised.tolist() == [
        pop.would_like(int(x), int(y)) for x, y in zip(a, b, strict=True)
    ]
    assert pop.would_like_pairs(a.reshape(20, 20), b.reshape(20, 20)).shape == (20, 20)
    assert pop.would_like_pairs([], []).shape == (0,)


def test_nobody_likes_themselves_or_the_unwanted_gender(pop: SyntheticPopulation) -> None:
    ids = pop.ids
    assert not pop.would_like_pairs(ids, ids).any()
    men = ids[pop.columns.gender == 1]
    assert not pop.would_like_pairs(men[:-1], men[1:]).any()


def test_like_rates_among_eligible_pairs(
    pop: SyntheticPopulation, eligible_pairs: tuple[np.ndarray, np.ndarray]
) -> None:
    a, b = eligible_pairs
    assert a.size > 20_000
    ab, ba = pop.would_like_pairs(a, b), pop.would_like_pairs(b, a)
    assert 0.20 <= ab.mean() <= 0.30
    assert 0.05 <= (ab & ba).mean() <= 0.10
    assert abs(pop.like_probability(a, b).mean() - ab.mean()) < 0.01
    # Tastes differ: some viewers like almost nobody, some many.
    p = pop.like_probability(a, b)
    rates = [p[a == v].mean() for v in np.unique(a)[:2000] if (a == v).sum() >= 10]
    assert np.percentile(rates, 90) > 2 * np.percentile(rates, 10)


def test_violated_preferences_are_rarely_liked(pop: SyntheticPopulation) -> None:
    rng = np.random.default_rng(4)
    a = rng.integers(0, N, 200_000) + pop.first_id
    b = rng.integers(0, N, 200_000) + pop.first_id
    keep = pop.columns.gender[a - pop.first_id] != pop.columns.gender[b - pop.first_id]
    a, b = a[keep], b[keep]
    meets = pop.meets_preferences(a, b)
    liked = pop.would_like_pairs(a, b)
    assert liked[~meets].mean() < liked[meets].mean() / 5


def _observable(pop: SyntheticPopulation, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Features a matcher can compute from the public profiles alone."""
    shared, agreement, same_city = [], [], []
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        p, q = pop.profile(x), pop.profile(y)
        shared.append(len(p.tags & q.tags))
        same_city.append(p.city == q.city)
        common = [k for k in p.answers if k in q.answers]
        weights = [p.answer_importance.get(k, 1) for k in common]
        if sum(weights):
            diff = sum(
                w * abs(p.answers[k] - q.answers[k]) for k, w in zip(common, weights, strict=True)
            )
            agreement.append(1 - diff / (4 * sum(weights)))
        else:
            agreement.append(np.nan)
    return {
        "shared": np.array(shared),
        "agreement": np.array(agreement),
        "same_city": np.array(same_city),
    }


def test_ground_truth_is_learnable_from_profiles(
    pop: SyntheticPopulation, eligible_pairs: tuple[np.ndarray, np.ndarray]
) -> None:
    a, b = (x[:30_000] for x in eligible_pairs)
    liked = pop.would_like_pairs(a, b)
    f = _observable(pop, a, b)
    good = (f["shared"] >= 2) & (f["agreement"] >= 0.8)
    none = f["shared"] == 0
    assert good.sum() > 200
    assert liked[good].mean() > 2 * liked[none].mean()
    assert liked[good].mean() - liked[none].mean() > 0.25
    # Each observable matters on its own.
    for k in range(3):
        assert liked[f["shared"] == k + 1].mean() > liked[f["shared"] == k].mean() + 0.05
    assert liked[f["agreement"] > 0.8].mean() > liked[f["agreement"] < 0.65].mean() + 0.1
    assert liked[f["same_city"]].mean() > liked[~f["same_city"]].mean() + 0.03


def test_simulate_feedback(pop: SyntheticPopulation, eligible_pairs) -> None:
    a, b = (x[:20_000].tolist() for x in eligible_pairs)
    shown = [(x, y, date(2026, 11, 1 + i % 28)) for i, (x, y) in enumerate(zip(a, b, strict=True))]
    likes, passes = pop.simulate_feedback(shown, rng_seed=7)
    assert len(likes) + len(passes) == len(shown)
    assert set(likes) | set(passes) == set(shown)
    assert likes == pop.simulate_feedback(shown, rng_seed=7)[0]
    assert likes != pop.simulate_feedback(shown, rng_seed=8)[0]
    # Batching does not change the answers.
    half = pop.simulate_feedback(shown[:10_000], rng_seed=7)[0]
    assert likes[: len(half)] == half
    truth = pop.would_like_pairs(np.array(a), np.array(b))
    liked = set(likes)
    observed = np.array([s in liked for s in shown])
    assert 0.86 < np.mean(observed == truth) < 0.94  # about 10 % flipped
    clean = set(pop.simulate_feedback(shown, rng_seed=7, flip_rate=0.0)[0])
    assert [s in clean for s in shown] == truth.tolist()
    assert pop.simulate_feedback([]) == ([], [])


def test_the_generator_draws_from_the_products_vocabulary() -> None:
    from benchmarks import synthetic
    from matching import vocabulary

    assert synthetic.CITIES is vocabulary.CITIES
    assert synthetic.TAGS is vocabulary.TAGS
    assert synthetic.QUESTIONS is vocabulary.QUESTIONS
    assert set(synthetic.NEIGHBOURS) == set(vocabulary.CITIES)
