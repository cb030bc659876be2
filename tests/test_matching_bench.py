"""benchmarks.matching: the benchmark's JSON and its random baseline (not its timings)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from benchmarks import matching as bench
from benchmarks.synthetic import generate
from matching.metrics import ProfileColumns, constraint_violations

DAY = date(2025, 6, 15)

KEYS = {
    "users": int,
    "k": int,
    "seconds": float,
    "peak_rss_mb": float,
    "precision_at_k": float,
    "random_precision_at_k": float,
    "knn_seconds": float,
    "knn_precision_at_k": float,
    "constraint_violations": int,
    "repeats": int,
    "exposure_gini": float,
    "coverage": float,
}


def test_json_run_has_the_keys_and_no_violations_or_repeats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench.main(["--users", "800", "--k", "5", "--json", "--day", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    result = json.loads(out)  # exactly one JSON object, nothing else on stdout
    assert out.strip().count("\n") == 0
    for key, kind in KEYS.items():
        assert isinstance(result[key], kind) or (kind is float and isinstance(result[key], int))
    assert result["users"] == 800
    assert result["k"] == 5
    assert result["constraint_violations"] == 0
    assert result["repeats"] == 0
    assert 0.0 <= result["exposure_gini"] <= 1.0
    for key in ("precision_at_k", "random_precision_at_k", "knn_precision_at_k", "coverage"):
        assert 0.0 <= result[key] <= 1.0
    assert result["coverage_exact"] is True
    assert result["knn_sampled"] is False
    assert result["peak_rss_mb"] > 0


def test_human_output_is_a_table_with_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--users", "300", "--k", "3", "--day", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "precision@3" in out
    assert "[PASS] zero violations" in out
    assert "[n/a ] 100,000 users in <= 30 s" in out


def test_random_baseline_picks_k_distinct_eligible_candidates() -> None:
    population = generate(400, seed=3, today=DAY)
    columns = ProfileColumns.from_profiles(population.profiles, DAY)
    suggestions = bench.random_baseline(columns, 4, seed=1)
    assert constraint_violations(columns, suggestions, DAY) == 0
    for viewer, items in suggestions.items():
        ids = [s.candidate_id for s in items]
        assert len(ids) == len(set(ids)) <= 4
        if len(ids) < 4:  # fewer only when fewer exist
            others = columns.ids[columns.ids != viewer]
            row = np.full(len(others), viewer)
            assert columns.eligible_ids(row, others).sum() == len(ids)


def test_first_distinct_keeps_previous_picks_then_new_ones_in_order() -> None:
    previous = np.array([[7, -1, -1], [-1, -1, -1]])
    drawn = np.array([[7, 3, 3, 9, 4], [5, 5, 6, 2, 8]])
    ok = np.array([[True, False, True, True, True], [True, True, False, True, True]])
    out = bench._first_distinct(previous, drawn, ok, 3)
    assert out.tolist() == [[7, 3, 9], [5, 2, 8]]
