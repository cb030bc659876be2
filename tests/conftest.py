"""Fixtures: one database per test worker (SQLite or PostgreSQL, chosen by
``TEST_DATABASE_URL``), built by the real migrations, and one app per worker.

Each ordinary test runs on that app inside a transaction rolled back afterwards
(``rolled_back``): ``db.session`` joins the test's connection and every commit of the
code under test releases a savepoint instead of committing. What the app keeps between
requests (its config, the limiter's counts, the SMS outbox, caches in
``app.extensions``) is reset after each test.

Tests that need really committed data get apps of their own on the same database,
emptied afterwards (``app_factory``): the ones that build an app with settings read at
start-up, and the ones marked ``commits`` (threads or several connections), ``worker``
(a real Celery worker) or ``browser`` (a live server). Password hashing uses the
cheapest Argon2 parameters. The demo is seeded once per worker into a template that each
demo test copies (``demo_app_factory``)."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask, current_app
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.config import normalise_database_url
from app.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("QUEQIAO_REQUIRE_SERVICES") == "1"


# Any of these in a test's fixtures means it uses the database TEST_DATABASE_URL names.
DATABASE_FIXTURES = frozenset(
    {"database_url", "migrated", "worker_app", "app", "app_factory", "demo_template"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """What bin/test's two passes leave to the other one.

    With ``QUEQIAO_DATABASE_TESTS_ONLY=1`` (the second pass, on PostgreSQL) only the tests
    that use the database run: the others (matching, benchmarks, layout, translations)
    ran in the first pass already, and would run the same again. With
    ``QUEQIAO_WORKER_TESTS=0`` (the first pass, on SQLite) the tests that start a real
    Celery worker (marked ``worker``) are left to the PostgreSQL pass: real workers run on
    PostgreSQL and Redis in production, while the embedded default runs its tasks
    in-process, which the SQLite pass tests.
    """
    kept = items
    if os.environ.get("QUEQIAO_DATABASE_TESTS_ONLY") == "1":
        kept = [item for item in kept if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))]
    if os.environ.get("QUEQIAO_WORKER_TESTS") == "0":
        kept = [item for item in kept if item.get_closest_marker("worker") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def service_missing(what: str) -> None:
    """Fail (in the full suite) or skip (in a quick local run) when a service is absent."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required by the full suite but is not available")
    pytest.skip(f"{what} is not available")


def _postgres_database(base_url: str, name: str) -> str:
    base = make_url(normalise_database_url(base_url))
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return _test_database_url(base, name)


def _test_database_url(base: sa.URL, name: str) -> str:
    """The URL of the test database ``name``, for the tests' apps and real workers alike.

    Its commits do not wait for the disk (``synchronous_commit=off``, for these
    connections only: the server's settings stay as they are for everyone else): a test
    database is thrown away, and a crash could lose only its last commits, never corrupt it.
    """
    url = base.set(database=name).update_query_dict({"options": "-c synchronous_commit=off"})
    return url.render_as_string(hide_password=False)


def _drop_postgres_database(base_url: str, name: str) -> None:
    admin = sa.create_engine(
        make_url(normalise_database_url(base_url)), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """An empty database for this test worker."""
    base = os.environ.get("TEST_DATABASE_URL", "sqlite")
    if base == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'queqiao.db'}"
        return
    # Unique per run too, so two runs on one server (a session and CI) never collide.
    name = f"queqiao_test_{worker_id}_{os.getpid()}"
    try:
        url = _postgres_database(base, name)
    except sa.exc.OperationalError:
        pytest.exit(f"PostgreSQL at {base} is not reachable", returncode=3)
    yield url
    _drop_postgres_database(base, name)


# Photos written by tests go to one folder per test process, not under instance/.
TEST_PHOTO_DIR = os.path.join(tempfile.gettempdir(), f"queqiao-test-photos-{os.getpid()}")

CHEAP_PASSWORD_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 8,  # KiB: argon2's minimum, 8 × parallelism
    "PASSWORD_HASH_PARALLELISM": 1,
}


def make_test_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SMS_SENDER": "app.accounts.sms:OutboxSender",
        "SMS_SHOW_CODE_ON_PAGE": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "PHOTO_DIR": TEST_PHOTO_DIR,
        # The cheapest valid Argon2 parameters (production's cost ~0.2 s a hash);
        # tests/test_accounts_passwords.py checks production's own.
        **CHEAP_PASSWORD_HASHING,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """The worker's database, upgraded to the newest migration."""
    from flask_migrate import upgrade

    app = make_test_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def empty_all_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def app_factory(migrated: str) -> Iterator:
    """Build apps on the migrated database; all rows are removed afterwards."""
    apps: list[Flask] = []

    def build(**overrides: object) -> Flask:
        built = make_test_app(migrated, **overrides)
        apps.append(built)
        return built

    yield build
    for built in apps:
        with built.app_context():
            limiter.reset()
    if apps:
        empty_all_tables(apps[0])
    for built in apps[1:]:
        with built.app_context():
            db.engine.dispose()


@dataclass(frozen=True)
class Seeded:
    """What ``flask demo seed`` answered (as click's ``Result`` says it)."""

    exit_code: int
    output: str


@dataclass(frozen=True)
class DemoTemplate:
    """The demo, seeded once for the whole test run: its database (a SQLite file, or a
    PostgreSQL database used as a template), its photo folder, and what the seeding
    printed (``flask demo seed``, run for real)."""

    base_url: str  # "sqlite" or TEST_DATABASE_URL
    url: str
    name: str  # the SQLite file, or the PostgreSQL database
    photo_dir: Path
    result: Seeded


def _run_id() -> int:
    """One number per test run, the same in every xdist worker: the controller's pid."""
    return os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()


def _demo_database_name() -> str:
    return f"queqiao_demo_{_run_id()}"


def _migrate_and_seed(url: str, photo_dir: Path) -> Result:
    from flask_migrate import upgrade

    app = make_test_app(url, PHOTO_DIR=str(photo_dir))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # nobody stays connected: PostgreSQL copies only an idle template
    return result


@pytest.fixture(scope="session")
def demo_template(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """The demo seeded once per test run, for ``demo_app_factory`` to copy.

    The first worker to need it seeds it (about 9 s) while holding a lock in the run's
    shared temporary folder; the others wait for the lock and find it seeded. A
    PostgreSQL template is dropped by ``pytest_sessionfinish`` when the run ends.
    """
    base = os.environ.get("TEST_DATABASE_URL", "sqlite")
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every xdist worker
    folder = shared / f"demo-template-{_run_id()}"
    folder.mkdir(exist_ok=True)
    photos, done = folder / "photos", folder / "seeded.json"
    if base == "sqlite":
        name = str(folder / "demo.db")
        url = f"sqlite:///{name}"
    else:
        name = _demo_database_name()
        url = None
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            if url is None:
                url = _postgres_database(base, name)
            result = _migrate_and_seed(url, photos)
            done.write_text(json.dumps({"exit_code": result.exit_code, "output": result.output}))
    if url is None:
        url = _test_database_url(make_url(normalise_database_url(base)), name)
    return DemoTemplate(base, url, name, photos, Seeded(**json.loads(done.read_text())))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller (or a run without xdist) drops the run's PostgreSQL demo template."""
    base = os.environ.get("TEST_DATABASE_URL", "sqlite")
    if base != "sqlite" and not os.environ.get("PYTEST_XDIST_WORKER"):
        with suppress(sa.exc.OperationalError):  # the server is gone: nothing to drop
            _drop_postgres_database(base, _demo_database_name())


def _copy_postgres_database(base_url: str, template: str, name: str) -> str:
    base = make_url(normalise_database_url(base_url))
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    return _test_database_url(base, name)


@contextmanager
def demo_copy(template: DemoTemplate, folder: Path) -> Iterator[tuple[str, str]]:
    """A copy of the seeded demo in ``folder`` (``shutil.copy`` of the SQLite file, or
    ``CREATE DATABASE ... TEMPLATE``; the photos copied too): yields its database URL
    and photo folder, and drops a PostgreSQL copy afterwards."""
    photos = folder / "photos"
    if template.photo_dir.exists():
        shutil.copytree(template.photo_dir, photos)
    if template.base_url == "sqlite":
        path = folder / "demo.db"
        shutil.copy(template.name, path)
        yield f"sqlite:///{path}", str(photos)
        return
    name = f"{template.name}_{uuid.uuid4().hex[:8]}"
    url = _copy_postgres_database(template.base_url, template.name, name)
    try:
        yield url, str(photos)
    finally:
        _drop_postgres_database(template.base_url, name)


@pytest.fixture
def demo_app_factory(demo_template: DemoTemplate, tmp_path: Path) -> Iterator:
    """Build apps on this test's own copy of the seeded demo (database and photos), so
    demo tests stay independent without seeding again; the copy is dropped afterwards.
    Every app of one test shares its copy."""
    apps: list[Flask] = []
    with ExitStack() as stack:
        copies: list[tuple[str, str]] = []

        def build(**overrides: object) -> Flask:
            if not copies:
                copies.append(stack.enter_context(demo_copy(demo_template, tmp_path)))
            url, photos = copies[0]
            built = make_test_app(url, **{"PHOTO_DIR": photos, **overrides})
            apps.append(built)
            return built

        yield build
        for built in apps:
            with built.app_context():
                limiter.reset()
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def demo_app(demo_app_factory) -> Flask:
    """An app on this test's own copy of the seeded demo."""
    return demo_app_factory()


class JoinedSession(FlaskSession):
    """A session on the test's connection, whatever table it queries: Flask-SQLAlchemy's
    own session picks the app's engine, which would open a connection of its own."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


def _savepoints_on_pysqlite(engine: Engine) -> None:
    """pysqlite begins transactions itself, late, and mishandles SAVEPOINT; let
    SQLAlchemy emit BEGIN instead (the SQLite dialect's documented workaround)."""

    @sa.event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, connection_record) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")

    engine.dispose()  # no pooled connection made before the hooks


@dataclass
class WorkerApp:
    """The app of this test worker and what a test must find as it was built."""

    app: Flask
    config: dict
    extensions: dict
    limiter_state: dict
    main_thread: int

    def make_current(self) -> None:
        """Make this app the one process-wide extensions serve again: every app built
        since (by ``app_factory``) took over Celery's current app and the limiter."""
        celery_app = self.app.extensions["celery"]
        celery_app.set_current()
        celery_app.set_default()
        vars(limiter).update(self.limiter_state)

    def reset(self) -> None:
        """Put back what a test may have changed on the app: its config, the limiter's
        counts, and the per-app state kept in ``app.extensions``, built afresh."""
        from app.accounts import sms
        from app.system import health

        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        limiter.reset()
        app.extensions.clear()
        app.extensions.update(self.extensions)
        sms.init_app(app)  # an empty outbox
        health.init_app(app)  # no cached readiness
        runtime = app.extensions["verification"]
        app.extensions["verification"] = type(runtime)(app)  # stub departments' counts


@pytest.fixture(scope="session")
def worker_app(migrated: str) -> Iterator[WorkerApp]:
    """One app per test worker on the migrated database, for ``rolled_back`` tests."""
    app = make_test_app(migrated)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _savepoints_on_pysqlite(engine)
    yield WorkerApp(
        app,
        copy.deepcopy(dict(app.config)),
        dict(app.extensions),
        dict(vars(limiter)),  # init_app sets it up for the app it was given last
        threading.get_ident(),
    )
    engine.dispose()


@contextmanager
def rolled_back(worker: WorkerApp) -> Iterator[Flask]:
    """Run a test on the worker's app inside one transaction, rolled back afterwards.

    ``db.session`` (one session per app context, as in the app) joins the test's
    connection with ``join_transaction_mode="create_savepoint"``, so the code under
    test commits and rolls back as usual while each of its commits only releases a
    savepoint (SQLAlchemy's "joining a session into an external transaction"). Other
    apps of the test (a demo copy's) keep sessions of their own. A session of the
    worker's app opened on another thread fails at once: one connection cannot serve
    two threads, so such a test is marked ``commits``.
    """
    worker.make_current()
    app = worker.app
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    sessions = db.session
    opened: list[FlaskSession] = []
    joined = sessionmaker(
        class_=JoinedSession,
        db=db,
        bind=connection,
        join_transaction_mode="create_savepoint",
        query_cls=db.Query,
    )

    def open_session() -> FlaskSession:
        if current_app._get_current_object() is not app:
            opened.append(sessions.session_factory())  # another app's (a demo copy's)
        elif threading.get_ident() != worker.main_thread:
            raise RuntimeError(
                "a rolled-back test used the database from another thread; "
                "mark it @pytest.mark.commits"
            )
        else:
            opened.append(joined())
        return opened[-1]

    db.session = scoped_session(open_session, scopefunc=sessions.registry.scopefunc)
    try:
        yield app
    finally:
        try:
            for session in opened:  # an app context left open keeps its session
                session.close()
        finally:
            db.session = sessions
            outer.rollback()
            connection.close()
            worker.reset()


def _commits(request: pytest.FixtureRequest) -> bool:
    """Does the test need really committed data (its own app on the emptied database)?"""
    if "app_factory" in request.fixturenames:
        return True  # it builds apps of its own, which share their committed database
    return any(request.node.get_closest_marker(m) for m in ("commits", "worker", "browser"))


@pytest.fixture
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The worker's app in a rolled-back transaction, or, for a test that needs
    committed data, an app of its own from ``app_factory``."""
    if _commits(request):
        yield request.getfixturevalue("app_factory")()
        return
    with rolled_back(request.getfixturevalue("worker_app")) as app:
        yield app


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def outbox(app: Flask) -> list[tuple[str, str]]:
    """SMS messages sent by the app, newest last."""
    return app.extensions["sms_sender"].outbox


@pytest.fixture
def broker(worker_id: str) -> str:
    """The Redis database the real-worker tests of this test worker use."""
    from tests.worker import redis_url  # tests.worker imports this module

    return redis_url(worker_id)


@pytest.fixture
def queue(broker: str) -> Iterator[str]:
    """This test's own queue on the broker."""
    from tests.worker import new_queue, remove_queue  # tests.worker imports this module

    name = new_queue(broker)
    yield name
    remove_queue(broker, name)


@pytest.fixture(params=["memory", "redis"])
def limiter_storage(request: pytest.FixtureRequest, worker_id: str) -> dict[str, str]:
    """Limiter settings: in memory (the tests' default), or on this test worker's Redis
    database (production's), under a key prefix of the test's own."""
    if request.param == "memory":
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    import secrets

    import redis

    from tests.worker import redis_url  # tests.worker imports this module

    url = redis_url(worker_id)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        service_missing(f"Redis at {url}")
    return {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": secrets.token_hex(6)}
