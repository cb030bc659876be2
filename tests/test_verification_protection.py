"""Encryption at rest, key rotation and the blind index."""

from __future__ import annotations

import pytest

from verification.protection import ProtectionError, Protector, generate_key, mask_name

INDEX_KEY = "i" * 40


def test_round_trip_and_no_plain_text_in_the_token():
    protector = Protector([generate_key()], INDEX_KEY)
    token = protector.encrypt("330106199605201231")
    assert "330106" not in token
    assert protector.decrypt(token) == "330106199605201231"
    assert protector.encrypt("same") != protector.encrypt("same")  # randomised


def test_rotation_moves_values_to_the_newest_key():
    old, new = generate_key(), generate_key()
    before = Protector([old], INDEX_KEY)
    token = before.encrypt("张三丰")
    during = Protector([new, old], INDEX_KEY)
    assert during.decrypt(token) == "张三丰"  # old values still readable
    rotated = during.rotate(token)
    after = Protector([new], INDEX_KEY)
    assert after.decrypt(rotated) == "张三丰"
    with pytest.raises(ProtectionError):
        after.decrypt(token)  # the old key is gone


def test_blind_index_is_stable_keyed_and_irreversible():
    one = Protector([generate_key()], INDEX_KEY)
    two = Protector([generate_key()], INDEX_KEY)
    other = Protector([generate_key()], "j" * 40)
    number = "330106199605201231"
    assert one.blind_index(number) == two.blind_index(number)
    assert one.blind_index(number) != other.blind_index(number)
    assert number not in one.blind_index(number)


@pytest.mark.parametrize(
    ("keys", "index_key"), [([], INDEX_KEY), (["not-a-key"], INDEX_KEY), ([None], "short")]
)
def test_bad_keys_are_refused_with_a_message(keys, index_key):
    if keys == [None]:
        keys = [generate_key()]
    with pytest.raises(ProtectionError):
        Protector(keys, index_key)


def test_names_are_masked_to_the_family_name():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李*"
    assert mask_name("  ") == ""


def test_rotate_keys_command_re_encrypts_every_case(app_factory):
    from sqlalchemy import select

    from app.extensions import db
    from app.verification import operations, runtime
    from app.verification.models import Case
    from tests.factories import UserFactory
    from tests.verification_helpers import id_number

    old = generate_key()
    app = app_factory(IDENTITY_ENCRYPTION_KEYS=old)
    with app.app_context():
        operations.open_case(
            UserFactory(), "王五", id_number(), "v1", runtime.protector(), runtime.policy()
        )
        db.session.commit()
    new = generate_key()
    rotated_app = app_factory(IDENTITY_ENCRYPTION_KEYS=f"{new},{old}")
    result = rotated_app.test_cli_runner().invoke(args=["identity", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "1 verification cases" in result.output
    only_new = app_factory(IDENTITY_ENCRYPTION_KEYS=new)
    with only_new.app_context():
        case = db.session.scalar(select(Case))
        assert runtime.applicant_for(case).id_number == id_number()
        assert runtime.applicant_for(case).name == "王五"
