"""Accounts settings: SMS codes, sign-in limits, device sessions, password hashing, the
support contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM, DEFAULT_TIME_COST

from app.settings import FeatureSettings, at_least, flag, positive, rate_limit, seconds, setting

LOGGING_SENDER = "app.accounts.sms:LoggingSender"
_POSITIVE = "must be a positive number"


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # The SMS gateway's class, ``package.module:ClassName`` (built with the app config);
    # the logging sender (development) only writes codes to the log.
    sms_sender: str = setting(
        "SMS_SENDER", LOGGING_SENDER, str, lambda v: ":" in v, "must be package.module:ClassName"
    )
    show_code_on_page: bool = setting(
        "SMS_SHOW_CODE_ON_PAGE", False, flag, rule="must be on or off"
    )
    code_ttl: timedelta = setting(
        "SMS_CODE_TTL", timedelta(minutes=5), seconds, positive, _POSITIVE
    )
    code_resend_after: timedelta = setting(
        "SMS_CODE_RESEND_AFTER", timedelta(seconds=60), seconds, rule=_POSITIVE
    )

    # Rate limits (Flask-Limiter syntax): per client address, codes per phone number.
    signin_limit: str = setting(
        "RATELIMIT_SIGNIN", "10 per minute;50 per hour", rate_limit, rule="must be a rate limit"
    )
    signup_limit: str = setting(
        "RATELIMIT_SIGNUP", "10 per minute;50 per hour", rate_limit, rule="must be a rate limit"
    )
    send_code_limit: str = setting(
        "RATELIMIT_SEND_CODE", "3 per minute;10 per hour", rate_limit, rule="must be a rate limit"
    )
    code_guess_limit: str = setting(
        "RATELIMIT_CODE_GUESSES", "10 per 15 minutes", rate_limit, rule="must be a rate limit"
    )

    # Wrong passwords for one phone number, from any address: after ``free_failures``
    # each further try waits, first ``delay_seconds``, doubling up to ``delay_max_seconds``;
    # the count is forgotten ``failure_memory_seconds`` after the first failure or at a
    # sign-in.
    free_failures: int = setting("SIGNIN_FREE_FAILURES", 5, int, at_least(1), "must be at least 1")
    delay_seconds: int = setting("SIGNIN_DELAY_SECONDS", 30, int, positive, _POSITIVE)
    delay_max_seconds: int = setting("SIGNIN_DELAY_MAX_SECONDS", 900, int, positive, _POSITIVE)
    failure_memory_seconds: int = setting(
        "SIGNIN_FAILURE_MEMORY_SECONDS", 86400, int, positive, _POSITIVE
    )

    # A device session's "last seen" is written at most this often; it ends after the
    # remember-me cookie's lifetime without a visit (Flask-Login's setting).
    device_seen_interval: timedelta = setting(
        "DEVICE_SEEN_INTERVAL", timedelta(minutes=5), seconds, rule=_POSITIVE
    )
    session_idle_limit: timedelta = setting(
        "REMEMBER_COOKIE_DURATION", timedelta(days=30), seconds, positive, _POSITIVE
    )

    # Password hashing (Argon2id): argon2-cffi's defaults. Stored hashes made with other
    # parameters are upgraded at the next sign-in. The test suite uses the cheapest.
    hash_time_cost: int = setting(
        "PASSWORD_HASH_TIME_COST", DEFAULT_TIME_COST, int, positive, _POSITIVE
    )
    hash_memory_cost: int = setting(
        "PASSWORD_HASH_MEMORY_COST",
        DEFAULT_MEMORY_COST,
        int,
        positive,
        "must be a positive number of KiB",
    )
    hash_parallelism: int = setting(
        "PASSWORD_HASH_PARALLELISM", DEFAULT_PARALLELISM, int, positive, _POSITIVE
    )

    # Where a person reaches the service desk (a suspended account, the terms page).
    support_contact: str = setting(
        "SUPPORT_CONTACT",
        "support@queqiao.example.cn",
        str,
        lambda v: bool(v.strip()),
        "must not be empty",
    )

    def problems(self):
        if self.delay_max_seconds < self.delay_seconds:
            yield "SIGNIN_DELAY_MAX_SECONDS must not be below SIGNIN_DELAY_SECONDS"
        if self.hash_memory_cost < 8 * self.hash_parallelism:
            yield "PASSWORD_HASH_MEMORY_COST must be at least 8 KiB per lane of parallelism"
