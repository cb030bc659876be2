"""The People page: find a user by mobile number, grant and revoke the matchmaker role
with a reason (audit-logged, the user notified), only verified members, never one's
own role nor an administrator's, stale or repeated forms 409; revoking hands the open
requests over by the fewest-open rule and tells the members."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import AccountState, Role, User
from app.audit.models import AuditEntry
from app.consult.models import Consultation, ConsultationState
from app.db_types import utcnow
from app.extensions import db
from app.privacy.models import PersonalDataAccess
from tests.consult_helpers import add_consultation, english, notifications_of, sign_in, user_ids
from tests.factories import make_user

__all__ = ["english"]

REASON = "参加过红娘培训，品行可靠"


def role_of(app, user_id: int) -> Role:
    with app.app_context():
        return db.session.get(User, user_id).role


def audit(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.subject_id, e.actor_id, e.reason) for e in rows]


def change(client, user_id: int, action: str, seen: str, reason: str = REASON):
    return client.post(
        f"/admin/people/{user_id}/role",
        data={"action": action, "seen_role": seen, "reason": reason},
    )


def test_find_a_user_by_phone(app, client):
    (admin,) = user_ids(app, "admin", 1)
    member = make_user(app, "member", phone="+8613912345678")
    sign_in(app, client, admin)
    for typed in ("13912345678", "+8613912345678"):
        page = client.post("/admin/people", data={"phone": typed}).get_data(as_text=True)
        assert "139****5678" in page and "Verified member" in page and "Make a matchmaker" in page
        # In full only where the administrator's own search is echoed (inputs' values).
        assert "13912345678" not in re.sub(r'value="[^"]*"', "", page)
    assert client.post("/admin/people", data={"phone": "1391234"}).status_code == 400
    missing = client.post("/admin/people", data={"phone": "13600000000"})
    assert "No account with this number" in missing.get_data(as_text=True)
    with app.app_context():
        purposes = db.session.scalars(
            select(PersonalDataAccess.purpose).where(PersonalDataAccess.subject_id == member.id)
        ).all()
    assert purposes == ["role management", "role management"]


def test_grant_then_revoke(app, client):
    (admin,) = user_ids(app, "admin", 1)
    (member,) = user_ids(app, "member", 1)
    sign_in(app, client, admin)
    response = change(client, member, "grant", "member")
    assert response.status_code == 302
    assert role_of(app, member) is Role.matchmaker
    assert notifications_of(app, member) == [("role_granted", {})]
    # The same form again (or a stale page): 409, nothing changes.
    assert change(client, member, "grant", "member").status_code == 409
    response = change(client, member, "revoke", "matchmaker", reason="本人申请退出")
    assert response.status_code == 302
    assert role_of(app, member) is Role.member
    assert change(client, member, "revoke", "matchmaker").status_code == 409
    assert audit(app) == [
        ("role.granted", member, admin, REASON),
        ("role.revoked", member, admin, "本人申请退出"),
    ]
    assert [kind for kind, _ in notifications_of(app, member)] == ["role_granted", "role_revoked"]


def test_refusals_change_nothing(app, client):
    admin, other_admin = user_ids(app, "admin", 2)
    (registered,) = user_ids(app, "registered", 1)
    (member,) = user_ids(app, "member", 1)
    sign_in(app, client, admin)
    assert change(client, member, "grant", "member", reason="").status_code == 400
    assert change(client, member, "grant", "member", reason="ok").status_code == 400
    assert change(client, member, "promote", "member").status_code == 400
    response = change(client, registered, "grant", "member")
    assert response.status_code == 400
    assert "Only verified members" in response.get_data(as_text=True)
    response = change(client, admin, "revoke", "admin")
    assert response.status_code == 400
    assert "your own role" in response.get_data(as_text=True)
    assert change(client, other_admin, "revoke", "admin").status_code == 400
    assert change(client, 999_999, "grant", "member").status_code == 404
    assert [role_of(app, u) for u in (member, registered, admin, other_admin)] == [
        Role.member,
        Role.member,
        Role.admin,
        Role.admin,
    ]
    assert audit(app) == []
    assert notifications_of(app, member) == []


def test_a_suspended_member_cannot_become_a_matchmaker(app, client):
    (admin,) = user_ids(app, "admin", 1)
    suspended = make_user(app, "member", state=AccountState.suspended).id
    sign_in(app, client, admin)
    assert change(client, suspended, "grant", "member").status_code == 400
    assert role_of(app, suspended) is Role.member


def test_revoking_hands_open_requests_to_the_fewest_open(app, client):
    (admin,) = user_ids(app, "admin", 1)
    leaving, busy, free = user_ids(app, "matchmaker", 3)
    members = user_ids(app, "member", 3)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=2)
        moving = [add_consultation(m, leaving, assigned_at=long_ago).id for m in members[:2]]
        kept = add_consultation(members[2], leaving, ConsultationState.resolved).id
        add_consultation(members[2], busy, assigned_at=long_ago)
        db.session.commit()
    sign_in(app, client, admin)
    assert change(client, leaving, "revoke", "matchmaker").status_code == 302
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Consultation))}
        # The first goes to free (0 open); then free and busy both have 1 open, and
        # busy's last assignment is the older: busy gets the second.
        assert [rows[cid].matchmaker_id for cid in moving] == [free, busy]
        assert all(rows[cid].first_answer_at is None for cid in moving)
        assert rows[kept].matchmaker_id == leaving  # resolved requests stay
    for member, cid in zip(members[:2], moving, strict=True):
        assert ("consultation_reassigned", {"consultation_id": cid, "waiting": False}) in (
            notifications_of(app, member)
        )


def test_revoking_the_only_matchmaker_puts_requests_back_to_waiting(app, client):
    (admin,) = user_ids(app, "admin", 1)
    (leaving,) = user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    with app.app_context():
        cid = add_consultation(member, leaving, assigned_at=utcnow()).id
        db.session.commit()
    sign_in(app, client, admin)
    assert change(client, leaving, "revoke", "matchmaker").status_code == 302
    with app.app_context():
        row = db.session.get(Consultation, cid)
        assert (row.matchmaker_id, row.state) == (None, ConsultationState.waiting)
    assert ("consultation_reassigned", {"consultation_id": cid, "waiting": True}) in (
        notifications_of(app, member)
    )
