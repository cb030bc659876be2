"""Privacy operations: the access log. Operations flush; the route or task commits."""

from __future__ import annotations

from app.extensions import db
from app.privacy.models import PURPOSE_MAX, PersonalDataAccess


def record_access(viewer_id: int, subject_id: int, purpose: str) -> None:
    """Log that ``viewer_id`` opened ``subject_id``'s personal data, and why. Flushes.

    Call it whenever a matchmaker or an administrator opens a member's personal data
    (the review case page, a report page, ...). A member looking at their own data is
    not logged.
    """
    if viewer_id == subject_id:
        return
    purpose = purpose.strip()
    if not purpose:
        raise ValueError("an access needs a purpose")
    db.session.add(
        PersonalDataAccess(
            viewer_id=viewer_id, subject_id=subject_id, purpose=purpose[:PURPOSE_MAX]
        )
    )
    db.session.flush()
