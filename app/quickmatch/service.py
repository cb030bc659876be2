"""The quick-match batch (每日速配): verified members and their history in, the day's
suggestions out. Operations flush; the task or command that calls them commits.

A day's lists are written once. A re-run for the same day keeps every list already
written (its member may have reacted to it) and only fills members who have none yet:
running the batch twice, after a crash, or while another run is going never duplicates
or changes a list. The write re-reads who has a list under a lock taken for the day
(a PostgreSQL advisory lock; SQLite's write lock), and the unique constraint on
(day, viewer, candidate) backs it.

The phases, each reported to ``progress``: load members and history, fit the matcher,
find candidates for each shard of viewers (the expensive part), assign the lists under
the per-day exposure cap (one global step), write them.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select

from app.db_types import utcnow
from app.extensions import db
from app.locking import Namespace, advisory_lock
from app.profiles.loader import load_profiles, verified_members
from app.quickmatch.history import load_history
from app.quickmatch.models import DailySuggestion
from app.quickmatch.settings import Settings
from matching import Suggestion
from matching.engine import Matcher, MatcherConfig
from matching.lists import CandidateLists

INSERT_CHUNK = 5000  # rows per INSERT statement

Progress = Callable[[str], None]
Lists = Mapping[int, Sequence[Suggestion]]


def _quiet(_phase: str) -> None:
    pass


@dataclass
class Summary:
    """What a run did, for the command's output and the task's result."""

    day: date
    members: int = 0  # verified members with a profile
    already: int = 0  # members whose list for the day was there before this run
    filled: int = 0  # members who got a list in this run
    suggestions: int = 0  # suggestions written in this run
    # List length -> members who got a list that long in this run; 0 counts members
    # left without one (nobody eligible for them today).
    sizes: Counter[int] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "members": self.members,
            "already": self.already,
            "filled": self.filled,
            "suggestions": self.suggestions,
            "sizes": {str(size): count for size, count in sorted(self.sizes.items())},
        }


def phases(shards: int) -> int:
    """How many times ``run`` reports progress: load, fit, each shard, assign, write."""
    return 4 + shards


def run(day: date, settings: Settings, progress: Progress = _quiet) -> Summary:
    """The whole batch in this process, the shards one after another. Flushes."""
    matcher, todo, summary = prepare(day, settings, progress)
    if matcher is None:
        for _ in range(settings.shards + 2):
            progress("nothing to do")
        return summary
    parts = []
    for shard in range(settings.shards):
        parts.append(candidates_of(matcher, day, shard_of(todo, shard, settings.shards), settings))
        progress("candidates")
    assigned = matcher.assign(CandidateLists.concat(parts), settings.k, shown_today(day))
    progress("assign")
    store(day, {viewer: assigned.get(viewer, []) for viewer in todo}, summary)
    progress("write")
    return summary


def prepare(
    day: date, settings: Settings, progress: Progress = _quiet
) -> tuple[Matcher | None, list[int], Summary]:
    """Load the verified members and the history and fit a matcher on them; return it,
    the members still without a list for ``day``, and the summary so far. No matcher
    when every member has a list already (a re-run has nothing to do)."""
    profiles = load_profiles()
    history = load_history(day, settings.repeat_window_days)
    already = viewers_with_lists(day)
    todo = [p.id for p in profiles if p.id not in already]
    summary = Summary(day=day, members=len(profiles), already=len(profiles) - len(todo))
    progress("load")
    matcher = None
    if todo:
        matcher = Matcher(MatcherConfig(repeat_window_days=settings.repeat_window_days))
        matcher.fit(profiles, history)
    progress("fit")
    return matcher, todo, summary


def shard_of(ids: Iterable[int], shard: int, shards: int) -> list[int]:
    """The viewers one shard serves: ids congruent to ``shard`` modulo ``shards``.

    By id, not by position, so shards that read the members at slightly different
    moments still split them without gaps or overlaps.
    """
    return sorted(i for i in ids if i % shards == shard)


def candidates_of(
    matcher: Matcher, day: date, viewer_ids: Sequence[int], settings: Settings
) -> CandidateLists:
    """The viewers' candidates, as many per viewer as ``Matcher.suggest`` keeps."""
    size = max(matcher.config.list_size, 2 * settings.k)
    return matcher.candidates(day, viewer_ids, list_size=size)


# -- the chord: candidates per shard, then one assignment ---------------------------------


def shard_candidates(day: date, shard: int, settings: Settings) -> dict[str, Any]:
    """One shard's candidate lists, as JSON for the chord's assign step. Reads only.

    The lists travel as arrays (viewers asked for; viewer, candidate and score of each
    pair), base64-encoded: 20 bytes a pair instead of a JSON object per suggestion. The
    reasons are worked out in the assign step, only for the pairs it keeps.
    """
    matcher, todo, _ = prepare(day, settings)
    if matcher is None:
        return {name: pack(np.empty(0), dtype) for name, dtype in _ARRAYS.items()}
    lists = candidates_of(matcher, day, shard_of(todo, shard, settings.shards), settings)
    return {name: pack(getattr(lists, name), dtype) for name, dtype in _ARRAYS.items()}


def assign_shards(day: date, shards: Sequence[Mapping[str, Any]], settings: Settings) -> Summary:
    """Assign the lists the shards found under the global exposure cap, and write them.

    Fits its own matcher on the current members (to word the reasons); pairs with a
    member it no longer knows are dropped. Flushes.
    """
    matcher, _, summary = prepare(day, settings)
    if matcher is None:
        return summary
    known = matcher.columns.ids
    parts = [matcher.candidates(day, [])]  # empty, but carries the explainer
    for shard in shards:
        viewers, pair_viewers, candidates, scores = (
            unpack(shard[name], dtype) for name, dtype in _ARRAYS.items()
        )
        keep = np.isin(pair_viewers, known) & np.isin(candidates, known)
        parts.append(CandidateLists(viewers, pair_viewers[keep], candidates[keep], scores[keep]))
    lists = CandidateLists.concat(parts)
    assigned = matcher.assign(lists, settings.k, shown_today(day))
    store(day, {viewer: assigned.get(viewer, []) for viewer in lists}, summary)
    return summary


_ARRAYS = {"viewers": "<i8", "pair_viewers": "<i8", "candidates": "<i8", "scores": "<f4"}


def pack(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode()


def unpack(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).astype(dtype[1:])


# -- writing ------------------------------------------------------------------------------


def viewers_with_lists(day: date) -> set[int]:
    """Members whose list for ``day`` is already written."""
    query = select(DailySuggestion.viewer_id).where(DailySuggestion.day == day).distinct()
    return set(db.session.scalars(query))


def shown_today(day: date) -> dict[int, int]:
    """Member id -> lists the member appears in for ``day`` already (an earlier run of
    the day served other viewers): a re-run filling newcomers counts them towards the
    exposure cap."""
    query = (
        select(DailySuggestion.candidate_id, func.count())
        .where(DailySuggestion.day == day)
        .group_by(DailySuggestion.candidate_id)
    )
    return {int(member): int(count) for member, count in db.session.execute(query)}


def lock_day(day: date) -> None:
    """Serialise the writers of one day's lists until the transaction ends."""
    advisory_lock(Namespace.quickmatch_day, day.toordinal())


def store(day: date, lists: Lists, summary: Summary) -> Summary:
    """Write the lists of members who have none for ``day`` yet; leave the others be.

    Under the day's lock, re-reads who has a list and who is still a verified member
    (the matcher worked on a snapshot: someone may have been suspended since), so
    concurrent runs never write two lists for one member, and nobody unverified gets or
    appears in a list. Writes in the session's transaction; the caller commits.
    """
    lock_day(day)
    already = viewers_with_lists(day)
    verified = set(db.session.scalars(verified_members()))
    rows = _rows(day, lists, already, verified, summary)
    if db.session.get_bind().dialect.name == "postgresql":
        summary.suggestions += _copy(rows)
    else:
        while chunk := list(islice(rows, INSERT_CHUNK)):
            db.session.execute(insert(DailySuggestion.__table__), [_values(row) for row in chunk])
            summary.suggestions += len(chunk)
    return summary


COLUMNS = ("day", "viewer_id", "candidate_id", "rank", "score", "reasons", "created_at")
Row = tuple[date, int, int, int, float, Suggestion, datetime]  # COLUMNS; reasons from it


def _values(row: Row) -> dict[str, Any]:
    values = dict(zip(COLUMNS, row, strict=True))
    values["reasons"] = reasons_of(row[5])
    return values


def _copy(rows: Iterator[Row]) -> int:
    """PostgreSQL: stream the rows with COPY, many times faster than executemany (an
    INSERT per row). The same reasons recur a lot: each set is serialised once."""
    statement = f"COPY daily_suggestion ({', '.join(COLUMNS)}) FROM STDIN"
    dumped: dict[tuple, str] = {}
    count = 0
    # The session's own connection: the rows join its transaction (and its day lock).
    with db.session.connection().connection.cursor() as cursor, cursor.copy(statement) as copy:
        for *values, suggestion, created_at in rows:
            key = (suggestion.reason_codes, suggestion.reasons)
            if key not in dumped:
                dumped[key] = json.dumps(reasons_of(suggestion))
            copy.write_row((*values, dumped[key], created_at))
            count += 1
    return count


def _rows(
    day: date, lists: Lists, already: set[int], verified: set[int], summary: Summary
) -> Iterator[Row]:
    """The rows to write, in ``COLUMNS`` order; counts the lists in ``summary``."""
    now = utcnow()
    for viewer_id in sorted(lists):
        if viewer_id in already or viewer_id not in verified:
            continue
        kept = [s for s in lists[viewer_id] if s.candidate_id in verified]
        summary.sizes[len(kept)] += 1
        summary.filled += bool(kept)
        for rank, suggestion in enumerate(kept, start=1):
            score = float(suggestion.score)
            yield (day, viewer_id, suggestion.candidate_id, rank, score, suggestion, now)


def reasons_of(suggestion: Suggestion) -> list[Any]:
    """A suggestion's reasons as stored: structured (``{"code": ..., "params": {...}}``,
    worded in the reader's language when shown) when the matcher gives codes, else its
    sentences."""
    codes = suggestion.reason_codes
    return [code.as_dict() for code in codes] if codes else list(suggestion.reasons)


# -- on demand: a member who joined after the day's batch ----------------------------------


def batch_ran(day: date) -> bool:
    """Whether the batch (or anything) has written lists for ``day``."""
    query = select(DailySuggestion.id).where(DailySuggestion.day == day).limit(1)
    return db.session.scalar(query) is not None


def suggest_now(member_id: int, day: date, settings: Settings) -> int:
    """Suggestions for one member who has no list for ``day`` (joined after the batch),
    computed now: the matcher fitted on the current members and history, candidates for
    this viewer only, assigned under the day's exposure cap counting the lists already
    written, stored under the day's lock. Idempotent (a member with a list, or one the
    batch fills meanwhile, gets nothing new). Returns the suggestions written. Flushes.

    Synchronous, for a page view: at the demo's 150 members the fit takes well under a
    second; the whole-population fit grows linearly (about 18 s at 100,000 members, see
    ``tasks``), past which this belongs in a task.
    """
    if member_id in viewers_with_lists(day):
        return 0
    profiles = load_profiles()
    if member_id not in {profile.id for profile in profiles}:
        return 0  # not a verified member with a profile: nothing to match on
    matcher = Matcher(MatcherConfig(repeat_window_days=settings.repeat_window_days))
    matcher.fit(profiles, load_history(day, settings.repeat_window_days))
    lists = candidates_of(matcher, day, [member_id], settings)
    assigned = matcher.assign(lists, settings.k, shown_today(day))
    summary = store(day, {member_id: assigned.get(member_id, [])}, Summary(day=day))
    return summary.suggestions
