"""Granting and revoking the matchmaker role (红娘资格), by an administrator.

Rules: a reason is required; only a verified member (state ``member``) with the member
role can become a matchmaker; an administrator never changes their own role nor another
administrator's; the form says which role the administrator saw, so a grant or revoke
on a page that is out of date (someone else changed the role meanwhile, or the same
form sent twice) is refused as ``Stale`` and changes nothing.

Revoking a matchmaker hands their open requests to the other matchmakers by the
fewest-open rule (or back to waiting) and tells each member.
"""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import AccountState, Role, User
from app.audit.models import record as audit
from app.consult import assignment
from app.consult.models import Consultation, ConsultationState
from app.extensions import db
from app.locking import lock_row
from app.notifications.models import notify


class RoleRefused(Exception):
    """The change is not allowed (a 400); ``args[0]`` says why, as a code."""


class Stale(Exception):
    """The role is not what the administrator saw (a 409)."""


def lock_user(user_id: int) -> User | None:
    return lock_row(User, user_id)


def grant(admin: User, user: User, seen_role: Role, reason: str) -> None:
    """Make ``user`` a matchmaker. Audit-logged, the user notified; waiting requests
    are assigned. Flushes; the caller commits."""
    _check(admin, user, seen_role)
    if user.role is not Role.member:
        raise Stale(user.id)
    if user.state is not AccountState.member:
        raise RoleRefused("not_verified")
    user.role = Role.matchmaker
    audit("role.granted", "user", user.id, actor_id=admin.id, reason=reason, role="matchmaker")
    notify(user.id, "role_granted")
    db.session.flush()
    assignment.assign_waiting()


def revoke(admin: User, user: User, seen_role: Role, reason: str) -> int:
    """Take the matchmaker role back; returns how many open requests moved on."""
    _check(admin, user, seen_role)
    if user.role is not Role.matchmaker:
        raise Stale(user.id)
    user.role = Role.member
    audit("role.revoked", "user", user.id, actor_id=admin.id, reason=reason, role="matchmaker")
    notify(user.id, "role_revoked")
    db.session.flush()
    return _hand_over(user.id)


def _check(admin: User, user: User, seen_role: Role) -> None:
    if admin.id == user.id:
        raise RoleRefused("own_role")
    if user.role is Role.admin:
        raise RoleRefused("administrator")
    if user.role is not seen_role:
        raise Stale(user.id)


def _hand_over(former_id: int) -> int:
    assignment.lock_assignments()
    open_requests = db.session.scalars(
        select(Consultation)
        .where(
            Consultation.matchmaker_id == former_id,
            Consultation.state == ConsultationState.open,
        )
        .order_by(Consultation.created_at, Consultation.id)
    ).all()
    for consultation in open_requests:
        successor = assignment.next_matchmaker(excluding=[former_id, consultation.member_id])
        if successor is None:
            consultation.matchmaker_id = None
            consultation.state = ConsultationState.waiting
            consultation.assigned_at = consultation.answer_due_at = None
            consultation.first_answer_at = None
        else:
            assignment.assign(consultation, successor)
        notify(
            consultation.member_id,
            "consultation_reassigned",
            consultation_id=consultation.id,
            waiting=successor is None,
        )
    db.session.flush()
    return len(open_requests)
