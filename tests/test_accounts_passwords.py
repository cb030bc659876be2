"""Password hashing follows the app's Argon2 parameters; production keeps argon2-cffi's."""

from __future__ import annotations

import argon2
from argon2 import extract_parameters

from app.accounts import passwords
from app.accounts.settings import Settings
from app.config import ProductionConfig
from tests.conftest import CHEAP_PASSWORD_HASHING
from tests.factories import PASSWORD

PRODUCTION = {
    "PASSWORD_HASH_TIME_COST": argon2.DEFAULT_TIME_COST,  # 3
    "PASSWORD_HASH_MEMORY_COST": argon2.DEFAULT_MEMORY_COST,  # 64 MiB
    "PASSWORD_HASH_PARALLELISM": argon2.DEFAULT_PARALLELISM,  # 4
}


def test_production_uses_argon2_cffis_default_parameters():
    production = {name: getattr(ProductionConfig, name) for name in dir(ProductionConfig)}
    settings = Settings.from_config(production)
    hashing = (settings.hash_time_cost, settings.hash_memory_cost, settings.hash_parallelism)
    assert hashing == tuple(PRODUCTION.values())
    assert not PRODUCTION.keys() & set(dir(ProductionConfig))  # no mode changes them
    assert (argon2.DEFAULT_TIME_COST, argon2.DEFAULT_MEMORY_COST) == (3, 65536)


def test_a_hash_made_under_the_production_parameters_has_them_and_verifies(app_factory):
    app = app_factory(**PRODUCTION)
    with app.app_context():
        digest = passwords.hash_password(PASSWORD)
        stored = extract_parameters(digest)
        assert digest.startswith("$argon2id$")
        assert (stored.time_cost, stored.memory_cost, stored.parallelism) == (3, 65536, 4)
        assert passwords.verify_password(digest, PASSWORD)
        assert not passwords.verify_password(digest, PASSWORD + "x")
        assert not passwords.needs_rehash(digest)
    # Outside an app the defaults (production's) apply too.
    assert not passwords.needs_rehash(digest)


def test_the_test_apps_hash_cheaply_and_upgrade_other_parameters(app):
    with app.app_context():
        digest = passwords.hash_password(PASSWORD)
        stored = extract_parameters(digest)
        assert (stored.time_cost, stored.memory_cost, stored.parallelism) == tuple(
            CHEAP_PASSWORD_HASHING.values()
        )
        assert passwords.verify_password(digest, PASSWORD)
        assert not passwords.needs_rehash(digest)
    # A hash made under other parameters still verifies, and is due for an upgrade.
    assert passwords.verify_password(digest, PASSWORD)
    assert passwords.needs_rehash(digest)
