"""matching.metrics: the independent eligibility rule and the suggestion measures, against
hand-computed values."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching.metrics import (
    ProfileColumns,
    constraint_violations,
    coverage,
    eligible,
    exposure_counts,
    exposure_gini,
    gini,
    meets,
    members_with_eligible_candidate,
    precision_at_k,
    repeats,
)
from matching.types import History, Profile, Suggestion

DAY = date(2025, 6, 15)
CITIES = ("杭州", "宁波", "温州", "绍兴")


def woman(**changes: object) -> Profile:
    base = Profile(
        id=1,
        gender="F",
        birth_date=date(1997, 6, 15),
        city="杭州",
        height_cm=163,
        education=3,
        age_min=25,
        age_max=35,
    )
    return replace(base, **changes)


def man(**changes: object) -> Profile:
    base = Profile(
        id=2,
        gender="M",
        birth_date=date(1995, 3, 1),
        city="宁波",
        height_cm=178,
        education=4,
        age_min=22,
        age_max=30,
    )
    return replace(base, **changes)


def s(*ids: int) -> list[Suggestion]:
    return [Suggestion(candidate_id=i, score=0.5) for i in ids]


# --- eligibility -----------------------------------------------------------------------


def test_a_plain_pair_is_eligible_both_ways() -> None:
    assert eligible(woman(), man(), DAY)
    assert eligible(man(), woman(), DAY)


def test_gender_wanted() -> None:
    assert not eligible(woman(), man(id=3, gender="F"), DAY)
    assert not eligible(woman(wants_gender="F"), man(), DAY)
    assert eligible(woman(wants_gender="F"), woman(id=3, wants_gender="F"), DAY)


def test_age_range_counts_the_birthday_on_the_day() -> None:
    # The woman turns 28 on DAY; the man is 30.
    assert woman().age_on(DAY) == 28
    assert eligible(woman(), man(age_max=28), DAY)
    assert not eligible(woman(), man(age_max=27), DAY)
    assert not eligible(woman(), man(age_max=27), DAY)
    assert eligible(woman(), man(age_min=28), DAY)
    assert not eligible(woman(), man(age_min=28), date(2025, 6, 14))  # still 27
    assert not eligible(woman(age_max=29), man(), DAY)
    assert eligible(woman(age_min=30, age_max=30), man(), DAY)


def test_cities_empty_means_any() -> None:
    assert eligible(woman(cities=frozenset()), man(), DAY)
    assert eligible(woman(cities=frozenset({"宁波", "温州"})), man(), DAY)
    assert not eligible(woman(cities=frozenset({"杭州"})), man(), DAY)
    assert not eligible(woman(), man(cities=frozenset({"宁波"})), DAY)


def test_minimum_education_and_unknown_education() -> None:
    assert eligible(woman(min_education=4), man(), DAY)
    assert not eligible(woman(min_education=5), man(), DAY)
    assert not eligible(woman(min_education=1), man(education=None), DAY)
    assert eligible(woman(), man(education=None), DAY)  # no requirement set
    assert not eligible(woman(education=2), man(min_education=3), DAY)


def test_height_range_and_unknown_height() -> None:
    assert eligible(woman(height_min=178, height_max=178), man(), DAY)
    assert not eligible(woman(height_min=179), man(), DAY)
    assert not eligible(woman(height_max=177), man(), DAY)
    assert not eligible(woman(height_min=160), man(height_cm=None), DAY)
    assert not eligible(woman(height_max=190), man(height_cm=None), DAY)
    assert eligible(woman(), man(height_cm=None), DAY)
    assert not eligible(woman(height_cm=None), man(height_max=170), DAY)


def test_nobody_is_eligible_with_themself() -> None:
    me = woman(wants_gender="F")
    assert meets(me, me, DAY)
    assert not eligible(me, me, DAY)


def random_population(n: int, seed: int) -> list[Profile]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        gender = rng.choice("FM")
        low = rng.randint(20, 40)
        height_min = rng.choice([None, 150, 160, 170, 175])
        people.append(
            Profile(
                id=100 + 3 * i,
                gender=gender,
                birth_date=date(rng.randint(1975, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                city=rng.choice(CITIES),
                height_cm=rng.choice([None, *range(150, 190, 3)]),
                education=rng.choice([None, 0, 1, 2, 3, 4, 5]),
                wants_gender=rng.choice(["", "", "", "F", "M"]),
                age_min=low,
                age_max=low + rng.randint(0, 15),
                cities=frozenset(rng.sample(CITIES, rng.choice([0, 0, 1, 2, 3]))),
                min_education=rng.choice([None, None, 0, 2, 3, 4]),
                height_min=height_min,
                height_max=rng.choice([None, 165, 175, 185]),
            )
        )
    return people


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_columns_agree_with_the_scalar_rule_on_every_pair(seed: int) -> None:
    people = random_population(120, seed)
    columns = ProfileColumns.from_profiles(people, DAY)
    expected = np.array([[eligible(a, b, DAY) for b in people] for a in people])
    rows = np.arange(len(people))
    assert (columns.eligible(rows[:, None], rows[None, :]) == expected).all()
    assert expected.any()  # the population is not trivially empty
    ids = columns.ids
    assert (columns.eligible_ids(ids[:, None], ids[None, :]) == expected).all()


def test_many_cities_use_several_mask_words() -> None:
    many = [f"city{i}" for i in range(150)]
    people = [
        woman(id=1, cities=frozenset(many) - {"city20"}),
        man(id=2, city="city140"),
        man(id=3, city="city20"),
    ]
    columns = ProfileColumns.from_profiles(people, DAY)
    assert columns.city_mask.shape[1] >= 3
    assert columns.eligible_ids([1, 1], [2, 3]).tolist() == [True, False]


def test_unknown_ids_are_not_eligible() -> None:
    columns = ProfileColumns.from_profiles([woman(), man()], DAY)
    assert columns.rows([2, 1, 99]).tolist() == [1, 0, -1]
    assert columns.eligible_ids([1, 1, 99], [2, 99, 2]).tolist() == [True, False, False]


def test_members_with_an_eligible_candidate_exact_and_estimated() -> None:
    people = random_population(300, 7)
    columns = ProfileColumns.from_profiles(people, DAY)
    truth = {a.id for a in people if any(eligible(a, b, DAY) for b in people)}
    assert 0 < len(truth) < len(people)
    ids, exact = members_with_eligible_candidate(columns, sample_size=20)
    assert exact
    assert set(ids.tolist()) == truth
    ids, exact = members_with_eligible_candidate(columns, sample_size=5, max_pair_checks=50)
    assert not exact
    assert set(ids.tolist()) <= truth
    nobody = next(p.id for p in people if p.id not in truth)
    ids, _ = members_with_eligible_candidate(columns, known=[nobody])
    assert nobody in set(ids.tolist())


# --- violations, repeats ---------------------------------------------------------------


def test_constraint_violations_count_bad_slots() -> None:
    people = [woman(id=1), man(id=2), man(id=3, age_max=26), man(id=4, gender="F")]
    suggestions = {
        1: s(2, 3, 4, 99),  # ok, too old for 3, wrong gender, unknown
        2: s(1),  # ok
        3: s(1),  # too old for 3
        99: s(1),  # unknown viewer
        5: [],
    }
    assert constraint_violations(people, suggestions, DAY) == 5
    columns = ProfileColumns.from_profiles(people, DAY)
    assert constraint_violations(columns, suggestions, DAY) == 5
    with pytest.raises(ValueError):
        constraint_violations(columns, suggestions, date(2025, 6, 16))


def test_repeats_window_blocks_and_matches() -> None:
    history = History(
        shown=[
            (1, 2, date(2025, 6, 14)),  # yesterday: a repeat
            (1, 3, date(2025, 5, 16)),  # 30 days ago: a repeat
            (1, 4, date(2025, 5, 15)),  # 31 days ago: allowed again
            (1, 5, DAY),  # today (a re-run): not before the day
            (6, 1, date(2025, 6, 1)),  # shown the other way round
        ],
        blocks=[(7, 1)],
        matches=[(1, 8)],
    )
    suggestions = {1: s(2, 3, 4, 5, 6, 7, 8, 9)}
    assert repeats(suggestions, history, DAY) == 4  # 2, 3, 7 (blocked), 8 (matched)
    assert repeats(suggestions, history, DAY, either_direction=True) == 5  # and 6
    assert repeats(suggestions, history, DAY, window_days=29) == 3
    assert repeats({}, history, DAY) == 0
    assert repeats(suggestions, History(), DAY) == 0


# --- precision, exposure, coverage -----------------------------------------------------


def likes_from(pairs: set[tuple[int, int]]):
    def would_like_pairs(viewers: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return np.array(
            [(int(v), int(c)) in pairs for v, c in zip(viewers, candidates, strict=True)],
            dtype=bool,
        )

    return would_like_pairs


def test_precision_at_k_counts_reciprocal_likes_over_k_slots_per_viewer() -> None:
    likes = likes_from({(1, 2), (2, 1), (1, 3), (4, 5), (5, 4), (1, 7), (7, 1)})
    suggestions = {1: s(2, 3, 7), 4: s(5), 6: []}
    # k=2: slots 2 viewers x 2 = 4; hits (1,2) and (4,5); (1,3) one-sided; 7 beyond k.
    assert precision_at_k(suggestions, likes, 2) == pytest.approx(0.5)
    assert precision_at_k(suggestions, likes, 1) == pytest.approx(1.0)
    # k=3: 6 slots, hits (1,2) (1,7) (4,5).
    assert precision_at_k(suggestions, likes, 3) == pytest.approx(0.5)
    assert precision_at_k({6: []}, likes, 3) == 0.0
    with pytest.raises(ValueError):
        precision_at_k(suggestions, likes, 0)


def test_gini_hand_values() -> None:
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([4, 3, 2, 1]) == pytest.approx(0.25)
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


def test_exposure_counts_lists_and_includes_zeros() -> None:
    suggestions = {1: s(2, 2, 3), 4: s(2), 5: s(77)}  # 77 is not a member: ignored
    assert exposure_counts(suggestions, [1, 2, 3, 4]).tolist() == [0, 2, 1, 0]
    # sorted 0 0 1 2: (-3*0 - 1*0 + 1*1 + 3*2) / (4 * 3) = 7/12
    assert exposure_gini(suggestions, [1, 2, 3, 4]) == pytest.approx(7 / 12)
    assert exposure_gini({}, [1, 2]) == 0.0


def test_coverage() -> None:
    suggestions = {1: s(2), 2: [], 5: s(1)}
    assert coverage(suggestions, [1, 2, 3, 4]) == pytest.approx(0.25)
    assert coverage(suggestions, []) == 1.0
    assert coverage(suggestions, {1, 5}) == 1.0
