"""The guards every feature uses: the member gate, the console, the administrators.

One module below the features, so no feature imports another feature to protect its
views. ``member_required`` records the views it guards, so a test can walk every
guarded endpoint as a non-member (``guarded_endpoints(app)``) and a route that forgot
the gate is easy to spot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, abort, current_app, render_template, request
from flask_login import current_user
from flask_login.config import EXEMPT_METHODS

from app.accounts.models import AccountState
from app.extensions import login_manager

P = ParamSpec("P")
R = TypeVar("R")

# The view functions wrapped by ``member_required``, in the order they were declared.
GUARDED_VIEWS: list[Callable[..., Any]] = []


def member_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The member gate (会员专属): let only signed-in members through. Visitors are sent to
    sign in; signed-in users who are not (or no longer) members get a 403 page that leads
    to verification."""

    @wraps(view)
    def gated(*args: Any, **kwargs: Any) -> Any:
        if request.method not in EXEMPT_METHODS:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.state is not AccountState.member:
                return render_template("verify/member_required.html"), 403
        return current_app.ensure_sync(view)(*args, **kwargs)

    GUARDED_VIEWS.append(gated)
    return gated


def _wrapped_chain(view: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def guarded_endpoints(app: Flask) -> set[str]:
    """The endpoints of ``app`` (``blueprint.function``) whose view passes the gate,
    even when other decorators were stacked on top of ``member_required``."""
    guarded = set(GUARDED_VIEWS)
    return {
        endpoint
        for endpoint, view in app.view_functions.items()
        if any(layer in guarded for layer in _wrapped_chain(view))
    }


def may_use_console(user: object) -> bool:
    """Signed in as an active matchmaker or administrator."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_matchmaker or user.is_admin)  # type: ignore[attr-defined]
        and user.state is AccountState.member  # type: ignore[attr-defined]
    )


def role_required(allowed: Callable[[Any], bool]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A guard for the users ``allowed`` admits: anonymous visitors are sent to sign in,
    other signed-in users get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


# The matchmakers' console: matchmakers and administrators who are members.
matchmaker_required = role_required(may_use_console)
# The administrators' console.
admin_required = role_required(lambda user: bool(user.is_admin))
