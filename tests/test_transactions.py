"""Queue after commit by mechanism: ``after_commit`` calls once the transaction has
committed (its rows visible to everyone), never after a rollback, at once when no
transaction is open; eager tasks run as they did."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, update

from app.accounts.models import AccountState, User
from app.extensions import db
from app.system.tasks import ping
from app.transactions import after_commit
from tests.factories import make_user


def _state_seen_elsewhere(user_id: int) -> AccountState:
    """The user's state as another connection reads it (only committed data)."""
    engine = create_engine(db.engine.url)
    try:
        with engine.connect() as other:
            return other.scalar(select(User.state).where(User.id == user_id))
    finally:
        engine.dispose()


def _make_member(user_id: int) -> None:
    db.session.execute(
        update(User).where(User.id == user_id).values(state=AccountState.member),
        execution_options={"synchronize_session": False},
    )


def test_no_transaction_open_calls_at_once(app_ctx) -> None:
    calls: list[int] = []
    db.session.commit()
    after_commit(calls.append, 1)
    assert calls == [1]


@pytest.mark.commits  # reads from another connection
def test_called_only_after_the_commit_is_visible(app_ctx) -> None:
    user = make_user(app_ctx)
    seen: list[AccountState] = []
    _make_member(user.id)
    after_commit(lambda: seen.append(_state_seen_elsewhere(user.id)))
    db.session.flush()
    assert seen == []
    db.session.commit()
    assert seen == [AccountState.member]


def test_calls_run_once_in_order_with_their_arguments(app_ctx) -> None:
    calls: list[tuple] = []
    db.session.scalar(select(func.count(User.id)))  # a transaction is open
    after_commit(lambda *args, **kwargs: calls.append((args, kwargs)), 1, two=2)
    after_commit(lambda: calls.append(("second",)))
    db.session.commit()
    db.session.scalar(select(func.count(User.id)))
    db.session.commit()
    assert calls == [((1,), {"two": 2}), ("second",)]


@pytest.mark.commits  # reads from another connection
def test_nothing_is_called_after_a_rollback(app_ctx) -> None:
    user = make_user(app_ctx)
    calls: list[int] = []
    _make_member(user.id)
    after_commit(calls.append, 1)
    db.session.rollback()
    db.session.scalar(select(func.count(User.id)))
    db.session.commit()  # a later transaction does not inherit it
    assert calls == []
    assert _state_seen_elsewhere(user.id) is AccountState.registered


def test_nothing_is_called_when_the_session_closes_uncommitted(app_ctx) -> None:
    calls: list[int] = []
    db.session.scalar(select(func.count(User.id)))
    after_commit(calls.append, 1)
    db.session.remove()  # the end of a request that never committed
    assert calls == []


def test_a_rolled_back_savepoint_drops_only_its_own_calls(app_ctx) -> None:
    user = make_user(app_ctx)
    calls: list[str] = []
    _make_member(user.id)
    after_commit(calls.append, "outer")
    with pytest.raises(RuntimeError), db.session.begin_nested():
        after_commit(calls.append, "inner")
        raise RuntimeError
    with db.session.begin_nested():
        after_commit(calls.append, "kept")
    assert calls == []
    db.session.commit()
    assert calls == ["outer", "kept"]


def test_an_eager_task_runs_right_after_the_commit(app_ctx) -> None:
    user = make_user(app_ctx)
    results: list[dict] = []
    _make_member(user.id)
    after_commit(lambda: results.append(ping.delay("after").get()))
    assert results == []
    db.session.commit()
    assert [result["token"] for result in results] == ["after"]
    assert results[0]["users"] == 1
