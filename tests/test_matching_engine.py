"""matching.engine: hard requirements, repeats, blocks, caps, coverage, score, reasons.

Eligibility is checked here by ``meets`` below, written from the issue's rules and not
from the engine's code.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import generate
from matching.engine import Matcher, MatcherConfig
from matching.lists import CandidateLists
from matching.reasons import render
from matching.types import History, Profile, Reason, Suggestion

DAY = date(2025, 6, 15)
CITIES = ("杭州", "宁波", "温州")
TAGS = ("读书", "旅行", "电影", "跑步", "猫")
CJK = re.compile(r"[\u4e00-\u9fff]")


def meets(wisher: Profile, other: Profile, day: date) -> bool:
    """Does ``other`` meet ``wisher``'s hard requirements on ``day``?"""
    wanted = wisher.wants_gender or ("M" if wisher.gender == "F" else "F")
    if other.gender != wanted:
        return False
    age = day.year - other.birth_date.year
    if (day.month, day.day) < (other.birth_date.month, other.birth_date.day):
        age -= 1
    if not wisher.age_min <= age <= wisher.age_max:
        return False
    if wisher.cities and other.city not in wisher.cities:
        return False
    if wisher.min_education and not (other.education or 0) >= wisher.min_education:
        return False
    if wisher.height_min and not (other.height_cm and other.height_cm >= wisher.height_min):
        return False
    return not (
        wisher.height_max and not (other.height_cm and other.height_cm <= wisher.height_max)
    )


def eligible(a: Profile, b: Profile, day: date) -> bool:
    return a.id != b.id and meets(a, b, day) and meets(b, a, day)


def pairs(lists: dict[int, list[Suggestion]]) -> list[tuple[int, int]]:
    return [(v, s.candidate_id) for v, items in lists.items() for s in items]


def person(pid: int, gender: str = "F", **changes: object) -> Profile:
    base = Profile(
        id=pid,
        gender=gender,
        birth_date=date(1996, 3, 1),
        city="杭州",
        height_cm=165 if gender == "F" else 176,
        education=3,
        tags=frozenset({"读书", "旅行"}),
        bio="喜欢看书和旅行。",
        answers={"kids": 4, "pets": 3},
        age_min=24,
        age_max=34,
    )
    return replace(base, **changes)


@st.composite
def populations(draw: st.DrawFn) -> list[Profile]:
    n = draw(st.integers(2, 30))
    out = []
    for i in range(n):
        gender = draw(st.sampled_from("FM"))
        age = draw(st.integers(20, 40))
        low = draw(st.integers(18, 40))
        out.append(
            Profile(
                id=i + 1,
                gender=gender,
                birth_date=date(DAY.year - age, draw(st.integers(1, 12)), draw(st.integers(1, 28))),
                city=draw(st.sampled_from(CITIES)),
                height_cm=draw(st.none() | st.integers(150, 190)),
                education=draw(st.none() | st.integers(0, 5)),
                occupation=draw(st.none() | st.sampled_from(["教师", "医生"])),
                tags=frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=3))),
                bio=draw(st.sampled_from(["", "喜欢旅行", "周末看电影，也爱跑步。"])),
                answers=draw(st.dictionaries(st.sampled_from(["kids", "pets"]), st.integers(1, 5))),
                wants_gender=draw(st.sampled_from(["", "", "F", "M"])),
                age_min=low,
                age_max=low + draw(st.integers(0, 15)),
                cities=frozenset(draw(st.sets(st.sampled_from(CITIES), max_size=2))),
                min_education=draw(st.none() | st.integers(1, 4)),
                height_min=(short := draw(st.none() | st.integers(150, 180))),
                height_max=draw(st.none() | st.integers(max(short or 0, 165), 195)),
            )
        )
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles=populations(), k=st.integers(1, 4), cap=st.integers(1, 4))
def test_every_suggestion_meets_both_sides_requirements(
    profiles: list[Profile], k: int, cap: int
) -> None:
    by_id = {p.id: p for p in profiles}
    matcher = Matcher(MatcherConfig(exposure_cap=cap, workers=1)).fit(profiles)
    lists = matcher.suggest(DAY, k)
    assert set(lists) == set(by_id)
    for viewer, candidate in pairs(lists):
        assert eligible(by_id[viewer], by_id[candidate], DAY)
    for viewer, items in lists.items():
        assert len(items) <= k
        assert len({s.candidate_id for s in items}) == len(items)
        assert all(0.0 <= s.score <= 1.0 and s.reasons for s in items)
        assert [s.score for s in items] == sorted((s.score for s in items), reverse=True)
        # Coverage: whoever has an eligible candidate gets a suggestion.
        if any(eligible(by_id[viewer], other, DAY) for other in profiles):
            assert items
    # The cap gives way only to give someone their single suggestion.
    shown = Counter(c for _, c in pairs(lists))
    only = Counter(items[0].candidate_id for items in lists.values() if len(items) == 1)
    assert all(count <= cap + only[c] for c, count in shown.items())


@pytest.fixture(scope="module")
def population() -> list[Profile]:
    return generate(1500, seed=4, today=DAY).profiles


@pytest.fixture(scope="module")
def day_one(population: list[Profile]) -> dict[int, list[Suggestion]]:
    return Matcher().fit(population).suggest(DAY, 5)


def test_no_repeats_on_the_next_day(
    population: list[Profile], day_one: dict[int, list[Suggestion]]
) -> None:
    shown = [(v, c, DAY) for v, c in pairs(day_one)]
    day_two = Matcher().fit(population, History(shown=shown)).suggest(DAY + timedelta(1), 5)
    assert set(pairs(day_two)).isdisjoint((v, c) for v, c, _ in shown)
    assert sum(len(items) for items in day_two.values()) > 0.8 * len(shown)


def test_a_blocked_pair_never_appears(
    population: list[Profile], day_one: dict[int, list[Suggestion]]
) -> None:
    blocked = pairs(day_one)[:50]
    history = History(blocks=[(c, v) for v, c in blocked])  # blocked by the candidate
    again = set(pairs(Matcher().fit(population, history).suggest(DAY, 5)))
    for v, c in blocked:
        assert (v, c) not in again and (c, v) not in again


def test_matched_and_reacted_pairs_are_not_suggested_again(
    population: list[Profile], day_one: dict[int, list[Suggestion]]
) -> None:
    some = pairs(day_one)[:60]
    matched, liked, passed = some[:20], some[20:40], some[40:]
    history = History(
        matches=matched,
        likes=[(v, c, DAY - timedelta(100)) for v, c in liked],
        passes=[(v, c, DAY - timedelta(100)) for v, c in passed],
    )
    again = set(pairs(Matcher().fit(population, history).suggest(DAY, 5)))
    assert again.isdisjoint(some)
    assert again.isdisjoint((c, v) for v, c in matched)
    assert again.isdisjoint((c, v) for v, c in passed)  # they said no to the viewer


def test_shown_pairs_come_back_after_the_window(population: list[Profile]) -> None:
    matcher = Matcher(MatcherConfig(repeat_window_days=3)).fit(population)
    first = pairs(matcher.suggest(DAY, 5))
    shown = [(v, c, DAY) for v, c in first]
    later = Matcher(MatcherConfig(repeat_window_days=3)).fit(population, History(shown=shown))
    assert set(pairs(later.suggest(DAY + timedelta(3), 5))).isdisjoint(first)
    assert not set(pairs(later.suggest(DAY + timedelta(4), 5))).isdisjoint(first)


def test_exposure_cap_is_respected(population: list[Profile]) -> None:
    lists = Matcher(MatcherConfig(exposure_cap=4)).fit(population).suggest(DAY, 6)
    shown = Counter(c for _, c in pairs(lists))
    singles = {items[0].candidate_id for items in lists.values() if len(items) == 1}
    assert max(count for c, count in shown.items() if c not in singles) <= 4


def test_a_member_nobody_can_satisfy_gets_an_empty_list() -> None:
    picky = person(1, height_min=260, tags=frozenset({"读书"}))  # nobody is that tall
    others = [person(i, "M", age_min=20, age_max=40) for i in range(2, 8)]
    others += [person(i, "F") for i in range(8, 12)]
    lists = Matcher().fit([picky, *others]).suggest(DAY, 3)
    assert lists[1] == []
    assert all(1 not in {s.candidate_id for s in items} for items in lists.values())
    assert all(lists[i] for i in range(2, 8))


def test_nobody_at_all_or_an_empty_population() -> None:
    assert Matcher().fit([]).suggest(DAY, 3) == {}
    lone = Matcher().fit([person(1)])
    assert lone.suggest(DAY, 3) == {1: []}
    assert lone.score(1, 1) == 0.0
    assert lone.explain(1, 2) == []


def test_score_is_symmetric_and_zero_on_a_one_sided_failure() -> None:
    a, b = person(1, "F"), person(2, "M", tags=frozenset({"读书", "猫"}), city="宁波")
    c = person(3, "M", age_max=25)  # a (29) is too old for c; c suits a
    matcher = Matcher().fit([a, b, c, person(4, "F", city="宁波")])
    assert 0 < matcher.score(1, 2, DAY) == matcher.score(2, 1, DAY) <= 1
    assert meets(c, a, DAY) is False and meets(a, c, DAY) is True
    assert matcher.score(1, 3, DAY) == matcher.score(3, 1, DAY) == 0.0
    assert matcher.score(1, 1, DAY) == 0.0
    assert matcher.score(1, 999, DAY) == 0.0


def test_score_is_symmetric_on_a_population(population: list[Profile]) -> None:
    matcher = Matcher().fit(population)
    lists = matcher.suggest(DAY, 3)
    checked = 0
    for v, c in pairs(lists)[:200]:
        s = matcher.score(v, c, DAY)
        assert s == matcher.score(c, v, DAY)
        assert 0 < s <= 1
        checked += 1
    assert checked == 200


def test_blocked_or_matched_pairs_score_zero() -> None:
    a, b = person(1, "F"), person(2, "M")
    assert Matcher().fit([a, b]).score(1, 2, DAY) > 0
    for history in (History(blocks=[(2, 1)]), History(matches=[(1, 2)])):
        matcher = Matcher().fit([a, b], history)
        assert matcher.score(1, 2, DAY) == matcher.score(2, 1, DAY) == 0.0
        assert matcher.suggest(DAY, 3) == {1: [], 2: []}


def test_bad_profiles_are_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    good = [person(1, "F"), person(2, "M")]
    bad = [
        person(3, gender="X"),
        person(4, age_min=40, age_max=30),
        person(5, height_cm="tall"),  # type: ignore[arg-type]
        person(6, birth_date="1990-01-01"),  # type: ignore[arg-type]
        person(7, tags="读书"),  # type: ignore[arg-type]
        person(8, answers={"kids": 9}),
        person(2, "F"),  # repeated id
    ]
    missing = person(9, "M", height_cm=None, education=None, occupation=None, bio="")
    missing = replace(missing, tags=frozenset(), answers={}, answer_importance={})
    with caplog.at_level(logging.WARNING, logger="matching.columns"):
        matcher = Matcher().fit([*good, *bad, missing])
    assert len([r for r in caplog.records if "skipping profile" in r.message]) == len(bad)
    assert [pid for pid, _ in matcher.skipped] == [3, 4, 5, 6, 7, 8, 2]
    lists = matcher.suggest(DAY, 3)
    assert set(lists) == {1, 2, 9}
    assert {s.candidate_id for s in lists[1]} == {2, 9}


def test_explain_gives_chinese_reasons_for_shared_interests_and_city() -> None:
    a = person(1, "F", tags=frozenset({"读书", "猫", "跑步"}))
    b = person(2, "M", tags=frozenset({"读书", "猫"}))
    matcher = Matcher().fit([a, b])
    reasons = matcher.explain(1, 2, DAY)
    assert 1 <= len(reasons) <= 3
    assert all(CJK.search(r) for r in reasons)
    assert any("读书" in r and "猫" in r for r in reasons)
    assert any("杭州" in r for r in reasons)
    codes = matcher.reasons(1, 2, DAY)
    assert [r.code for r in codes] == ["shared_tags", "same_city", "similar_age"]
    assert [render(r, "zh") for r in codes] == reasons
    suggested = matcher.suggest(DAY, 1)[1][0]
    assert suggested.reasons == tuple(reasons)
    assert suggested.reason_codes == tuple(codes)


def test_reasons_in_english_and_as_plain_data() -> None:
    a, b = person(1, "F"), person(2, "M", tags=frozenset({"读书"}))
    matcher = Matcher(MatcherConfig(language="en")).fit([a, b])
    assert matcher.explain(1, 2, DAY)[0] == "You both like 读书"
    stored = matcher.reasons(1, 2, DAY)[0].as_dict()
    assert stored == {"code": "shared_tags", "params": {"tags": ["读书"]}}
    assert render(stored, "zh") == "都喜欢读书"
    assert render(Reason("mutual_fit"), "en") == "You meet each other's requirements"


def test_sharded_candidates_then_one_assign_equal_suggest(population: list[Profile]) -> None:
    matcher = Matcher().fit(population)
    whole = matcher.suggest(DAY, 4)
    ids = [p.id for p in population]
    shards = [matcher.candidates(DAY, [i for i in ids if i % 3 == s]) for s in range(3)]
    split = matcher.assign(CandidateLists.concat(shards), 4)
    assert split.keys() == whole.keys()
    for viewer, items in whole.items():
        assert [s.candidate_id for s in split[viewer]] == [s.candidate_id for s in items]
        assert [s.score for s in split[viewer]] == pytest.approx([s.score for s in items])
    # Plain mappings (e.g. after a JSON round trip) keep their Suggestion objects.
    plain = {v: list(items) for shard in shards for v, items in shard.items()}
    again = Matcher().assign(plain, 4)
    assert {v: [s.candidate_id for s in items] for v, items in again.items()} == {
        v: [s.candidate_id for s in items] for v, items in whole.items()
    }


def test_explain_never_claims_an_ineligible_pair_fits() -> None:
    a = person(1, "F", tags=frozenset({"猫"}), answers={}, education=2)
    b = person(2, "M", tags=frozenset({"跑步"}), answers={}, city="宁波", education=4)
    b = replace(b, birth_date=date(1992, 3, 1), age_max=30)  # 33; a (29) suits him
    c = replace(b, id=3, age_min=30)  # a is too young for c
    matcher = Matcher().fit([a, b, c])
    assert matcher.explain(1, 2, DAY) == ["符合彼此的择偶条件"]
    assert matcher.explain(1, 3, DAY) == []
    assert matcher.score(1, 3, DAY) == 0.0


def test_the_collector_is_paused_during_the_batch_and_resumed_after(
    population: list[Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import matching.engine as engine

    seen: list[bool] = []
    original = engine.assign_capped

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "assign_capped", spy)
    assert gc.isenabled()
    Matcher().fit(population).suggest(DAY, 3)
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had it off keeps it off
        Matcher().fit(population).suggest(DAY, 3)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_columnar_history_gives_the_same_suggestions_as_tuples(
    population: list[Profile], day_one: dict[int, list[Suggestion]]
) -> None:
    from matching.types import DatedPairs

    shown = [(v, c, DAY) for v, c in pairs(day_one)]
    likes, passes = shown[::3], shown[1::3]
    tuples = History(shown=shown, likes=likes, passes=passes, blocks=[shown[2][:2]])

    def columnar(items: list[tuple[int, int, date]]) -> DatedPairs:
        return DatedPairs.of([a for a, _, _ in items], [b for _, b, _ in items], DAY)

    arrays = replace(tuples, shown=columnar(shown), likes=columnar(likes), passes=columnar(passes))
    assert list(arrays.shown) == shown and arrays.likes[0] == likes[0]
    day = DAY + timedelta(1)
    one = Matcher().fit(population, tuples).suggest(day, 5)
    other = Matcher().fit(population, arrays).suggest(day, 5)
    assert one == other
    assert set(pairs(one)).isdisjoint((v, c) for v, c, _ in shown)
