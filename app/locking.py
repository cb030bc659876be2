"""Locks held until the current transaction ends: row locks and named advisory locks.

The one place the service locks anything (after pretix's ``base/services/locking.py``):

- ``lock_row(Model, id)`` / ``lock_rows(query)`` load rows for a decision, locked so a
  second writer waits and then reads the first one's outcome;
- ``advisory_lock(Namespace.X, *keys)`` serialises work that has no row to lock (the
  writers of one day's lists, two members answering each other).

PostgreSQL: ``SELECT … FOR UPDATE`` and ``pg_advisory_xact_lock``. SQLite ignores
``FOR UPDATE`` and has no advisory locks, but its write lock covers the whole database,
so every lock there is the same: a write that changes nothing (``DELETE … WHERE false``)
takes that lock first. Either way the lock ends with the transaction (commit or
rollback); nothing here commits.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Any, TypeVar

from sqlalchemy import Select, Table, false, func, select

from app.extensions import db

M = TypeVar("M")

_INT4 = 2**31


@enum.unique
class Namespace(enum.IntEnum):
    """Every advisory-lock key space, one number each (``@unique``: two features can
    never share one by accident). PostgreSQL takes the number as the first key of the
    two-key lock, so locks of different namespaces never meet whatever their keys."""

    quickmatch_day = 0x514D  # "QM": the writers of one day's suggestion lists
    quickmatch_pair = 0x5150  # "QP": two members answering each other (like / pass)
    consult_assignment = 0x636F  # "co": consultations handed to matchmakers


def lock_row(model: type[M], row_id: Any) -> M | None:
    """The row of ``model`` with primary key ``row_id``, locked and read afresh (so a
    writer that waited sees the committed outcome), or None when there is none."""
    _take_sqlite_write_lock(model.__table__)  # type: ignore[attr-defined]
    return db.session.get(model, row_id, with_for_update=True, populate_existing=True)


def lock_rows(query: Select[Any]) -> Select[Any]:
    """``query`` made to lock the rows it selects (``FOR UPDATE``) and read them afresh.
    Execute the result as usual (``db.session.scalar(lock_rows(query))``)."""
    tables = [table for table in query.get_final_froms() if isinstance(table, Table)]
    _take_sqlite_write_lock(tables[0] if tables else None)
    return query.with_for_update().execution_options(populate_existing=True)


def advisory_lock(namespace: Namespace, *keys: int | str) -> None:
    """Serialise everyone taking this lock (``namespace`` and ``keys``) until the
    transaction ends. Keys beyond one 32-bit integer are hashed into one: two keys that
    share a hash only wait for each other, never miss each other."""
    if _dialect() == "postgresql":
        db.session.execute(
            select(func.pg_advisory_xact_lock(Namespace(namespace).value, advisory_key(*keys)))
        )
    else:
        _take_sqlite_write_lock(None)


def advisory_key(*keys: int | str) -> int:
    """The 32-bit key PostgreSQL gets for ``keys`` within a namespace (0 for none)."""
    if not keys:
        return 0
    if len(keys) == 1 and isinstance(keys[0], int) and -_INT4 <= keys[0] < _INT4:
        return keys[0]
    digest = hashlib.blake2b("\x1f".join(map(str, keys)).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _take_sqlite_write_lock(table: Table | None) -> None:
    """On SQLite, take the database-wide write lock with a write that changes nothing
    (any table will do; without one, the accounts table every database has)."""
    if _dialect() != "sqlite":
        return
    if table is None:
        table = db.metadata.tables["user_account"]
    db.session.execute(table.delete().where(false()))
