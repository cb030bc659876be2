"""Configuration from the environment, one class per mode.

The embedded default (no settings at all) runs on a SQLite file under ``instance/``
with Celery tasks executed in-process. Production reads everything from the
environment and refuses to start on development defaults.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

SQLITE_BUSY_TIMEOUT = 30.0  # seconds
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # where bin/serve runs the service


class ConfigurationError(RuntimeError):
    """The configuration cannot be used; the message says what is missing."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str, options: dict | None) -> dict:
    """SQLAlchemy engine options for ``url``, a copy of ``options``.

    On SQLite a writer waits up to ``SQLITE_BUSY_TIMEOUT`` seconds for another
    connection's write lock instead of failing with "database is locked": Celery workers
    write from several threads and processes at once. Other databases are unchanged.
    """
    options = dict(options or {})
    if url.startswith("sqlite"):
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT, **options.get("connect_args", {})}
        options["connect_args"] = connect_args
    return options


def development_secret_key(instance_path: str) -> str:
    """Return the development secret key, generating it once under ``instance/``."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def development_identity_keys(instance_path: str) -> dict[str, str]:
    """Development keys for identity encryption, generated once under ``instance/``."""
    from cryptography.fernet import Fernet

    path = Path(instance_path) / "identity_keys.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = {"encryption": Fernet.generate_key().decode(), "index": secrets.token_urlsafe(48)}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(keys, handle)
    return json.loads(path.read_text())


def private_instance_folder(instance_path: str) -> Path:
    """Create ``instance/`` readable by its owner only (0700): it holds the development
    keys and database."""
    folder = Path(instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def private_sqlite_file(path: Path) -> Path:
    """Create the SQLite file 0600 before SQLite does (it would use the umask, often
    0644); its journal and WAL files copy the mode. An existing file is tightened."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


class Config:
    """Settings shared by every mode. Values read here never open a connection."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}  # noqa: RUF012
    CELERY_BROKER_URL: str | None = None
    CELERY_RESULT_BACKEND: str | None = None
    # Without a broker: "thread" runs a task sent from a request off it, on a few threads
    # of the web process (app/background.py); "eager" runs every task where it is sent.
    CELERY_IN_PROCESS = "thread"
    CELERY_IN_PROCESS_THREADS = 8
    REDIS_URL: str | None = None

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 64 * 1024

    # Forms
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600 * 4

    # Interface
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES: dict = {"zh_CN": "中文", "en": "English"}  # noqa: RUF012

    # Rate limits (Flask-Limiter); each feature's limits are among its settings.
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True

    # Each feature's own settings (rate limits, SMS codes, photos, verification, quick
    # match, ...) are declared with their defaults in its app/<feature>/settings.py and
    # read from the environment variables of the same names (see app/settings.py).

    # The feature packages (app/<name>/feature.py declares what each adds), in the order
    # their pages, navigation sections and demo seeds come. Periodic jobs are declared
    # beside their tasks (app/periodic.py); CELERY_BEAT_SCHEDULE may add or replace one.
    FEATURES: tuple[str, ...] = (
        "system",
        "main",
        "accounts",
        "audit",
        "relations",
        "verification",
        "notifications",
        "profiles",
        "quickmatch",
        "lounge",
        "safety",
        "privacy",
        "console",
        "events",
        "consult",
        "introductions",
        "school",
    )
    CELERY_BEAT_SCHEDULE: dict = {}  # noqa: RUF012
    # Redis: an unacknowledged task (its worker died) is delivered again after this many
    # seconds. Must exceed the longest task and the longest retry countdown.
    CELERY_VISIBILITY_TIMEOUT = 3600.0
    # The queue tasks are sent to and workers consume (tests use one per test).
    CELERY_TASK_DEFAULT_QUEUE = "celery"

    # Identity protection (the verification feature's keys; required in production)
    IDENTITY_ENCRYPTION_KEYS: str | None = None  # Fernet keys, newest first, comma-separated
    IDENTITY_INDEX_KEY: str | None = None  # blind-index key, 32+ characters

    # Security headers (Flask-Talisman)
    FORCE_HTTPS = False
    # Number of reverse proxies in front (for client addresses used by rate limits)
    PROXY_COUNT = 0
    # Addresses or networks (comma-separated, e.g. "10.0.0.1,172.16.0.0/12") of those
    # proxies: when set, X-Forwarded-* headers are believed only from these peers.
    TRUSTED_PROXIES = ""
    # The service's public address: links in text messages are built on it, never on the
    # Host header of the request that sent them. Required in production.
    PUBLIC_BASE_URL: str | None = None

    @classmethod
    def finalise(cls, config: dict) -> None:
        """Fill values that depend on the instance path; check what is required."""


class DevelopmentConfig(Config):
    """The embedded default: SQLite under instance/, tasks in-process, codes on page."""

    ENV_NAME = "development"
    SMS_SHOW_CODE_ON_PAGE = True

    @classmethod
    def finalise(cls, config: dict) -> None:
        instance = config["INSTANCE_PATH"]
        private_instance_folder(instance)
        config["PUBLIC_BASE_URL"] = config.get("PUBLIC_BASE_URL") or DEVELOPMENT_BASE_URL
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = development_secret_key(instance)
        if not config.get("IDENTITY_ENCRYPTION_KEYS") or not config.get("IDENTITY_INDEX_KEY"):
            keys = development_identity_keys(instance)
            config["IDENTITY_ENCRYPTION_KEYS"] = (
                config.get("IDENTITY_ENCRYPTION_KEYS") or keys["encryption"]
            )
            config["IDENTITY_INDEX_KEY"] = config.get("IDENTITY_INDEX_KEY") or keys["index"]
        url = config.get("SQLALCHEMY_DATABASE_URI") or config.get("DATABASE_URL")
        if not url:  # the embedded default
            url = f"sqlite:///{private_sqlite_file(Path(instance) / 'queqiao.db')}"
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            config["SQLALCHEMY_DATABASE_URI"], config.get("SQLALCHEMY_ENGINE_OPTIONS")
        )


class TestingConfig(DevelopmentConfig):
    """Used by the test suite; the database comes from DATABASE_URL or the fixtures."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    IDENTITY_ENCRYPTION_KEYS = "dGVzdGluZy1rZXktdGVzdGluZy1rZXktdGVzdGluZyE="
    IDENTITY_INDEX_KEY = "testing-blind-index-key-not-for-production-use"
    PUBLIC_BASE_URL = "http://localhost"  # the test client's host
    CELERY_BROKER_URL = None
    CELERY_IN_PROCESS = "eager"  # a test reads a task's effect after the request (opt in)
    REDIS_URL = None


class ProductionConfig(Config):
    """Everything from the environment; refuses development defaults."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = True

    @classmethod
    def finalise(cls, config: dict) -> None:
        missing = []
        secret = config.get("SECRET_KEY") or ""
        if len(secret) < 32:
            missing.append("SECRET_KEY (a random string of at least 32 characters)")
        url = config.get("DATABASE_URL") or ""
        if not url or url.startswith("sqlite"):
            missing.append("DATABASE_URL (a PostgreSQL URL; SQLite is for development only)")
        if not config.get("CELERY_BROKER_URL"):
            missing.append("CELERY_BROKER_URL (e.g. redis://host:6379/0)")
        if not config.get("REDIS_URL"):
            missing.append("REDIS_URL (rate-limit storage shared by all processes)")
        if not config.get("IDENTITY_ENCRYPTION_KEYS"):
            missing.append("IDENTITY_ENCRYPTION_KEYS (Fernet keys, newest first, comma-separated)")
        if len(config.get("IDENTITY_INDEX_KEY") or "") < 32:
            missing.append("IDENTITY_INDEX_KEY (a random string of at least 32 characters)")
        if (config.get("SMS_SENDER") or ":LoggingSender").endswith(":LoggingSender"):
            missing.append("SMS_SENDER (a real SMS gateway; the logging sender is for development)")
        if not _is_base_url(config.get("PUBLIC_BASE_URL") or ""):
            missing.append(
                "PUBLIC_BASE_URL (the public address links in text messages use, "
                "e.g. https://queqiao.example.cn)"
            )
        if missing:
            raise ConfigurationError(
                "Refusing to start in production; set these environment variables: "
                + "; ".join(missing)
            )
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)


def _is_base_url(value: str) -> bool:
    parts = urlsplit(value)
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and not (parts.query or parts.fragment)
    )


# Environment variables read when the app is created (never at import time).
_ENVIRONMENT: dict[str, Callable] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "CELERY_BROKER_URL": str,
    "CELERY_RESULT_BACKEND": str,
    "CELERY_IN_PROCESS": str,
    "CELERY_IN_PROCESS_THREADS": int,
    "REDIS_URL": str,
    "SMS_SENDER": str,  # checked by ProductionConfig; the accounts' setting
    "SESSION_COOKIE_SECURE": _bool,
    "FORCE_HTTPS": _bool,
    "PROXY_COUNT": int,
    "TRUSTED_PROXIES": str,
    "PUBLIC_BASE_URL": str,
    "IDENTITY_ENCRYPTION_KEYS": str,
    "IDENTITY_INDEX_KEY": str,
    "CELERY_VISIBILITY_TIMEOUT": float,
    "CELERY_TASK_DEFAULT_QUEUE": str,
}


def from_environment(feature_keys: Iterable[str] = ()) -> dict[str, object]:
    """Read the settings that are present in the environment, converted; the features'
    keys (``app.settings``) as text, which their settings classes convert and check."""
    settings: dict[str, object] = {}
    for name, convert in _ENVIRONMENT.items():
        if os.environ.get(name, "").strip():
            raw = os.environ[name].strip()
            settings[name] = _bool(name) if convert is _bool else convert(raw)
    for name in feature_keys:
        if os.environ.get(name, "").strip():
            settings[name] = os.environ[name].strip()
    if "SESSION_COOKIE_SECURE" in settings:
        settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
    return settings


MODES: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(mode: str | None) -> type[Config]:
    """Return the configuration class for ``QUEQIAO_ENV`` (default: development)."""
    name = (mode or "development").strip().lower()
    try:
        return MODES[name]
    except KeyError:
        raise ConfigurationError(
            f"QUEQIAO_ENV={mode!r} is not a mode; use one of {', '.join(MODES)}"
        ) from None
