"""The matcher's building blocks: top-L selection, capped assignment, exclusions, lists."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from matching.candidates import top_per_row
from matching.columns import build_columns
from matching.exclusions import HistoryRows
from matching.exposure import assign_capped
from matching.lists import CandidateLists
from matching.types import History, Profile

DAY = date(2025, 6, 15)


@settings(max_examples=60, deadline=None)
@given(
    score=hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 6), st.integers(1, 400)),
        elements=st.one_of(st.just(-1.0), st.floats(0, 1, width=32)),
    ),
    keep=st.integers(1, 30),
)
def test_top_per_row_matches_a_full_sort(score: np.ndarray, keep: int) -> None:
    keep = min(keep, score.shape[1])
    idx, top = top_per_row(score, keep)
    for row in range(score.shape[0]):
        eligible = np.sort(score[row][score[row] >= 0])[::-1][:keep]
        got = top[row][top[row] >= 0]
        assert got.tolist() == eligible.tolist()
        assert score[row, idx[row, : len(got)]].tolist() == got.tolist()
        assert len(set(idx[row, : len(got)].tolist())) == len(got)


def test_top_per_row_wide_rows_use_the_threshold_and_stay_exact() -> None:
    rng = np.random.default_rng(0)
    score = rng.random((50, 3000), dtype=np.float32)
    score[rng.random(score.shape) < 0.6] = -1
    score[0, 100:] = -1  # a row with few eligible
    _, top = top_per_row(score, 40)
    expected = -np.sort(-score, axis=1)[:, :40]
    assert np.array_equal(np.where(top >= 0, top, -1), np.where(expected >= 0, expected, -1))


def test_assign_capped_respects_k_and_cap_and_prefers_high_scores() -> None:
    # Three viewers all want candidate 10 most; cap 2 leaves the weakest to its next best.
    viewers = np.array([1, 1, 2, 2, 3, 3])
    candidates = np.array([10, 11, 10, 12, 10, 13])
    scores = np.array([0.9, 0.5, 0.8, 0.4, 0.7, 0.3])
    chosen = assign_capped(viewers, candidates, scores, k=1, cap=2)
    picked = {(int(viewers[i]), int(candidates[i])) for i in chosen}
    assert picked == {(1, 10), (2, 10), (3, 13)}


def test_assign_capped_counts_earlier_lists_of_the_day_towards_the_cap() -> None:
    # Candidate 10 is in two lists already today: with cap 2 nobody gets it now.
    viewers = np.array([1, 1, 2, 2])
    candidates = np.array([10, 11, 10, 12])
    scores = np.array([0.9, 0.5, 0.8, 0.4])
    before = np.array([2, 0, 2, 0])
    chosen = assign_capped(viewers, candidates, scores, k=1, cap=2, shown_before=before)
    assert {(int(viewers[i]), int(candidates[i])) for i in chosen} == {(1, 11), (2, 12)}
    without = assign_capped(viewers, candidates, scores, k=1, cap=2)
    assert {int(candidates[i]) for i in without} == {10}


def test_assign_capped_covers_a_viewer_whose_candidates_are_all_full() -> None:
    viewers = np.array([1, 2, 3])
    candidates = np.array([10, 10, 10])
    scores = np.array([0.9, 0.8, 0.7])
    chosen = assign_capped(viewers, candidates, scores, k=2, cap=1)
    assert sorted(viewers[chosen].tolist()) == [1, 2, 3]  # cap relaxed, nobody left out


@settings(max_examples=50, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(1, 8), st.integers(20, 30), st.floats(0, 1)),
        min_size=1,
        max_size=60,
        unique_by=lambda t: (t[0], t[1]),
    ),
    k=st.integers(1, 4),
    cap=st.integers(1, 5),
)
def test_assign_capped_properties(data: list[tuple[int, int, float]], k: int, cap: int) -> None:
    viewers = np.array([d[0] for d in data])
    candidates = np.array([d[1] for d in data])
    scores = np.array([d[2] for d in data])
    chosen = assign_capped(viewers, candidates, scores, k, cap)
    got_v, got_c = viewers[chosen], candidates[chosen]
    assert len(set(chosen.tolist())) == len(chosen)
    assert max(np.bincount(got_v).tolist()) <= k
    assert set(got_v.tolist()) == set(viewers.tolist())  # everyone with a candidate
    singles = {c for v, c in zip(got_v, got_c, strict=True) if (got_v == v).sum() == 1}
    for c, count in zip(*np.unique(got_c, return_counts=True), strict=True):
        assert count <= cap or c in singles
    # Within a viewer: best first.
    for v in set(got_v.tolist()):
        s = scores[chosen][got_v == v]
        assert s.tolist() == sorted(s.tolist(), reverse=True)


def _people(n: int) -> list[Profile]:
    return [
        Profile(id=100 + i, gender="FM"[i % 2], birth_date=date(1995, 1, 1), city="杭州")
        for i in range(n)
    ]


def test_exclusions_by_day_window_and_for_good() -> None:
    columns, _ = build_columns(_people(6))
    history = History(
        shown=[(100, 101, date(2025, 6, 14)), (100, 103, date(2025, 5, 1))],
        passes=[(102, 103, date(2024, 1, 1))],
        blocks=[(104, 105)],
        matches=[(100, 105)],
    )
    rows = HistoryRows.build(columns, history)
    excluded = rows.for_day(DAY, 30)
    row = columns.rows
    pairs = [(100, 101), (100, 103), (102, 103), (103, 102), (104, 105), (105, 104), (105, 100)]
    got = excluded.contains(row([p[0] for p in pairs]), row([p[1] for p in pairs]))
    # (103, 102): 102 passed on 103, so 103 is not shown 102 either.
    assert got.tolist() == [True, False, True, True, True, True, True]
    which, candidates = excluded.of_viewers(row([100, 101]))
    assert sorted(columns.ids[candidates].tolist()) == [101, 105]
    assert which.tolist() == [0, 0]
    assert rows.apart(row([105]), row([104])).tolist() == [True]
    assert rows.apart(row([102]), row([103])).tolist() == [False]  # a pass is not a block


def test_candidate_lists_are_a_mapping_and_concatenate() -> None:
    one = CandidateLists(
        np.array([3, 1]), np.array([1, 1, 3]), np.array([7, 8, 9]), np.array([0.2, 0.6, 0.5])
    )
    two = CandidateLists(np.array([5]), np.array([], int), np.array([], int), np.array([]))
    both = CandidateLists.concat([one, two])
    assert list(both) == [1, 3, 5] and len(both) == 3
    assert [s.candidate_id for s in both[1]] == [8, 7]  # best first
    assert both[5] == [] and 2 not in both
    assert both.pairs == 3


@pytest.mark.parametrize("ids", [[1, 2, 3, 5, 8], [7, 10**9, 3, 12, 2**40]])
def test_columns_rows_find_dense_and_sparse_ids(ids: list[int]) -> None:
    from dataclasses import replace

    from benchmarks.synthetic import generate

    profiles = [replace(p, id=i) for p, i in zip(generate(5, seed=1).profiles, ids, strict=True)]
    columns, skipped = build_columns(profiles)
    assert not skipped
    asked = [*ids, -1, 0, 4, 10**12, max(ids) + 1]
    found = columns.rows(np.array(asked, dtype=np.int64))
    assert columns.ids[found[: len(ids)]].tolist() == ids
    assert found[len(ids) :].tolist() == [-1] * 5


def test_assign_capped_gives_the_same_pairs_for_sparse_candidate_ids() -> None:
    rng = np.random.default_rng(3)
    viewers = np.repeat(np.arange(50), 8)
    candidates = rng.integers(100, 130, len(viewers))
    scores = rng.random(len(viewers))
    dense = assign_capped(viewers, candidates, scores, k=3, cap=4)
    sparse = assign_capped(viewers, candidates * 10**9, scores, k=3, cap=4)
    assert dense.tolist() == sparse.tolist()
