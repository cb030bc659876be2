"""Privacy operations: the access log, My data (what is stored, export, deletion), consent.

Operations flush; the route or task commits. My data is assembled from the features:
each declares its part (``Feature.my_data``, a ``DataContributor`` in its own
``my_data.py``: summary, export, erase), and this module only merges the parts and
runs the erasures in order. Of the features' models it imports only the audit log's,
which every feature writes to.

Deletion keeps the rows the law or the other member needs (each contributor's
``erase`` says which): the match rows (the other side sees "deleted user"), the
verification case's decision and checks (with the encrypted real name and ID number
erased), the moderation record and the audit entries. The member's own messages are
deleted; the partner's messages in the same conversation stay, they are the partner's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app import features
from app.audit.models import record as audit
from app.db_types import utcnow
from app.extensions import db
from app.privacy.models import PURPOSE_MAX, PersonalDataAccess
from app.signals import member_ready_for_matching

if TYPE_CHECKING:
    from app.accounts.models import User

COUNTS = "counts"  # the summary key every contributor may add to


def record_access(
    viewer_id: int, subject_id: int, purpose: str, at: datetime | None = None
) -> None:
    """Log that ``viewer_id`` opened ``subject_id``'s personal data, and why (``at``: when,
    now by default). Flushes.

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
            viewer_id=viewer_id,
            subject_id=subject_id,
            purpose=purpose[:PURPOSE_MAX],
            at=at or utcnow(),
        )
    )
    db.session.flush()


def _merged(parts: Iterable[tuple[str, Mapping[str, Any]]], nested: str | None) -> dict[str, Any]:
    """One mapping from the contributors' parts. A key comes from one feature only, but
    the ``nested`` key's mappings are merged (each feature adds its own entries)."""
    data: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for name, part in parts:
        for key, value in part.items():
            if key == nested:
                clash = data.setdefault(key, {}).keys() & value.keys()
                if clash:
                    raise ValueError(f"My data: {sorted(clash)} given twice (again by {name})")
                data[key].update(value)
            elif key in data:
                raise ValueError(f"My data: {key!r} given by {owner[key]} and {name}")
            else:
                data[key], owner[key] = value, name
    return data


def summary(user: User) -> dict[str, Any]:
    """What Queqiao stores about ``user``, by category: values (masked) or counts."""
    contributors = features.registry().contributors()
    return _merged(((name, c.summary(user)) for name, c in contributors), nested=COUNTS)


def export(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, in full, for their own download.

    The real name and ID number are decrypted (verification's part: they are the
    member's own data); they are never logged.
    """
    contributors = features.registry().contributors()
    parts = ((name, c.export(user)) for name, c in contributors)
    return {"exported_at": utcnow().isoformat(), **_merged(parts, nested=None)}


def withdraw_consent(user: User) -> bool:
    """Stop matching and processing: out of quick match until consent is given again."""
    if user.consent_withdrawn_at is not None:
        return False
    user.consent_withdrawn_at = utcnow()
    audit("consent.withdrawn", "user", user.id, actor_id=user.id)
    db.session.flush()
    return True


def give_consent(user: User) -> bool:
    """Consent again after a withdrawal: back in quick match (``member_ready_for_matching``:
    today's list even when today's batch ran already)."""
    if user.consent_withdrawn_at is None:
        return False
    user.consent_withdrawn_at = None
    audit("consent.given", "user", user.id, actor_id=user.id)
    db.session.flush()
    member_ready_for_matching.send(member_id=user.id)
    return True


def delete_account(user: User) -> None:
    """Delete the member's personal data, feature by feature, and anonymise the
    account (accounts' erase: the tombstone and the audit entry). Flushes.

    The features erase in the reverse of ``FEATURES`` order. A feature comes after the
    ones it builds on, so its rows refer to theirs (messages to matches, matches to
    accounts), never the other way: erasing the later ones first removes every row
    before what it refers to is touched, and the account, first listed, is anonymised
    last, once nothing else is left to erase (tests/test_privacy_contributors.py checks
    the order against the foreign keys).
    """
    for _name, contributor in reversed(features.registry().contributors()):
        contributor.erase(user)
    db.session.flush()
