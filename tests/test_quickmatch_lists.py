"""The day's list records (``daily_list``): one per member a run lists, an empty list
included, written by ``service.store`` for the batch, the chord's shards and the single
member; the database refuses a second one; the migration adds and removes the table."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.profiles.loader import load_profiles
from app.quickmatch import service, tasks
from app.quickmatch.models import DailyList, DailySuggestion
from app.quickmatch.settings import Settings
from benchmarks.synthetic import generate
from matching import Suggestion
from tests.conftest import make_test_app
from tests.quickmatch_helpers import add_members
from tests.test_migrations import empty_database  # noqa: F401 - a fixture

DAY = date(2026, 11, 28)


@pytest.fixture
def members(app) -> list[int]:
    """150 synthetic members, the few whose requirements nobody meets included."""
    return add_members(app, generate(150, seed=7, today=DAY).profiles)


def list_rows(app, day: date = DAY) -> dict[int, int]:
    """Member id -> the size of their list for ``day``."""
    with app.app_context():
        rows = db.session.execute(
            select(DailyList.member_id, DailyList.size).where(DailyList.day == day)
        )
        return dict(rows.all())


def suggestion_counts(app, day: date = DAY) -> dict[int, int]:
    with app.app_context():
        query = (
            select(DailySuggestion.viewer_id, func.count())
            .where(DailySuggestion.day == day)
            .group_by(DailySuggestion.viewer_id)
        )
        return dict(db.session.execute(query).all())


def assert_every_member_listed_once(app, summary: dict) -> None:
    with app.app_context():
        served = {profile.id for profile in load_profiles()}
    sizes = list_rows(app)
    assert set(sizes) == served
    assert 0 in sizes.values()  # the members nobody fits have a row too
    counted = suggestion_counts(app)
    assert {member: size for member, size in sizes.items() if size} == counted
    assert summary["sizes"] == {str(k): v for k, v in sorted(Counter(sizes.values()).items())}


def test_the_batch_records_every_members_list_the_empty_ones_too(app, members):
    with app.app_context():
        summary = tasks.run_daily.apply(args=[DAY.isoformat()]).get()
    assert_every_member_listed_once(app, summary)
    with app.app_context():
        assert service.batch_ran(DAY)
        assert not service.batch_ran(date(2026, 11, 29))


def test_the_chord_over_shards_records_every_members_list(app_factory, members):
    sharded = app_factory(QUICKMATCH_SHARDS=2)
    with sharded.app_context():
        assert tasks.run_daily.apply(args=[DAY.isoformat()]).get() is None  # the chord
        served = {profile.id for profile in load_profiles()}
        # A re-delivered assign step finds every list written and adds nothing.
        again = service.assign_shards(DAY, [], Settings.from_config(sharded.config))
    assert (again.filled, again.suggestions) == (0, 0)
    sizes = list_rows(sharded)
    assert set(sizes) == served
    assert 0 in sizes.values()
    assert {member: size for member, size in sizes.items() if size} == suggestion_counts(sharded)


def test_store_records_the_empty_list_of_a_member_nobody_fits(app, members):
    viewer, lonely, candidate = members[:3]
    with app.app_context():
        lists = {viewer: [Suggestion(candidate, 0.9)], lonely: []}
        summary = service.store(DAY, lists, service.Summary(day=DAY))
        db.session.commit()
        assert (summary.filled, summary.suggestions, dict(summary.sizes)) == (1, 1, {1: 1, 0: 1})
        # Written once: a second writer for the day leaves both lists be.
        again = service.store(DAY, {lonely: [Suggestion(candidate, 0.5)]}, service.Summary(day=DAY))
        db.session.commit()
        assert (again.filled, again.suggestions, dict(again.sizes)) == (0, 0, {})
        assert service.viewers_with_lists(DAY) == {viewer, lonely}
        assert service.list_size(lonely, DAY) == 0
        assert service.list_size(candidate, DAY) is None
    assert list_rows(app) == {viewer: 1, lonely: 0}


def test_the_database_refuses_a_second_list_or_a_negative_size(app, members):
    with app.app_context():
        db.session.add(DailyList(day=DAY, member_id=members[0], size=0))
        db.session.commit()
        for row in (
            DailyList(day=DAY, member_id=members[0], size=3),
            DailyList(day=DAY, member_id=members[1], size=-1),
        ):
            db.session.add(row)
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


def test_the_migration_adds_the_table_and_takes_it_away(empty_database):  # noqa: F811
    app = make_test_app(empty_database)
    with app.app_context():
        upgrade(revision="k13dailylist")
        inspector = sa.inspect(db.engine)
        assert {c["name"] for c in inspector.get_columns("daily_list")} == {
            "id",
            "day",
            "member_id",
            "size",
            "created_at",
        }
        unique = {
            u["name"]: u["column_names"] for u in inspector.get_unique_constraints("daily_list")
        }
        assert unique == {"uq_daily_list_day": ["day", "member_id"]}
        downgrade(revision="j12photos001")
        assert "daily_list" not in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
