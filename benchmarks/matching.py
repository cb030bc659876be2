"""Benchmark: the daily quick-match batch on a synthetic population (a script, not a test).

    python -m benchmarks.matching --users N [--seed S] [--k K] [--day YYYY-MM-DD] [--json]
        [--save PATH]

1. **Population**: ``benchmarks.synthetic.generate(N, seed)``, timed on its own
   (``generate_seconds``, not part of ``seconds``).
2. **Engine, day 1**: a new ``Matcher`` is fitted on every profile with an empty history
   and asked for K suggestions per member. ``seconds`` is the wall time of fit + suggest;
   ``peak_rss_mb`` the process's peak resident set size during them
   (``getrusage(RUSAGE_SELF).ru_maxrss``; the kernel's high-water mark is reset through
   ``/proc/self/clear_refs`` just before the batch, so the figure covers the batch, with
   the population it works on already in memory; ``peak_rss_scope`` says when the reset
   was not possible and the figure is the whole process's peak).
3. **Engine, days 2 and 3**: day 1's suggestions become ``History.shown`` (dated day 1),
   with the likes and passes the population's simulated feedback gives them; a new
   ``Matcher`` is fitted on that history and suggests for day 2 (``day2_*``). With one
   day of feedback there is no time-ordered hold-out yet, so day 2 keeps the hand-set
   score. Day 2's suggestions and feedback are added and day 3 (``day3_*``) is run the
   same way: trained on day 1's feedback, compared on day 2's, the learned score is used
   if it wins (``learning``). ``repeats`` counts day-2 and day-3 suggestions that were
   shown on an earlier day (or are blocked or matched); ``repeats_either_direction``
   also counts a pair shown the other way round.
4. **Measures** (``matching.metrics``, which re-implements the hard requirements
   independently of the engine): ``constraint_violations`` over both days;
   ``precision_at_k`` = share of day-1 slots (K per member who got a list) where both
   would like each other by the hidden ground truth; ``exposure_gini`` over every member;
   ``coverage`` = share of the members with at least one eligible candidate who got a
   list. Who has an eligible candidate is computed exactly while that costs at most
   ``--coverage-budget`` pair checks, and otherwise estimated against a random sample
   (``coverage_exact`` false, with the sample size). The time and memory targets hold
   for the slowest and largest of the three days.
5. **Baselines**, same population, day 1:
   - random: for each member, random members of the gender they want are drawn and the
     first K distinct eligible ones kept (``random_precision_at_k``);
   - kNN: scikit-learn ``NearestNeighbors(metric="cosine", algorithm="brute")`` over the
     engine's own profile embedding (``matching.features``), no blocking at all; each
     member's 5K nearest (self excluded) are filtered for eligibility afterwards and the
     first K kept. ``knn_seconds`` covers embedding + fit + query + filter. Above
     ``--knn-full-limit`` users (default 200,000) the query and filter run for a random
     sample of members only and their time is extrapolated linearly to everyone
     (``knn_sampled`` true, ``knn_sample_size``); precision is then the sample's.

Logs go to stderr; with ``--json`` stdout holds exactly one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from benchmarks.synthetic import SyntheticPopulation, generate
from matching.metrics import (
    ProfileColumns,
    constraint_violations,
    coverage,
    exposure_gini,
    members_with_eligible_candidate,
    precision_at_k,
    repeats,
    suggestion_pairs,
)
from matching.types import DatedPairs, History, Profile, Suggestion

Suggestions = Mapping[int, Sequence[Suggestion]]

# Targets from the issue (2-core machine, K=10): users -> (seconds, peak RSS in MB).
SCALE_TARGETS = {100_000: (30.0, 3 * 1024.0), 1_000_000: (600.0, 16 * 1024.0)}
TARGET_K = 10
TARGET_GINI = 0.35
TARGET_COVERAGE = 0.99
KNN_FULL_LIMIT = 200_000
KNN_SAMPLE = 5_000
WINDOW_DAYS = 30


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Memory


def peak_rss_mb() -> float:
    """The process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = None
    try:
        import psutil

        ram_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": model,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
    }


# ---------------------------------------------------------------------------------------
# The engine


@dataclass
class EngineRun:
    suggestions: dict[int, list[Suggestion]]
    seconds: float
    fit_seconds: float
    peak_rss_mb: float
    peak_reset: bool
    cpu_seconds: float  # user + system CPU time of this process during the batch
    load_before: float  # 1-minute load average of the machine before and after
    load_after: float
    learning: Any = None


def run_engine(profiles: Sequence[Profile], history: History, day: date, k: int) -> EngineRun:
    """One daily batch: a new matcher fitted on everyone, then today's suggestions."""
    from matching.engine import Matcher, MatcherConfig

    gc.collect()
    reset = reset_peak_rss()
    load_before = os.getloadavg()[0]
    cpu_start = time.process_time()
    start = time.perf_counter()
    matcher = Matcher(MatcherConfig())
    matcher.fit(profiles, history)
    fitted = time.perf_counter()
    suggestions = matcher.suggest(day, k)
    end = time.perf_counter()
    cpu = time.process_time() - cpu_start
    peak = peak_rss_mb()
    if not reset:
        log("could not reset the RSS high-water mark: peak_rss_mb is the whole process's")
    learning = _learning_summary(matcher)
    del matcher
    gc.collect()
    return EngineRun(
        suggestions={int(v): list(s) for v, s in suggestions.items()},
        seconds=end - start,
        fit_seconds=fitted - start,
        peak_rss_mb=peak,
        peak_reset=reset,
        cpu_seconds=cpu,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        learning=learning,
    )


def repeat_window_days() -> int:
    """The engine's default repeat window (30 days when it does not say)."""
    from matching.engine import MatcherConfig

    return int(getattr(MatcherConfig(), "repeat_window_days", WINDOW_DAYS))


def _learning_summary(matcher: Any) -> Any:
    """Whatever the matcher reports about its learned re-weighting, made JSON-friendly."""
    for name in ("learning_report", "learning", "learned_report", "model_report"):
        value = getattr(matcher, name, None)
        if value is None or callable(value):
            continue
        return _jsonable(value)
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {f: _jsonable(getattr(value, f)) for f in value.__dataclass_fields__}
    return str(value)


# ---------------------------------------------------------------------------------------
# Baselines


def random_baseline(columns: ProfileColumns, k: int, seed: int) -> dict[int, list[Suggestion]]:
    """For each member, K distinct eligible members drawn at random among those of the
    gender they want (draws with replacement, rounds of growing size, keeping eligible
    ones; at most ``max_draws`` per member)."""
    rng = np.random.default_rng(seed)
    out: dict[int, list[Suggestion]] = {}
    max_draws = 16_384
    for g in np.unique(columns.wanted):
        pool = np.flatnonzero(columns.gender == g)
        viewers = np.flatnonzero(columns.wanted == g)
        if len(pool) == 0:
            continue
        picks = np.full((len(viewers), k), -1, dtype=np.int64)
        todo = np.arange(len(viewers))
        draws = 32 * k
        while len(todo) and draws <= max_draws:
            rows_per_chunk = max(1, 8_000_000 // (draws + k))
            for start in range(0, len(todo), rows_per_chunk):
                idx = todo[start : start + rows_per_chunk]
                drawn = pool[rng.integers(0, len(pool), size=(len(idx), draws))]
                ok = columns.eligible(viewers[idx, None], drawn)
                picks[idx] = _first_distinct(picks[idx], drawn, ok, k)
            todo = todo[(picks[todo] < 0).any(axis=1)]
            draws *= 4
        for viewer, row in zip(viewers.tolist(), picks.tolist(), strict=True):
            chosen = [c for c in row if c >= 0]
            out[int(columns.ids[viewer])] = [
                Suggestion(candidate_id=int(columns.ids[c]), score=0.0) for c in chosen
            ]
    return out


def _first_distinct(previous: np.ndarray, drawn: np.ndarray, ok: np.ndarray, k: int) -> np.ndarray:
    """Per row: ``previous`` picks (-1 empty) followed by the first new distinct ``ok``
    draws, K at most, -1 padded."""
    cand = np.concatenate([previous, drawn], axis=1)
    rows, cols = np.nonzero(np.concatenate([previous >= 0, ok], axis=1))  # row-major
    values = cand[rows, cols]
    # First occurrence of each (row, candidate), kept in row-major order.
    _, first = np.unique(rows * (int(cand.max()) + 1) + values, return_index=True)
    first.sort()
    rows, values = rows[first], values[first]
    starts = np.searchsorted(rows, rows)  # index of each row's first kept entry
    slot = np.arange(len(rows)) - starts
    keep = slot < k
    out = np.full(previous.shape, -1, dtype=np.int64)
    out[rows[keep], slot[keep]] = values[keep]
    return out


@dataclass
class KnnRun:
    suggestions: dict[int, list[Suggestion]]
    seconds: float  # embedding + fit + query + filter (query + filter extrapolated if sampled)
    embed_seconds: float
    fit_seconds: float
    query_seconds: float  # measured, for the viewers actually queried
    sampled: bool
    sample_size: int
    neighbours: int
    raw_ineligible_share: float  # of the neighbours returned (self excluded)


def embedding(profiles: Sequence[Profile]) -> Any:
    """The engine's L2-normalised profile embedding (rows in profile order)."""
    from matching import features

    for name in ("embed_profiles", "profile_embedding", "embed", "embedding"):
        fn: Callable[..., Any] | None = getattr(features, name, None)
        if callable(fn):
            return fn(profiles)
    raise RuntimeError("matching.features has no public embedding function the bench knows")


def knn_baseline(
    profiles: Sequence[Profile],
    columns: ProfileColumns,
    k: int,
    seed: int,
    full_limit: int = KNN_FULL_LIMIT,
    sample_size: int = KNN_SAMPLE,
) -> KnnRun:
    """Brute-force cosine nearest neighbours over the embedding, no blocking; 5K asked,
    filtered for eligibility afterwards, first K kept."""
    from sklearn.neighbors import NearestNeighbors

    n = len(profiles)
    start = time.perf_counter()
    x = embedding(profiles)
    embedded = time.perf_counter()
    neighbours = min(5 * k + 1, n)
    index = NearestNeighbors(n_neighbors=neighbours, metric="cosine", algorithm="brute")
    index.fit(x)
    fitted = time.perf_counter()
    sampled = n > full_limit
    if sampled:
        rng = np.random.default_rng(seed)
        viewers = np.sort(rng.choice(n, size=min(sample_size, n), replace=False))
    else:
        viewers = np.arange(n)
    out: dict[int, list[Suggestion]] = {}
    query_start = time.perf_counter()
    batch = 20_000
    raw = ineligible = 0
    for b0 in range(0, len(viewers), batch):
        rows = viewers[b0 : b0 + batch]
        dist, nn = index.kneighbors(x[rows], return_distance=True)
        ok = columns.eligible(rows[:, None], nn)  # also drops the viewer themself
        others = nn != rows[:, None]
        raw += int(others.sum())
        ineligible += int((others & ~ok).sum())
        keep = ok & (np.cumsum(ok, axis=1) <= k)
        for r, (row, keep_row) in enumerate(zip(rows.tolist(), keep, strict=True)):
            chosen = np.flatnonzero(keep_row)
            out[int(columns.ids[row])] = [
                Suggestion(candidate_id=int(columns.ids[nn[r, c]]), score=float(1 - dist[r, c]))
                for c in chosen
            ]
    query = time.perf_counter() - query_start
    scale = n / len(viewers) if len(viewers) else 1.0
    return KnnRun(
        suggestions=out,
        seconds=(fitted - start) + query * scale,
        embed_seconds=embedded - start,
        fit_seconds=fitted - embedded,
        query_seconds=query,
        sampled=sampled,
        sample_size=len(viewers),
        neighbours=neighbours,
        raw_ineligible_share=ineligible / raw if raw else 0.0,
    )


# ---------------------------------------------------------------------------------------
# The run


def shown_history(
    population: SyntheticPopulation,
    suggestions: Suggestions,
    day: date,
    seed: int,
    before: History | None = None,
) -> History:
    """One day's suggestions as shown pairs, with the simulated likes and passes, added
    to the history ``before``; columnar (``DatedPairs``), as the app would hand over
    millions of pairs."""
    viewers, candidates = suggestion_pairs(suggestions)
    days = np.full(len(viewers), day.toordinal(), dtype=np.int32)
    liked = population.feedback(viewers, candidates, days, rng_seed=seed)
    shown = DatedPairs(viewers, candidates, days)
    likes = DatedPairs(viewers[liked], candidates[liked], days[liked])
    passes = DatedPairs(viewers[~liked], candidates[~liked], days[~liked])
    before = before or History()

    def joined(old: Sequence[tuple[int, int, date]], new: DatedPairs) -> DatedPairs:
        if not len(old):
            return new
        return DatedPairs.concat([_columnar(old), new])

    return History(
        shown=joined(before.shown, shown),
        likes=joined(before.likes, likes),
        passes=joined(before.passes, passes),
    )


def _columnar(pairs: Sequence[tuple[int, int, date]]) -> DatedPairs:
    if isinstance(pairs, DatedPairs):
        return pairs
    a, b, d = zip(*pairs, strict=True)
    return DatedPairs.of(a, b, d)


def fill(suggestions: Suggestions, members: int) -> float:
    """Mean list length over all members."""
    return sum(len(s) for s in suggestions.values()) / members if members else 0.0


def run(
    users: int,
    seed: int = 0,
    k: int = TARGET_K,
    day: date | None = None,
    *,
    coverage_budget: int = 1_000_000_000,
    knn_full_limit: int = KNN_FULL_LIMIT,
    knn_sample: int = KNN_SAMPLE,
) -> dict[str, Any]:
    day1 = day or date.today()
    result: dict[str, Any] = {"users": users, "k": k, "seed": seed, "day": day1.isoformat()}
    process_start_rss = peak_rss_mb()

    log(f"generating {users:,} members (seed {seed})")
    start = time.perf_counter()
    population = generate(users, seed=seed, today=day1)
    profiles = population.profiles
    result["generate_seconds"] = round(time.perf_counter() - start, 3)
    result["generate_peak_rss_mb"] = round(peak_rss_mb(), 1)

    log("engine, day 1: fit + suggest")
    day1_run = run_engine(profiles, History(), day1, k)
    result["seconds"] = round(day1_run.seconds, 3)
    result["fit_seconds"] = round(day1_run.fit_seconds, 3)
    result["suggest_seconds"] = round(day1_run.seconds - day1_run.fit_seconds, 3)
    result["peak_rss_mb"] = round(day1_run.peak_rss_mb, 1)
    result["cpu_seconds"] = round(day1_run.cpu_seconds, 3)
    result["load_average"] = [round(day1_run.load_before, 2), round(day1_run.load_after, 2)]
    log(f"day 1 took {day1_run.seconds:.1f} s, peak RSS {day1_run.peak_rss_mb:,.0f} MB")

    later_runs: list[EngineRun] = []
    histories: list[History] = []
    history = History()
    previous = day1_run
    for n in (2, 3):
        log(f"engine, day {n}: the days before shown, with simulated feedback")
        day_n = day1 + timedelta(days=n - 1)
        history = shown_history(
            population, previous.suggestions, day_n - timedelta(1), seed, history
        )
        histories.append(history)
        previous = run_engine(profiles, history, day_n, k)
        later_runs.append(previous)
        prefix = f"day{n}_"
        result[prefix + "seconds"] = round(previous.seconds, 3)
        result[prefix + "peak_rss_mb"] = round(previous.peak_rss_mb, 1)
        result[prefix + "cpu_seconds"] = round(previous.cpu_seconds, 3)
        result[prefix + "load_average"] = [
            round(previous.load_before, 2),
            round(previous.load_after, 2),
        ]
        result[prefix + "learning"] = previous.learning
        log(f"day {n} took {previous.seconds:.1f} s, peak RSS {previous.peak_rss_mb:,.0f} MB")
    result["peak_rss_scope"] = (
        "batch (high-water mark reset before it; population already in memory)"
        if all(r.peak_reset for r in (day1_run, *later_runs))
        else "whole process"
    )

    log("measuring")
    like = population.would_like_pairs
    runs = (day1_run, *later_runs)
    days = [day1 + timedelta(days=i) for i in range(3)]
    columns = [ProfileColumns.from_profiles(profiles, d) for d in days]
    columns1 = columns[0]
    s1 = day1_run.suggestions
    member_ids = columns1.ids
    violations = [
        constraint_violations(c, r.suggestions, d)
        for c, r, d in zip(columns, runs, days, strict=True)
    ]
    result["precision_at_k"] = round(precision_at_k(s1, like, k), 4)
    result["constraint_violations"] = sum(violations)
    result["constraint_violations_by_day"] = violations
    window = repeat_window_days()
    result["repeat_window_days"] = window
    result["repeats"] = 0
    result["repeats_either_direction"] = 0
    for n, (r, h, d) in enumerate(zip(later_runs, histories, days[1:], strict=True), start=2):
        result[f"day{n}_precision_at_k"] = round(precision_at_k(r.suggestions, like, k), 4)
        result[f"day{n}_exposure_gini"] = round(exposure_gini(r.suggestions, member_ids), 4)
        result["repeats"] += repeats(r.suggestions, h, d, window)
        result["repeats_either_direction"] += repeats(
            r.suggestions, h, d, window, either_direction=True
        )
    result["exposure_gini"] = round(exposure_gini(s1, member_ids), 4)

    # Members who got an eligible suggestion surely have an eligible candidate.
    viewers, candidates = suggestion_pairs(s1)
    served_ok = np.unique(viewers[columns1.eligible_ids(viewers, candidates)])
    with_candidate, exact = members_with_eligible_candidate(
        columns1, known=served_ok.tolist(), max_pair_checks=coverage_budget, seed=seed
    )
    result["coverage"] = round(coverage(s1, with_candidate.tolist()), 5)
    for n, r in enumerate(later_runs, start=2):
        result[f"day{n}_coverage"] = round(coverage(r.suggestions, with_candidate.tolist()), 5)
    result["coverage_exact"] = exact
    result["members_with_eligible_candidate"] = len(with_candidate)
    result["members_served"] = sum(1 for s in s1.values() if s)
    result["mean_list_length"] = round(fill(s1, users), 3)
    if not exact:
        result["coverage_note"] = (
            "members with an eligible candidate estimated: each member not already served "
            "was checked against random samples of the gender they want (a lower bound)"
        )
    result["learning"] = later_runs[-1].learning

    log("baseline: random eligible")
    start = time.perf_counter()
    random_s = random_baseline(columns1, k, seed)
    result["random_seconds"] = round(time.perf_counter() - start, 3)
    result["random_precision_at_k"] = round(precision_at_k(random_s, like, k), 4)
    result["random_mean_list_length"] = round(fill(random_s, users), 3)
    result["random_exposure_gini"] = round(exposure_gini(random_s, member_ids), 4)
    del random_s

    log("baseline: brute-force cosine kNN, no blocking")
    knn = knn_baseline(
        profiles, columns1, k, seed, full_limit=knn_full_limit, sample_size=knn_sample
    )
    result["knn_seconds"] = round(knn.seconds, 3)
    result["knn_embed_seconds"] = round(knn.embed_seconds, 3)
    result["knn_query_seconds_measured"] = round(knn.query_seconds, 3)
    result["knn_sampled"] = knn.sampled
    result["knn_sample_size"] = knn.sample_size
    result["knn_neighbours_asked"] = knn.neighbours - 1
    result["knn_precision_at_k"] = round(precision_at_k(knn.suggestions, like, k), 4)
    result["knn_mean_list_length"] = round(fill(knn.suggestions, len(knn.suggestions)), 3)
    result["knn_constraint_violations"] = constraint_violations(columns1, knn.suggestions, day1)
    result["knn_raw_ineligible_share"] = round(knn.raw_ineligible_share, 4)
    if knn.sampled:
        result["knn_note"] = (
            f"query + filter timed for {knn.sample_size:,} random members and extrapolated "
            f"linearly to {users:,}; precision over that sample"
        )
    result["process_peak_rss_mb"] = round(max(peak_rss_mb(), process_start_rss), 1)
    result["machine"] = machine()
    return result


# ---------------------------------------------------------------------------------------
# Output


def targets(result: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(target, pass / fail / None when it does not apply at this size, measured)."""
    rows: list[tuple[str, bool | None, str]] = []
    users = result["users"]
    for size, (secs, mb) in SCALE_TARGETS.items():
        applies = users == size and result["k"] == TARGET_K
        seconds = [result["seconds"], result["day2_seconds"], result["day3_seconds"]]
        peaks = [result["peak_rss_mb"], result["day2_peak_rss_mb"], result["day3_peak_rss_mb"]]
        rows.append(
            (
                f"{size:,} users in <= {secs:.0f} s",
                max(seconds) <= secs if applies else None,
                ", ".join(f"day {i} {v:.1f} s" for i, v in enumerate(seconds, start=1)),
            )
        )
        rows.append(
            (
                f"{size:,} users in <= {mb / 1024:.0f} GB",
                max(peaks) <= mb if applies else None,
                ", ".join(f"day {i} {v:,.0f} MB" for i, v in enumerate(peaks, start=1)),
            )
        )
    p, pr, pk = (
        result["precision_at_k"],
        result["random_precision_at_k"],
        result["knn_precision_at_k"],
    )
    rows += [
        ("precision@K >= 2 x random", p >= 2 * pr, f"{p:.4f} vs 2 x {pr:.4f} = {2 * pr:.4f}"),
        ("precision@K > kNN", p > pk, f"{p:.4f} vs {pk:.4f}"),
        (
            "zero violations",
            result["constraint_violations"] == 0,
            str(result["constraint_violations"]),
        ),
        ("zero repeats", result["repeats"] == 0, str(result["repeats"])),
        (
            "exposure Gini <= 0.35",
            result["exposure_gini"] <= TARGET_GINI,
            f"{result['exposure_gini']:.3f}",
        ),
        (
            "coverage >= 99 %",
            result["coverage"] >= TARGET_COVERAGE,
            f"{100 * result['coverage']:.2f} %" + ("" if result["coverage_exact"] else " (est.)"),
        ),
    ]
    return rows


def human(result: dict[str, Any]) -> str:
    m = result["machine"]
    k = result["k"]
    lines = [
        f"Queqiao quick-match benchmark: {result['users']:,} members, K={k}, "
        f"seed {result['seed']}, day {result['day']}",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, Python {m['python']}",
        f"Population generated in {result['generate_seconds']:.1f} s (not counted).",
        "",
    ]
    knn_s = f"{result['knn_seconds']:.1f}" + ("*" if result["knn_sampled"] else "")
    table = [
        ("", "engine", "random", "kNN cosine"),
        ("seconds", f"{result['seconds']:.1f}", f"{result['random_seconds']:.1f}", knn_s),
        ("peak RSS (MB)", f"{result['peak_rss_mb']:,.0f}", "", ""),
        (
            f"precision@{k}",
            f"{result['precision_at_k']:.4f}",
            f"{result['random_precision_at_k']:.4f}",
            f"{result['knn_precision_at_k']:.4f}",
        ),
        (
            "mean list length",
            f"{result['mean_list_length']:.2f}",
            f"{result['random_mean_list_length']:.2f}",
            f"{result['knn_mean_list_length']:.2f}",
        ),
        (
            "violations",
            str(result["constraint_violations"]),
            "0",
            str(result["knn_constraint_violations"]),
        ),
        ("repeats (days 2-3)", str(result["repeats"]), "", ""),
        (
            "exposure Gini",
            f"{result['exposure_gini']:.3f}",
            f"{result['random_exposure_gini']:.3f}",
            "",
        ),
        ("coverage", f"{100 * result['coverage']:.2f} %", "", ""),
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        lines.append(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
        )
    lines += [
        "",
        f"Engine: fit {result['fit_seconds']:.1f} s + suggest {result['suggest_seconds']:.1f} s "
        f"on day 1.",
        *(
            f"Day {n} (the days before shown, with their feedback): "
            f"{result[f'day{n}_seconds']:.1f} s, peak {result[f'day{n}_peak_rss_mb']:,.0f} MB, "
            f"precision@{k} {result[f'day{n}_precision_at_k']:.4f}, exposure Gini "
            f"{result[f'day{n}_exposure_gini']:.3f}, coverage "
            f"{100 * result[f'day{n}_coverage']:.2f} %."
            for n in (2, 3)
        ),
        "Engine CPU time (this process, user + system): "
        + ", ".join(
            f"day {n} {result[key]:.1f} s"
            for n, key in ((1, "cpu_seconds"), (2, "day2_cpu_seconds"), (3, "day3_cpu_seconds"))
        )
        + "; machine load average (1 min) before/after: "
        + ", ".join(
            f"day {n} {result[key][0]:.2f}/{result[key][1]:.2f}"
            for n, key in ((1, "load_average"), (2, "day2_load_average"), (3, "day3_load_average"))
        )
        + " (other work on the machine slows the wall time).",
        f"Peak RSS scope: {result['peak_rss_scope']}; whole process "
        f"{result['process_peak_rss_mb']:,.0f} MB.",
        f"Repeats counting either direction: {result['repeats_either_direction']}.",
        f"Members with an eligible candidate: {result['members_with_eligible_candidate']:,} "
        f"({'exact' if result['coverage_exact'] else 'estimated'}); served "
        f"{result['members_served']:,}.",
        f"kNN: {result['knn_neighbours_asked']} neighbours asked, embedding "
        f"{result['knn_embed_seconds']:.1f} s of {result['knn_seconds']:.1f} s; "
        f"{100 * result['knn_raw_ineligible_share']:.1f} % of the neighbours returned were "
        "ineligible and filtered out afterwards.",
    ]
    if result["knn_sampled"]:
        lines.append(f"* {result['knn_note']}.")
    if not result["coverage_exact"]:
        lines.append(f"Coverage: {result['coverage_note']}.")
    if result.get("learning") is not None:
        lines.append(f"Learning: {json.dumps(result['learning'], ensure_ascii=False)}")
    lines += ["", "Targets (issue 4; time and memory targets apply at their size, K=10):"]
    for name, ok, measured in targets(result):
        mark = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        lines.append(f"  [{mark}] {name}: {measured}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.matching", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=TARGET_K)
    parser.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--save", metavar="PATH", help="also write the JSON object to PATH")
    parser.add_argument("--coverage-budget", type=int, default=1_000_000_000)
    parser.add_argument("--knn-full-limit", type=int, default=KNN_FULL_LIMIT)
    parser.add_argument("--knn-sample", type=int, default=KNN_SAMPLE)
    args = parser.parse_args(argv)
    if args.users < 2 or args.k < 1:
        parser.error("need --users >= 2 and --k >= 1")
    result = run(
        args.users,
        seed=args.seed,
        k=args.k,
        day=args.day,
        coverage_budget=args.coverage_budget,
        knn_full_limit=args.knn_full_limit,
        knn_sample=args.knn_sample,
    )
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(human(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
