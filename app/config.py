"""Configuration from the environment, one class per mode.

The embedded default (no settings at all) runs on a SQLite file under ``instance/``
with Celery tasks executed in-process. Production reads everything from the
environment and refuses to start on development defaults.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
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

    # Profile photos: where the re-encoded files live (default <instance>/photos) and
    # the largest upload accepted.
    PHOTO_DIR: str | None = None
    PHOTO_MAX_BYTES = 5 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 64 * 1024

    # Password hashing (Argon2id): argon2-cffi's defaults. Stored hashes made with other
    # parameters are upgraded at the next sign-in. The test suite uses the cheapest.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536  # KiB
    PASSWORD_HASH_PARALLELISM = 4

    # Forms
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600 * 4

    # Interface
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES: dict = {"zh_CN": "中文", "en": "English"}  # noqa: RUF012

    # SMS one-time codes
    SMS_SENDER = "app.accounts.sms:LoggingSender"
    SMS_SHOW_CODE_ON_PAGE = False
    SMS_CODE_TTL = timedelta(minutes=5)
    SMS_CODE_RESEND_AFTER = timedelta(seconds=60)

    # Rate limits (Flask-Limiter syntax)
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SIGNIN = "10 per minute;50 per hour"
    RATELIMIT_SIGNUP = "10 per minute;50 per hour"
    RATELIMIT_SEND_CODE = "3 per minute;10 per hour"
    RATELIMIT_CODE_GUESSES = "10 per 15 minutes"  # per phone number
    # Wrong passwords for one phone number, from any address: after SIGNIN_FREE_FAILURES
    # each further try waits, first SIGNIN_DELAY_SECONDS, doubling up to _MAX; the count
    # is forgotten SIGNIN_FAILURE_MEMORY_SECONDS after the first failure or at a sign-in.
    SIGNIN_FREE_FAILURES = 5
    SIGNIN_DELAY_SECONDS = 30
    SIGNIN_DELAY_MAX_SECONDS = 900
    SIGNIN_FAILURE_MEMORY_SECONDS = 86400
    # A device session's "last seen" is written at most this often.
    DEVICE_SEEN_INTERVAL = timedelta(minutes=5)

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

    # Verification (see verification/departments/README.md for the department settings)
    IDENTITY_ENCRYPTION_KEYS: str | None = None  # Fernet keys, newest first, comma-separated
    IDENTITY_INDEX_KEY: str | None = None  # blind-index key, 32+ characters
    VERIFICATION_DEPARTMENTS = "stub"
    VERIFICATION_REQUIRED_DEPARTMENTS = (
        "public_security,civil_affairs,education,hr_social_security,justice,development_reform"
    )
    VERIFICATION_MIN_AGE = 18
    # Days a verified fact holds before the nightly re-check, per department, e.g.
    # "civil_affairs=365,justice=180"; unnamed departments keep the defaults in
    # verification/policy.py (marital status yearly).
    VERIFICATION_FACT_LIFETIME_DAYS = ""
    # Seconds before a running check counts as stuck and is re-dispatched by the reconciler;
    # keep it above VERIFICATION_CHECK_HARD_TIME_LIMIT.
    VERIFICATION_CHECK_DEADLINE = 120
    VERIFICATION_MAX_ATTEMPTS = 6
    # A department call longer than this counts as unavailable and is retried (any pool).
    VERIFICATION_CHECK_TIME_LIMIT = 20.0
    # Celery's hard limit for one check task; prefork pools kill the process past it.
    VERIFICATION_CHECK_HARD_TIME_LIMIT = 60.0
    # Retry delay after the n-th unavailable answer: BACKOFF * 2**(n-1), at most _MAX.
    VERIFICATION_RETRY_BACKOFF = 2.0
    VERIFICATION_RETRY_BACKOFF_MAX = 60.0
    # Department outages (verification/health.py): a department's circuit breaker opens
    # after BREAKER_FAILURES unavailable answers or time-outs in a row, or when at least
    # BREAKER_FAILURE_SHARE of BREAKER_MIN_CALLS+ calls in BREAKER_WINDOW seconds failed;
    # its checks then wait. After BREAKER_COOLDOWN seconds one trial (the probe, every
    # PROBE_INTERVAL seconds, or a real check) goes through; an answer closes it and the
    # waiting checks resume. A check waits OUTAGE_PATIENCE seconds before it goes to review.
    VERIFICATION_BREAKER_FAILURES = 5
    VERIFICATION_BREAKER_FAILURE_SHARE = 0.5
    VERIFICATION_BREAKER_MIN_CALLS = 10
    VERIFICATION_BREAKER_WINDOW = 60.0
    VERIFICATION_BREAKER_COOLDOWN = 30.0
    VERIFICATION_PROBE_INTERVAL = 10.0
    VERIFICATION_OUTAGE_PATIENCE = 24 * 3600.0
    CONSENT_WORDING_VERSION = "2026-11"
    RATELIMIT_APPLY = "5 per day"
    RATELIMIT_LOUNGE_SEND = "20 per minute;500 per day"  # per member
    RATELIMIT_REPORT = "10 per day"  # reports filed, per member
    RATELIMIT_CONSULTATION = "3 per day"  # consultation requests, per member
    CONSULTATION_MAX_UNRESOLVED = 3  # a member's requests waiting or open at once
    RATELIMIT_PHOTO = "20 per hour"  # photo uploads and deletions, per member
    PHOTO_MAX_PIXELS = 16_000_000  # larger images are refused from their header
    RATELIMIT_CHECKIN = "5 per 10 minutes"  # check-in attempts, per member and event
    RATELIMIT_CHECKIN_EVENT = "60 per 10 minutes"  # wrong check-in codes, per event

    # Quick match (每日速配), the nightly batch; see app/quickmatch/tasks.py. Its beat
    # entry ("quickmatch-daily") is added from these by ``quickmatch_beat_entry``.
    QUICKMATCH_K = 8  # suggestions per member and day
    QUICKMATCH_REPEAT_WINDOW_DAYS = 30  # a pair shown is not suggested again for this long
    QUICKMATCH_HOUR = 5  # the run starts at HOUR:00 in QUICKMATCH_TIMEZONE
    QUICKMATCH_TIMEZONE = "Asia/Shanghai"  # also what "today" means for the batch
    QUICKMATCH_SHARDS = 1  # more than 1: one candidates task per shard, then one assign
    # "Did you meet?": asked daily at MEETING_HOUR:00 (QUICKMATCH_TIMEZONE) about matches
    # this many days old whose two sides wrote at least this many messages.
    QUICKMATCH_MEETING_AFTER_DAYS = 7
    QUICKMATCH_MEETING_MIN_MESSAGES = 6
    QUICKMATCH_MEETING_HOUR = 19

    # Events: hours a member has to take a freed seat offered to them (候补递补).
    EVENTS_OFFER_HOURS = 24

    # Readiness (/healthz, /healthz/ready): seconds each process reuses its last check of
    # the database and the broker, so load-balancer polling costs no I/O in between.
    HEALTH_CHECK_INTERVAL = 1.0

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
        if config.get("SMS_SENDER", "").endswith(":LoggingSender"):
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
    "REDIS_URL": str,
    "SMS_SENDER": str,
    "RATELIMIT_SIGNIN": str,
    "RATELIMIT_SIGNUP": str,
    "RATELIMIT_SEND_CODE": str,
    "RATELIMIT_CODE_GUESSES": str,
    "SESSION_COOKIE_SECURE": _bool,
    "FORCE_HTTPS": _bool,
    "PROXY_COUNT": int,
    "TRUSTED_PROXIES": str,
    "SIGNIN_FREE_FAILURES": int,
    "SIGNIN_DELAY_SECONDS": int,
    "SIGNIN_DELAY_MAX_SECONDS": int,
    "SIGNIN_FAILURE_MEMORY_SECONDS": int,
    "PUBLIC_BASE_URL": str,
    "IDENTITY_ENCRYPTION_KEYS": str,
    "IDENTITY_INDEX_KEY": str,
    "VERIFICATION_DEPARTMENTS": str,
    "VERIFICATION_GATEWAY_URL": str,
    "VERIFICATION_GATEWAY_TOKEN": str,
    "VERIFICATION_CONNECT_TIMEOUT": float,
    "VERIFICATION_READ_TIMEOUT": float,
    "VERIFICATION_STUB_LATENCY_MIN": float,
    "VERIFICATION_STUB_LATENCY_MAX": float,
    "VERIFICATION_STUB_FAILURE_RATE": float,
    "VERIFICATION_STUB_OUTAGE": str,
    "VERIFICATION_REQUIRED_DEPARTMENTS": str,
    "VERIFICATION_MIN_AGE": int,
    "VERIFICATION_FACT_LIFETIME_DAYS": str,
    "VERIFICATION_CHECK_DEADLINE": float,
    "VERIFICATION_MAX_ATTEMPTS": int,
    "VERIFICATION_CHECK_TIME_LIMIT": float,
    "VERIFICATION_CHECK_HARD_TIME_LIMIT": float,
    "VERIFICATION_RETRY_BACKOFF": float,
    "VERIFICATION_RETRY_BACKOFF_MAX": float,
    "VERIFICATION_BREAKER_FAILURES": int,
    "VERIFICATION_BREAKER_FAILURE_SHARE": float,
    "VERIFICATION_BREAKER_MIN_CALLS": int,
    "VERIFICATION_BREAKER_WINDOW": float,
    "VERIFICATION_BREAKER_COOLDOWN": float,
    "VERIFICATION_PROBE_INTERVAL": float,
    "VERIFICATION_OUTAGE_PATIENCE": float,
    "CELERY_VISIBILITY_TIMEOUT": float,
    "CELERY_TASK_DEFAULT_QUEUE": str,
    "RATELIMIT_APPLY": str,
    "RATELIMIT_LOUNGE_SEND": str,
    "RATELIMIT_REPORT": str,
    "RATELIMIT_CONSULTATION": str,
    "CONSULTATION_MAX_UNRESOLVED": int,
    "RATELIMIT_PHOTO": str,
    "PHOTO_MAX_PIXELS": int,
    "RATELIMIT_CHECKIN": str,
    "RATELIMIT_CHECKIN_EVENT": str,
    "PHOTO_DIR": str,
    "PHOTO_MAX_BYTES": int,
    "QUICKMATCH_K": int,
    "QUICKMATCH_REPEAT_WINDOW_DAYS": int,
    "QUICKMATCH_HOUR": int,
    "QUICKMATCH_TIMEZONE": str,
    "QUICKMATCH_SHARDS": int,
    "QUICKMATCH_MEETING_AFTER_DAYS": int,
    "QUICKMATCH_MEETING_MIN_MESSAGES": int,
    "QUICKMATCH_MEETING_HOUR": int,
    "EVENTS_OFFER_HOURS": float,
    "HEALTH_CHECK_INTERVAL": float,
}


def from_environment() -> dict[str, object]:
    """Read the settings that are present in the environment, converted."""
    settings: dict[str, object] = {}
    for name, convert in _ENVIRONMENT.items():
        if os.environ.get(name, "").strip():
            raw = os.environ[name].strip()
            settings[name] = _bool(name) if convert is _bool else convert(raw)
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
