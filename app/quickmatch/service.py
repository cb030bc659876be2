"""The quick-match batch (每日速配): verified members and their history in, the day's
suggestions out. Operations flush; the task or command that calls them commits.

A day's lists are written once. Every member a run lists gets a ``DailyList`` row,
an empty list included (nobody eligible today), beside the list's suggestions. A re-run
for the same day keeps every list already written (its member may have reacted to it)
and only fills members who have none yet: running the batch twice, after a crash, or
while another run is going never duplicates or changes a list. The write re-reads who
has a list under a lock taken for the day (a PostgreSQL advisory lock; SQLite's write
lock), and the unique constraints on (day, member) and (day, viewer, candidate) back it.

A member who becomes ready for matching after the day's batch (verified with a profile,
or consenting again) gets their list from ``prepare_list``, run by the task
``quickmatch.prepare_list`` queued once the change commits (``wants_list`` decides).

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
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func, insert, select

import matching
from app.db_types import utcnow
from app.extensions import db
from app.locking import Namespace, advisory_lock
from app.profiles.loader import load_profiles, verified_members
from app.quickmatch.history import load_history
from app.quickmatch.models import DailyList, DailySuggestion
from app.quickmatch.settings import Settings
from matching import Suggestion
from matching.lists import CandidateLists

if TYPE_CHECKING:
    from matching.engine import Matcher

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
        matcher = matching.Matcher(
            matching.MatcherConfig(repeat_window_days=settings.repeat_window_days)
        )
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
    """Members whose list for ``day`` is already written (an empty one too)."""
    return set(db.session.scalars(select(DailyList.member_id).where(DailyList.day == day)))


def list_size(member_id: int, day: date) -> int | None:
    """How long the member's list for ``day`` is; ``None`` when none is written."""
    query = select(DailyList.size).where(DailyList.day == day, DailyList.member_id == member_id)
    return db.session.scalar(query)


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
    appears in a list. Every member written gets a ``DailyList`` row with the list's
    length, 0 when nobody was left for them. Writes in the session's transaction; the
    caller commits.
    """
    lock_day(day)
    already = viewers_with_lists(day)
    verified = set(db.session.scalars(verified_members()))
    kept = _kept(lists, already, verified, summary)
    now = utcnow()
    sizes = [(day, member_id, len(listed), now) for member_id, listed in kept.items()]
    suggestions = _rows(day, kept, now)
    if db.session.get_bind().dialect.name == "postgresql":
        _copy("daily_list", LIST_COLUMNS, sizes)
        summary.suggestions += _copy("daily_suggestion", COLUMNS, _dumped(suggestions))
    else:
        _insert(DailyList, LIST_COLUMNS, iter(sizes))
        summary.suggestions += _insert(DailySuggestion, COLUMNS, _with_reasons(suggestions))
    return summary


LIST_COLUMNS = ("day", "member_id", "size", "created_at")
COLUMNS = ("day", "viewer_id", "candidate_id", "rank", "score", "reasons", "created_at")
Row = tuple[date, int, int, int, float, Suggestion, datetime]  # COLUMNS; reasons from it


def _kept(
    lists: Lists, already: set[int], verified: set[int], summary: Summary
) -> dict[int, list[Suggestion]]:
    """The lists to write, by viewer in id order: members still verified and without a
    list for the day, each with its verified candidates only. Counts them in ``summary``."""
    kept = {}
    for viewer_id in sorted(lists):
        if viewer_id in already or viewer_id not in verified:
            continue
        listed = [s for s in lists[viewer_id] if s.candidate_id in verified]
        summary.sizes[len(listed)] += 1
        summary.filled += bool(listed)
        kept[viewer_id] = listed
    return kept


def _rows(day: date, kept: Mapping[int, list[Suggestion]], now: datetime) -> Iterator[Row]:
    """The suggestions to write, in ``COLUMNS`` order."""
    for viewer_id, listed in kept.items():
        for rank, suggestion in enumerate(listed, start=1):
            score = float(suggestion.score)
            yield (day, viewer_id, suggestion.candidate_id, rank, score, suggestion, now)


def _with_reasons(rows: Iterator[Row]) -> Iterator[tuple]:
    for *values, suggestion, created_at in rows:
        yield (*values, reasons_of(suggestion), created_at)


def _dumped(rows: Iterator[Row]) -> Iterator[tuple]:
    """The rows with their reasons as JSON text, for COPY. The same reasons recur a
    lot: each set is serialised once."""
    dumped: dict[tuple, str] = {}
    for *values, suggestion, created_at in rows:
        key = (suggestion.reason_codes, suggestion.reasons)
        if key not in dumped:
            dumped[key] = json.dumps(reasons_of(suggestion))
        yield (*values, dumped[key], created_at)


def _insert(model: type[db.Model], columns: Sequence[str], rows: Iterator[tuple]) -> int:
    """INSERT the rows, ``INSERT_CHUNK`` a statement; returns how many."""
    count = 0
    while chunk := list(islice(rows, INSERT_CHUNK)):
        values = [dict(zip(columns, row, strict=True)) for row in chunk]
        db.session.execute(insert(model.__table__), values)
        count += len(chunk)
    return count


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """PostgreSQL: stream the rows with COPY, many times faster than executemany (an
    INSERT per row); returns how many."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    count = 0
    # The session's own connection: the rows join its transaction (and its day lock).
    with db.session.connection().connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reasons_of(suggestion: Suggestion) -> list[Any]:
    """A suggestion's reasons as stored: structured (``{"code": ..., "params": {...}}``,
    worded in the reader's language when shown) when the matcher gives codes, else its
    sentences."""
    codes = suggestion.reason_codes
    return [code.as_dict() for code in codes] if codes else list(suggestion.reasons)


# -- one member who became ready after the day's batch ------------------------------------


def batch_ran(day: date) -> bool:
    """Whether the batch (or anything) has written lists for ``day``."""
    return db.session.scalar(select(DailyList.id).where(DailyList.day == day).limit(1)) is not None


def wants_list(member_id: int, day: date) -> bool:
    """Whether to prepare a list for ``day`` now for a member who just became ready for
    matching: the day's batch ran (else it lists them), they have no list yet, and they
    are a verified member with a profile. Reads only."""
    if not batch_ran(day) or list_size(member_id, day) is not None:
        return False
    return ready_for_matching(member_id)


def ready_for_matching(member_id: int) -> bool:
    """Whether the batch would list the member: a verified member with a profile."""
    return bool(load_profiles([member_id]))


def prepare_list(member_id: int, day: date, settings: Settings) -> Summary:
    """The list for ``day`` of one member who has none (ready after the batch): the
    matcher fitted on the current members and history, candidates for this viewer
    only, assigned under the day's exposure cap counting the lists already written,
    stored under the day's lock (an empty list too). Idempotent: a member with a list,
    or one the batch fills meanwhile, gets nothing new. Flushes; the task commits.

    Loads and fits the whole population for one viewer (measured on PostgreSQL on the
    2-core development machine: 2.5 s at 10,000 members, 8.5 s at 50,000): run by the
    task ``quickmatch.prepare_list``, never in a request.
    """
    summary = Summary(day=day)
    if list_size(member_id, day) is not None:
        return summary
    profiles = load_profiles()
    if member_id not in {profile.id for profile in profiles}:
        return summary  # not a verified member with a profile: nothing to match on
    matcher = matching.Matcher(
        matching.MatcherConfig(repeat_window_days=settings.repeat_window_days)
    )
    matcher.fit(profiles, load_history(day, settings.repeat_window_days))
    lists = candidates_of(matcher, day, [member_id], settings)
    assigned = matcher.assign(lists, settings.k, shown_today(day))
    return store(day, {member_id: assigned.get(member_id, [])}, summary)


def summary_lines(summary: Any) -> list[str]:
    """How many members got how many suggestions, for people."""
    lines = [f"{summary.members} verified members with a profile."]
    if summary.already:
        lines.append(f"{summary.already} already had a list for the day, kept as it was.")
    for size, members in sorted(summary.sizes.items(), reverse=True):
        if size:
            lines.append(f"{members} got {size} suggestion{'s' if size > 1 else ''}.")
    if summary.sizes[0]:
        lines.append(f"{summary.sizes[0]} got none (nobody eligible for them today).")
    lines.append(f"{summary.suggestions} suggestions written.")
    return lines
