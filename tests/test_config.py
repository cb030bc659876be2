"""Configuration: production refuses development defaults; helpers read what they should."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import create_engine

import app as app_package
from app import config as settings
from app import create_app
from app.accounts.settings import Settings as AccountSettings
from app.config import (
    ConfigurationError,
    development_secret_key,
    from_environment,
    normalise_database_url,
)

SETTINGS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "REDIS_URL",
    "SMS_SENDER",
    "RATELIMIT_SIGNIN",
    "RATELIMIT_SIGNUP",
    "RATELIMIT_SEND_CODE",
    "RATELIMIT_CODE_GUESSES",
    "SESSION_COOKIE_SECURE",
    "FORCE_HTTPS",
    "PROXY_COUNT",
    "IDENTITY_ENCRYPTION_KEYS",
    "IDENTITY_INDEX_KEY",
    "PUBLIC_BASE_URL",
]

PRODUCTION = {
    "SECRET_KEY": "k" * 48,
    "DATABASE_URL": "postgresql://queqiao:secret@db.internal:5432/queqiao",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "REDIS_URL": "redis://redis.internal:6379/1",
    "SMS_SENDER": "app.accounts.sms:OutboxSender",
    "IDENTITY_ENCRYPTION_KEYS": "dGVzdGluZy1rZXktdGVzdGluZy1rZXktdGVzdGluZyE=",
    "IDENTITY_INDEX_KEY": "i" * 40,
    "PUBLIC_BASE_URL": "https://queqiao.example.cn",
}


@pytest.fixture
def environment(monkeypatch):
    """A clean environment: no settings, no .env file, nothing left behind."""
    for name in [*SETTINGS, "QUEQIAO_ENV", "QUEQIAO_ADMIN_PASSWORD"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app_package, "load_dotenv", lambda **_kwargs: False)
    return monkeypatch


def production(environment, **values: str) -> None:
    environment.setenv("QUEQIAO_ENV", "production")
    for name, value in values.items():
        environment.setenv(name, value)


def refusal(environment) -> str:
    with pytest.raises(ConfigurationError) as caught:
        create_app()
    return str(caught.value)


def test_production_without_settings_names_every_missing_one(environment):
    production(environment)
    message = refusal(environment)
    for name in [
        "SECRET_KEY",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "REDIS_URL",
        "SMS_SENDER",
        "IDENTITY_ENCRYPTION_KEYS",
        "IDENTITY_INDEX_KEY",
        "PUBLIC_BASE_URL",
    ]:
        assert name in message


@pytest.mark.parametrize("missing", list(PRODUCTION))
def test_production_names_the_one_missing_setting(environment, missing):
    production(environment, **{k: v for k, v in PRODUCTION.items() if k != missing})
    message = refusal(environment)
    assert missing in message
    for other in set(PRODUCTION) - {missing}:
        assert f"{other} (" not in message


def test_production_refuses_the_logging_sms_sender(environment):
    production(environment, **{**PRODUCTION, "SMS_SENDER": "app.accounts.sms:LoggingSender"})
    assert "SMS_SENDER" in refusal(environment)


@pytest.mark.parametrize(
    "url", ["sqlite:///instance/queqiao.db", "sqlite:////var/lib/queqiao.db", "sqlite://"]
)
def test_production_refuses_sqlite(environment, url):
    production(environment, **{**PRODUCTION, "DATABASE_URL": url})
    message = refusal(environment)
    assert "DATABASE_URL" in message
    assert "SQLite" in message


@pytest.mark.parametrize("key", ["short", "k" * 31])
def test_production_refuses_a_short_secret_key(environment, key):
    production(environment, **{**PRODUCTION, "SECRET_KEY": key})
    message = refusal(environment)
    assert "SECRET_KEY" in message
    assert "32" in message


@pytest.mark.parametrize(
    "url", ["queqiao.example.cn", "ftp://queqiao.example.cn", "https://", "https://h.cn/?x=1"]
)
def test_production_refuses_a_public_base_url_that_is_not_an_address(environment, url):
    production(environment, **{**PRODUCTION, "PUBLIC_BASE_URL": url})
    assert "PUBLIC_BASE_URL (" in refusal(environment)


def test_production_uses_the_public_base_url(environment):
    production(environment, **PRODUCTION)
    assert create_app().config["PUBLIC_BASE_URL"] == PRODUCTION["PUBLIC_BASE_URL"]


def test_development_links_default_to_where_bin_serve_runs(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path)}
    settings.DevelopmentConfig.finalise(config)
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    config = {"INSTANCE_PATH": str(tmp_path), "PUBLIC_BASE_URL": "http://192.168.1.9:5000"}
    settings.DevelopmentConfig.finalise(config)
    assert config["PUBLIC_BASE_URL"] == "http://192.168.1.9:5000"


def test_production_refuses_a_blank_setting(environment):
    production(environment, **{**PRODUCTION, "REDIS_URL": "   "})
    assert "REDIS_URL" in refusal(environment)


def test_production_starts_with_every_setting(environment):
    production(environment, **PRODUCTION)
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert not app.testing
    assert app.config["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://queqiao:secret@db.internal:5432/queqiao"
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == PRODUCTION["REDIS_URL"]
    assert app.extensions["celery"].conf.broker_url == PRODUCTION["CELERY_BROKER_URL"]
    assert app.extensions["celery"].conf.task_always_eager is False
    assert app.config["SMS_SHOW_CODE_ON_PAGE"] is False
    assert app.config["WTF_CSRF_ENABLED"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["FORCE_HTTPS"] is True


def test_production_cookies_are_secure_and_http_is_redirected(environment):
    production(environment, **PRODUCTION)
    app = create_app()
    client = app.test_client()
    response = client.get("/account/signin", base_url="https://queqiao.example")
    assert response.status_code == 200
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Strict-Transport-Security" in response.headers
    response = client.get("/account/signin", base_url="http://queqiao.example")
    assert response.status_code in {301, 302}
    assert response.headers["Location"].startswith("https://queqiao.example/")


def test_production_can_turn_secure_cookies_off_explicitly(environment):
    production(environment, **PRODUCTION, SESSION_COOKIE_SECURE="false")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


def test_unknown_mode_is_refused(environment):
    environment.setenv("QUEQIAO_ENV", "staging")
    message = refusal(environment)
    assert "staging" in message
    assert "production" in message


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (None, settings.DevelopmentConfig),
        ("", settings.DevelopmentConfig),
        ("development", settings.DevelopmentConfig),
        (" Production ", settings.ProductionConfig),
        ("testing", settings.TestingConfig),
    ],
)
def test_config_for(mode, expected):
    assert settings.config_for(mode) is expected


def test_config_for_unknown_mode():
    with pytest.raises(ConfigurationError, match="prod"):
        settings.config_for("prod")


def test_development_secret_key_is_generated_once(tmp_path):
    instance = tmp_path / "instance"
    key = development_secret_key(str(instance))
    path = instance / "secret_key"
    assert path.read_text() == key
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(str(instance)) == key
    assert development_secret_key(str(tmp_path / "other")) != key


def test_development_secret_key_reads_an_existing_file(tmp_path):
    (tmp_path / "secret_key").write_text("kept-from-before\n")
    assert development_secret_key(str(tmp_path)) == "kept-from-before"


def test_development_finalise_fills_the_defaults(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path)}
    settings.DevelopmentConfig.finalise(config)
    assert config["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'queqiao.db'}"


@pytest.fixture
def usual_umask():
    """The common umask (files 0644, folders 0755), whatever the test runner's is."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_embedded_database_and_the_instance_folder_are_private(tmp_path, usual_umask):
    instance = tmp_path / "instance"
    config = {"INSTANCE_PATH": str(instance)}
    settings.DevelopmentConfig.finalise(config)
    engine = create_engine(config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as connection:  # SQLite writes the file, and a journal beside it
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
    engine.dispose()
    assert mode(instance / "queqiao.db") == 0o600
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600


def test_an_existing_database_and_instance_folder_are_made_private(tmp_path, usual_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    (instance / "queqiao.db").write_bytes(b"")
    (instance / "queqiao.db").chmod(0o644)
    settings.DevelopmentConfig.finalise({"INSTANCE_PATH": str(instance)})
    assert mode(instance / "queqiao.db") == 0o600
    assert mode(instance) == 0o700


def test_a_configured_database_file_is_left_alone(tmp_path, usual_umask):
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'own.db'}"}
    settings.DevelopmentConfig.finalise(config)
    assert not (tmp_path / "queqiao.db").exists()
    assert not (tmp_path / "own.db").exists()  # SQLite creates it, as the operator set up


def test_development_finalise_uses_database_url(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgres://u@h/d", "SECRET_KEY": "s"}
    settings.DevelopmentConfig.finalise(config)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/d"
    assert config["SECRET_KEY"] == "s"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        ),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_normalise_database_url(url, expected):
    assert normalise_database_url(url) == expected


def test_from_environment_reads_at_call_time(environment):
    assert from_environment() == {}
    environment.setenv("SECRET_KEY", " s3cret ")
    environment.setenv("DATABASE_URL", "postgres://u@h/d")
    environment.setenv("PROXY_COUNT", "2")
    environment.setenv("FORCE_HTTPS", "yes")
    environment.setenv("RATELIMIT_SIGNIN", "5 per minute")
    environment.setenv("REDIS_URL", "")
    environment.setenv("UNRELATED_SETTING", "ignored")
    values = from_environment(feature_keys=["RATELIMIT_SIGNIN", "QUICKMATCH_K"])
    assert values == {
        "SECRET_KEY": "s3cret",
        "DATABASE_URL": "postgres://u@h/d",
        "PROXY_COUNT": 2,
        "FORCE_HTTPS": True,
        "RATELIMIT_SIGNIN": "5 per minute",  # a feature's key: as text, its class converts
    }
    environment.setenv("PROXY_COUNT", "1")
    assert from_environment()["PROXY_COUNT"] == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("ON", True), ("yes", True), ("0", False), ("no", False)],
)
def test_from_environment_booleans(environment, raw, expected):
    environment.setenv("SESSION_COOKIE_SECURE", raw)
    values = from_environment()
    assert values["SESSION_COOKIE_SECURE"] is expected
    assert values["REMEMBER_COOKIE_SECURE"] is expected


def test_test_config_selects_testing_mode_and_ignores_the_environment(environment, tmp_path):
    environment.setenv("QUEQIAO_ENV", "production")
    environment.setenv("RATELIMIT_SIGNIN", "1 per minute")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.db'}"})
    assert app.config["ENV_NAME"] == "testing"
    assert app.testing
    assert app.config["RATELIMIT_SIGNIN"] == AccountSettings().signin_limit  # the default
