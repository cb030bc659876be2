"""``unread_messages()`` for the tab bar's lounge badge: the partners' messages the
member has not read, over the conversations the lounge lists (the same count as the
list's per-conversation badges). Queried only when a page asks, for members only."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.lounge import bp
from app.lounge.operations import matches_of


def unread_count(member_id: int) -> int:
    return sum(entry.unread for entry in matches_of(member_id))


@bp.app_context_processor
def inject_unread_messages() -> dict:
    def unread_messages() -> int:
        if not current_user.is_authenticated or current_user.state.value != "member":
            return 0
        try:
            return unread_count(current_user.id)
        except SQLAlchemyError:  # an error page for a failing database still renders
            db.session.rollback()
            return 0

    return {"unread_messages": unread_messages}
