"""app.relations.queries: blocks either way and hidden members keep two apart."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import AccountState, User
from app.extensions import db
from app.relations.models import Block
from app.relations.queries import apart, kept_apart
from tests.factories import make_user


def test_blocks_either_way_and_hidden_members_are_kept_apart(app):
    a, b, c, d, e, f = (make_user(app, "member") for _ in range(6))
    with app.app_context():
        assert kept_apart(a.id) == set()
        assert not apart(a.id, b.id)
        db.session.add(Block(blocker_id=b.id, blocked_id=a.id))
        db.session.get(User, c.id).state = AccountState.suspended
        db.session.get(User, d.id).state = AccountState.deleted
        db.session.get(User, e.id).consent_withdrawn_at = datetime.now(UTC)
        db.session.commit()
        assert kept_apart(a.id) == {b.id, c.id, d.id, e.id}
        assert kept_apart(b.id) == {a.id, c.id, d.id, e.id}
        assert kept_apart(f.id) == {c.id, d.id, e.id}
        assert apart(a.id, b.id) and apart(b.id, a.id)
        assert apart(f.id, c.id) and apart(d.id, f.id) and apart(f.id, e.id)
        assert not apart(a.id, f.id)
        assert not apart(a.id, a.id)
