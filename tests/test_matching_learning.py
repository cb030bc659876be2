"""matching.learning: the learned score is used only when it beats the hand-set one on
a time-ordered hold-out."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.special import expit

from benchmarks.matching import random_baseline
from benchmarks.synthetic import SyntheticPopulation, generate
from matching.engine import Matcher
from matching.learning import MIN_GAIN
from matching.metrics import ProfileColumns, constraint_violations
from matching.scoring import Block, PairFeatures, harmonic
from matching.types import History

DAY = date(2025, 6, 15)


@pytest.fixture(scope="module")
def population() -> SyntheticPopulation:
    return generate(2000, seed=2, today=DAY)


@pytest.fixture(scope="module")
def shown(population: SyntheticPopulation) -> list[tuple[int, int, date]]:
    """Four days of three random eligible candidates per member."""
    columns = ProfileColumns.from_profiles(population.profiles, DAY)
    out = []
    for d in range(4):
        day = DAY - timedelta(days=4 - d)
        lists = random_baseline(columns, 3, seed=d)
        out += [(v, s.candidate_id, day) for v, items in lists.items() for s in items]
    return out


def test_informative_feedback_chooses_the_model(
    population: SyntheticPopulation,
    shown: list[tuple[int, int, date]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The ground truth as it is (no flipped answers): feedback the pair features explain.
    likes, passes = population.simulate_feedback(shown, rng_seed=1, flip_rate=0.0)
    with caplog.at_level(logging.INFO, logger="matching.learning"):
        matcher = Matcher().fit(population.profiles, History(shown, likes, passes))
    report = matcher.learning_report
    assert report is not None
    assert report.chosen == "model", report
    assert report.model_auc > report.hand_auc + MIN_GAIN
    assert report.split == "time"
    latest = DAY - timedelta(days=1)
    assert report.test_from == latest.isoformat()  # trained on the earlier days
    assert report.train == sum(1 for _, _, day in shown if day < latest)
    assert "hold-out ROC AUC" in caplog.text
    # The learned score keeps the engine's guarantees.
    lists = matcher.suggest(DAY, 5)
    assert constraint_violations(population.profiles, lists, DAY) == 0
    scores = [s.score for items in lists.values() for s in items]
    assert scores and min(scores) >= 0 and max(scores) <= 1
    v, items = next((v, items) for v, items in lists.items() if items)
    c = items[0].candidate_id
    assert matcher.score(v, c, DAY) == matcher.score(c, v, DAY) > 0
    # The folded fast path gives what the model gives feature by feature.
    model, state = matcher._model, matcher._on(DAY)
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(population), (2, 3000))
    pf = PairFeatures.of(Block(state.data, a, b, outer=False))
    slow = harmonic(expit(model.logit(pf)), expit(model.logit(pf, swap=True)))
    assert model.score(pf) == pytest.approx(slow, rel=1e-4, abs=1e-6)
    outer = PairFeatures.of(Block(state.data, a[:40], b[:50], outer=True))
    paired = PairFeatures.of(Block(state.data, np.repeat(a[:40], 50), np.tile(b[:50], 40), False))
    assert model.score(outer).ravel() == pytest.approx(model.score(paired), rel=1e-4, abs=1e-6)


def test_pure_noise_keeps_the_hand_set_score(
    population: SyntheticPopulation, shown: list[tuple[int, int, date]]
) -> None:
    coin = np.random.default_rng(0).random(len(shown)) < 0.3
    likes = [pair for pair, heads in zip(shown, coin, strict=True) if heads]
    passes = [pair for pair, heads in zip(shown, coin, strict=True) if not heads]
    matcher = Matcher().fit(population.profiles, History(shown, likes, passes))
    report = matcher.learning_report
    assert report is not None and report.chosen == "hand", report
    assert abs(report.model_auc - 0.5) < 0.05


def test_too_little_feedback_is_not_used(population: SyntheticPopulation) -> None:
    few = [(1, 2, DAY), (3, 4, DAY)]
    matcher = Matcher().fit(population.profiles, History(shown=few, likes=few))
    report = matcher.learning_report
    assert report is not None and report.chosen == "hand"
    assert report.labelled == 2 and report.hand_auc is None


def test_feedback_from_one_day_keeps_the_hand_set_score(population: SyntheticPopulation) -> None:
    # Plenty of clean feedback, but all of one day: no time-ordered hold-out exists.
    columns = ProfileColumns.from_profiles(population.profiles, DAY)
    lists = random_baseline(columns, 5, seed=7)
    shown = [(v, s.candidate_id, DAY) for v, items in lists.items() for s in items]
    likes, passes = population.simulate_feedback(shown, rng_seed=2, flip_rate=0.0)
    matcher = Matcher().fit(population.profiles, History(shown, likes, passes))
    report = matcher.learning_report
    assert report is not None and report.chosen == "hand"
    assert "one day" in report.reason and report.hand_auc is None
    assert report.labelled == len(shown)
