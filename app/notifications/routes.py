"""Notification views: the signed-in user's list, newest first, and "mark all as read"."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import SubmitField

from app.extensions import db
from app.notifications import bp, operations, texts


class MarkReadForm(FlaskForm):
    submit = SubmitField(_l("Mark all as read"))


@bp.get("")
@login_required
def index() -> str:
    notifications = operations.newest_first(current_user.id)
    return render_template(
        "notifications/index.html",
        items=[(n, texts.show(n)) for n in notifications],
        form=MarkReadForm(),
    )


@bp.post("/read")
@login_required
def read() -> Response:
    if MarkReadForm().validate_on_submit():
        operations.mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for(".index"))


@bp.app_context_processor
def inject_unread_count() -> dict:
    """``unread_notifications()`` for the header badge, queried only when a page asks."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return operations.unread_count(current_user.id)
        except SQLAlchemyError:  # an error page for a failing database still renders
            db.session.rollback()
            return 0

    return {"unread_notifications": unread_notifications}
