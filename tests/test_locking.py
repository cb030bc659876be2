"""The one locking module: every lock in app/ and verification/ goes through it; the
advisory-lock namespaces never share a number; row locks read afresh and hold until
the transaction ends, on SQLite as on PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import OperationalError

from app.accounts.models import AccountState, User
from app.extensions import db
from app.locking import Namespace, advisory_key, advisory_lock, lock_row, lock_rows
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[1]
HAND_LOCKS = re.compile(r"with_for_update|pg_advisory")


def test_nobody_locks_rows_by_hand() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("app", "verification")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "app" / "locking.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_LOCKS.search(line)
    ]
    assert found == [], "lock through app.locking, not by hand"


def test_namespaces_have_distinct_numbers_that_fit_postgresql_int4() -> None:
    numbers = [namespace.value for namespace in Namespace]
    assert len(set(numbers)) == len(numbers)
    assert all(-(2**31) <= number < 2**31 for number in numbers)


def test_advisory_keys_fit_int4_and_are_stable() -> None:
    assert advisory_key(739_000) == 739_000
    assert advisory_key() == 0
    pair = advisory_key(12, 3_000_000_000)
    assert pair == advisory_key(12, 3_000_000_000)
    assert pair != advisory_key(3_000_000_000, 12)
    assert all(-(2**31) <= key < 2**31 for key in (pair, advisory_key(2**40), advisory_key("x")))


def test_lock_row_reads_the_row_afresh(app_ctx) -> None:
    user = make_user(app_ctx)
    loaded = db.session.get(User, user.id)
    db.session.execute(
        update(User).where(User.id == user.id).values(state=AccountState.member),
        execution_options={"synchronize_session": False},
    )
    assert loaded.state is AccountState.registered  # the identity map is stale
    assert lock_row(User, user.id) is loaded
    assert loaded.state is AccountState.member
    assert lock_row(User, user.id + 1000) is None
    db.session.rollback()


@pytest.mark.commits  # waits on another connection
def test_lock_rows_locks_what_the_query_selects(app_ctx) -> None:
    user = make_user(app_ctx)
    query = lock_rows(select(User).where(User.id == user.id))
    assert db.session.scalar(query).id == user.id
    assert _blocked(app_ctx, user.id)
    db.session.commit()
    assert not _blocked(app_ctx, user.id)


@pytest.mark.commits  # waits on another connection
def test_a_row_lock_holds_until_the_transaction_ends(app_ctx) -> None:
    user = make_user(app_ctx)
    lock_row(User, user.id)
    assert _blocked(app_ctx, user.id)
    db.session.rollback()
    assert not _blocked(app_ctx, user.id)


@pytest.mark.commits  # waits on another connection
def test_an_advisory_lock_holds_until_the_transaction_ends(app_ctx) -> None:
    user = make_user(app_ctx)
    advisory_lock(Namespace.consult_assignment)
    if db.engine.dialect.name == "postgresql":
        assert _advisory_held(Namespace.consult_assignment, 0) == 1
        assert _advisory_held(Namespace.quickmatch_day, 0) == 0
    else:
        assert _blocked(app_ctx, user.id)  # SQLite: the database's write lock
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        assert _advisory_held(Namespace.consult_assignment, 0) == 0
    else:
        assert not _blocked(app_ctx, user.id)


@pytest.mark.commits  # waits on another connection
def test_advisory_locks_of_one_namespace_and_keys_wait_for_each_other(app_ctx) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's advisory locks; SQLite has one write lock")
    advisory_lock(Namespace.quickmatch_pair, 7, 9)
    key = advisory_key(7, 9)
    engine = create_engine(db.engine.url)
    try:
        with engine.connect() as other:
            try_lock = text("SELECT pg_try_advisory_xact_lock(:namespace, :key)")
            taken = {"namespace": int(Namespace.quickmatch_pair), "key": key}
            assert other.scalar(try_lock, taken) is False
            apart = {"namespace": int(Namespace.quickmatch_day), "key": key}
            assert other.scalar(try_lock, apart) is True
            other.rollback()
    finally:
        engine.dispose()
    db.session.rollback()


def _advisory_held(namespace: Namespace, key: int) -> int:
    query = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        " AND classid = :namespace AND objid = :key AND objsubid = 2"
    )
    return db.session.scalar(query, {"namespace": int(namespace), "key": key % 2**32})


def _blocked(app, user_id: int) -> bool:
    """Would another connection's write to the user's row have to wait?"""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, timeout=0)
        try:
            other.execute("UPDATE user_account SET id = id WHERE id = ?", (user_id,))
        except sqlite3.OperationalError:
            return True
        finally:
            other.rollback()
            other.close()
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as other:
            nowait = text("SELECT id FROM user_account WHERE id = :id FOR UPDATE NOWAIT")
            try:
                other.execute(nowait, {"id": user_id})
            except OperationalError:
                return True
            finally:
                other.rollback()
        return False
    finally:
        engine.dispose()
