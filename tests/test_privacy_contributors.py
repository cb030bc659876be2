"""My data (我的数据) is assembled from the features, as pretix's data shredders: every
table that refers to an account is some feature's part of it, and the erasure runs in
an order the foreign keys allow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app import features
from app.accounts.models import User
from app.extensions import db
from app.features import Feature, Registry
from app.privacy import operations
from app.profiles.models import MemberProfile
from tests.factories import make_user
from tests.test_architecture import imported_modules

ACCOUNT = "user_account.id"


def claims(registry: Registry) -> dict[str, str]:
    """Table name -> the feature whose contributor answers for it (each table once)."""
    owner: dict[str, str] = {}
    for name, contributor in registry.contributors():
        for table in contributor.tables:
            assert table not in owner, f"{table} is claimed by {owner[table]} and {name}"
            owner[table] = name
    return owner


def referring_to_accounts() -> set[str]:
    return {
        table.name
        for table in db.metadata.sorted_tables
        if any(key.target_fullname == ACCOUNT for key in table.foreign_keys)
    }


def unclaimed(registry: Registry) -> set[str]:
    return referring_to_accounts() - claims(registry).keys()


def without(registry: Registry, name: str) -> Registry:
    return Registry(tuple(replace(f, my_data=None) if f.name == name else f for f in registry))


def test_every_table_referring_to_an_account_has_a_contributor(app):
    assert unclaimed(features.registry(app)) == set()


def test_a_feature_without_its_contributor_leaves_its_tables_unclaimed(app):
    registry = features.registry(app)
    left = unclaimed(registry)
    assert unclaimed(without(registry, "lounge")) - left == {"lounge_message"}
    assert unclaimed(without(registry, "events")) - left == {"event", "event_signup", "event_pick"}


def test_every_claimed_table_exists(app):
    assert set(claims(features.registry(app))) - set(db.metadata.tables) == set()


def test_the_erasure_runs_before_what_a_row_refers_to(app):
    """Contributors erase in the reverse of FEATURES order: a row of one feature that
    refers to another feature's table is erased first (messages before matches, every
    feature before the account's tombstone)."""
    registry = features.registry(app)
    owner = claims(registry)
    erased_at = {name: i for i, (name, _) in enumerate(reversed(registry.contributors()))}
    too_late = [
        f"{table.name} ({owner[table.name]}) -> {key.column.table.name} "
        f"({owner[key.column.table.name]})"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if table.name in owner
        and key.column.table.name in owner
        and erased_at[owner[table.name]] > erased_at[owner[key.column.table.name]]
    ]
    assert too_late == []


def test_the_orchestrator_imports_no_feature():
    """app/privacy/operations.py only merges the parts and runs the erasures. Beyond
    that it writes to the audit log (every feature does), sends a signal and names the
    User type."""
    path = Path(operations.__file__)
    allowed = {
        "app",
        "app.features",
        "app.extensions",
        "app.db_types",
        "app.audit.models",
        "app.accounts.models",
        "app.signals",
    }
    found = {name for name in imported_modules(path) if name.startswith("app")}
    assert {name for name in found - allowed if not name.startswith("app.privacy")} == set()


class Giving:
    """A contributor whose summary or export gives what it is told."""

    tables = ()

    def __init__(self, part: str, given: dict) -> None:
        self.parts = {part: given}

    def summary(self, user: User) -> dict:
        return self.parts.get("summary", {})

    def export(self, user: User) -> dict:
        return self.parts.get("export", {})

    def erase(self, user: User) -> None:
        pass


@pytest.mark.parametrize(
    ("part", "given"),
    [
        ("summary", {"account": {}}),  # accounts give it
        ("summary", {"counts": {"devices": 0}}),  # a count accounts give
        ("export", {"notifications": []}),
    ],
)
def test_a_key_given_by_two_features_is_refused(app_ctx, part, given):
    user = make_user(app_ctx, "member")
    original = features.registry(app_ctx)
    clashing = Feature(name="clashing", my_data=Giving(part, given))
    app_ctx.extensions[features.EXTENSION] = Registry((*original, clashing))
    try:
        with pytest.raises(ValueError, match="given"):
            getattr(operations, part)(user)
    finally:
        app_ctx.extensions[features.EXTENSION] = original


def test_the_counts_of_the_features_are_merged(app_ctx):
    counts = operations.summary(make_user(app_ctx, "member"))["counts"]
    assert {"devices", "notifications", "photos", "reactions", "lessons_done"} <= counts.keys()


def test_the_access_log_names_a_viewer_by_nickname_else_by_id(app_ctx):
    """Profiles names the accounts (``names``); privacy reads no profile itself."""
    member = make_user(app_ctx, "member")
    matchmaker, admin = make_user(app_ctx, "matchmaker"), make_user(app_ctx, "admin")
    db.session.add(MemberProfile(user_id=matchmaker.id, nickname="红娘小周", city="杭州"))
    operations.record_access(matchmaker.id, member.id, "consultation")
    operations.record_access(admin.id, member.id, "verification review")
    viewers = {e["role"]: e["viewer"] for e in operations.summary(member)["access_log"]}
    assert viewers == {"matchmaker": "红娘小周", "admin": f"#{admin.id}"}
