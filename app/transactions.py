"""Work that waits for the transaction: ``after_commit(task.delay, case_id)``.

A task queued before its transaction commits can run before the rows it reads exist
(or run for rows a rollback then takes back). ``after_commit`` defers the call until
``db.session``'s transaction commits, and drops it when the transaction rolls back
(a rolled-back savepoint drops what was deferred inside it). With no transaction open
it calls at once. In eager mode (the embedded default) the task then runs in-process
right after the commit, exactly as a ``.delay`` written after the commit did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

_PENDING = "after_commit.pending"  # Session.info: [(transaction, call, args, kwargs)]
_COMMITTED = "after_commit.committed"  # Session.info: the outermost transaction committed


def after_commit(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Call ``call(*args, **kwargs)`` once the current transaction of ``db.session``
    commits; never if it rolls back; at once when no transaction is open."""
    session = db.session()
    if not session.in_transaction():
        call(*args, **kwargs)
        return
    innermost = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((innermost, call, args, kwargs))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if _PENDING in session.info and not session.in_nested_transaction():
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending and previous.nested:
        pending[:] = [entry for entry in pending if not _within(entry[0], previous)]


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or _PENDING not in session.info:
        return
    pending = session.info.pop(_PENDING)
    if session.info.pop(_COMMITTED, False):  # else rolled back or closed: dropped
        for _, call, args, kwargs in pending:
            call(*args, **kwargs)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
