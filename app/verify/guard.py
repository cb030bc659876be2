"""The member gate (会员专属): only verified members reach member features.

Every member route is decorated with ``member_required``. The decorator records the
view it guards, so a test can walk every guarded endpoint as a non-member
(``guarded_endpoints(app)``) and a route that forgot the gate is easy to spot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_login.config import EXEMPT_METHODS

from app.accounts.models import AccountState

# The view functions wrapped by ``member_required``, in the order they were declared.
GUARDED_VIEWS: list[Callable[..., Any]] = []


def member_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only signed-in members through: visitors are sent to sign in; signed-in users
    who are not (or no longer) members get a 403 page that leads to verification."""

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
