"""Feature settings (app/settings.py): one frozen class per feature, read from the
config and the environment, checked when the app is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app import create_app
from app.accounts.settings import Settings as AccountSettings
from app.config import ConfigurationError
from app.events.settings import Settings as EventSettings
from app.quickmatch.settings import Settings as QuickMatchSettings
from app.settings import FeatureSettings, at_least, rate_limit, seconds, setting
from app.verification.settings import Settings as VerificationSettings
from tests.conftest import make_test_app


@dataclass(frozen=True)
class Sample(FeatureSettings):
    count: int = setting("SAMPLE_COUNT", 3, int, at_least(1), "must be at least 1")
    limit: str = setting("SAMPLE_LIMIT", "5 per day", rate_limit, rule="must be a rate limit")
    wait: timedelta = setting("SAMPLE_WAIT", timedelta(seconds=30), seconds)

    def problems(self):
        if self.count > 10 and self.wait < timedelta(minutes=1):
            yield "SAMPLE_WAIT must be a minute or more above 10 SAMPLE_COUNT"


def test_defaults_come_from_the_class_and_values_are_converted():
    assert Sample.from_config({}) == Sample()
    read = Sample.from_config({"SAMPLE_COUNT": "7", "SAMPLE_WAIT": "90"})
    assert read == Sample(count=7, wait=timedelta(seconds=90))


def test_every_bad_value_is_named_at_once():
    with pytest.raises(ConfigurationError) as caught:
        Sample.from_config({"SAMPLE_COUNT": "0", "SAMPLE_LIMIT": "lots", "SAMPLE_WAIT": "soon"})
    message = str(caught.value)
    assert "SAMPLE_COUNT must be at least 1 (not '0')" in message
    assert "SAMPLE_LIMIT must be a rate limit (not 'lots')" in message
    assert "SAMPLE_WAIT is not valid (not 'soon')" in message


def test_a_rule_between_fields_is_checked_after_each_fields_own():
    with pytest.raises(ConfigurationError, match="a minute or more"):
        Sample.from_config({"SAMPLE_COUNT": 11})


def test_the_app_refuses_bad_settings_of_several_features_in_one_message():
    with pytest.raises(ConfigurationError) as caught:
        make_test_app(
            "sqlite://",
            RATELIMIT_PHOTO="lots",
            EVENTS_OFFER_HOURS=0,
            SIGNIN_DELAY_SECONDS=60,
            SIGNIN_DELAY_MAX_SECONDS=30,
        )
    message = str(caught.value)
    assert "RATELIMIT_PHOTO must be a rate limit" in message
    assert "EVENTS_OFFER_HOURS must be a positive number of hours" in message
    assert "SIGNIN_DELAY_MAX_SECONDS must not be below SIGNIN_DELAY_SECONDS" in message


def test_the_verification_policy_is_checked_when_the_app_is_built():
    with pytest.raises(ConfigurationError, match="verification policy"):
        make_test_app("sqlite://", VERIFICATION_REQUIRED_DEPARTMENTS="public_security,police")
    with pytest.raises(ConfigurationError, match="VERIFICATION_GATEWAY_URL is required"):
        make_test_app("sqlite://", VERIFICATION_DEPARTMENTS="http")


def test_the_app_keeps_each_features_settings_and_fills_the_defaults_into_its_config():
    app = make_test_app("sqlite://", EVENTS_OFFER_HOURS=2, QUICKMATCH_K=5)
    assert EventSettings.of(app).offer_window == timedelta(hours=2)
    assert QuickMatchSettings.of(app).k == 5
    assert app.config["QUICKMATCH_REPEAT_WINDOW_DAYS"] == 30  # a default, filled in
    with app.app_context():
        assert AccountSettings.current() is AccountSettings.of(app)
        assert VerificationSettings.current().policy.min_age == 18


def test_feature_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUICKMATCH_K", "4")
    monkeypatch.setenv("SIGNIN_FREE_FAILURES", "9")
    monkeypatch.setenv("VERIFICATION_STUB_FAILURE_RATE", "0.25")
    monkeypatch.setattr("app.load_dotenv", lambda **_kwargs: False)
    monkeypatch.setenv("QUEQIAO_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app()
    assert QuickMatchSettings.of(app).k == 4
    assert AccountSettings.of(app).free_failures == 9
    assert VerificationSettings.of(app).stub_failure_rate == 0.25


def test_a_bad_environment_value_is_named(monkeypatch):
    monkeypatch.setattr("app.load_dotenv", lambda **_kwargs: False)
    monkeypatch.setenv("QUEQIAO_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("QUICKMATCH_HOUR", "noon")
    with pytest.raises(ConfigurationError, match="QUICKMATCH_HOUR must be an hour from 0 to 23"):
        create_app()
