"""The console's guard: matchmakers and administrators only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from app.accounts.models import AccountState
from app.extensions import login_manager

P = ParamSpec("P")
R = TypeVar("R")


def may_use_console(user: object) -> bool:
    """Signed in as an active matchmaker or administrator."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_matchmaker or user.is_admin)  # type: ignore[attr-defined]
        and user.state is AccountState.member  # type: ignore[attr-defined]
    )


def matchmaker_required(view: Callable[P, R]) -> Callable[P, R]:
    """Anonymous visitors are sent to sign in; other signed-in users get 403."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_use_console(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded
