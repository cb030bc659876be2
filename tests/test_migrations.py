"""Migrations build the schema from nothing on this engine and agree with the models."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.conftest import _drop_postgres_database, _postgres_database, make_test_app


@pytest.fixture
def empty_database(migrated: str, tmp_path) -> str:
    """A brand-new, empty database on the same engine as the suite."""
    url = sa.engine.make_url(migrated)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"queqiao_empty_{uuid.uuid4().hex[:8]}"
    yield _postgres_database(migrated, name)
    _drop_postgres_database(migrated, name)


def test_upgrade_from_empty_then_downgrade_and_upgrade_again(empty_database):
    app = make_test_app(empty_database)
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"user_account", "sms_code", "alembic_version"} <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "user_account" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_models_and_migrations_agree(app_ctx):
    """Fails when a model changes without a migration (run ``flask db migrate``)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_single_migration_head(app_ctx):
    from alembic.script import ScriptDirectory

    config = app_ctx.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
