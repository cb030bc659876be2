"""Resident ID numbers: GB 11643-1999 parsing, examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verification.resident_id import (
    PROVINCES,
    InvalidResidentId,
    ResidentId,
    check_character,
    mask,
    parse,
)

TODAY = date(2026, 11, 28)


def make(region: str, birth: date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + check_character(body)


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("11010519491231002X", date(1949, 12, 31), "F"),  # the standard's own example
        (make("330106", date(1996, 5, 20), 123), date(1996, 5, 20), "M"),
        (make("330106", date(2000, 2, 29), 124), date(2000, 2, 29), "F"),
    ],
)
def test_valid_numbers_parse(number, birth, gender):
    parsed = parse(number, today=TODAY)
    assert parsed == ResidentId(number, number[:6], birth, gender)


def test_what_people_type_is_accepted():
    assert parse("  11010519491231002x ", today=TODAY).number == "11010519491231002X"
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert parse(full_width, today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("", "empty", "empty"),
        ("110105491231002", "obsolete", "15-digit"),
        ("1101051949123100", "length", "18 characters"),
        ("11010519491231002XX", "length", "18 characters"),
        ("1101051949123100AX", "characters", "17 digits"),
        ("11010519491231002Y", "characters", "digit or X"),
        ("99010519491231002X", "region", "region code"),
        ("330000199001011234", "region", "region code"),
        (make("330106", date(1990, 1, 1), 1)[:-1] + "Z", "characters", "digit or X"),
        ("11010519491231002" + "1", "checksum", "check character"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, code, words):
    with pytest.raises(InvalidResidentId) as raised:
        parse(number, today=TODAY)
    assert raised.value.code == code
    assert words in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_impossible_and_future_birth_dates_are_refused():
    for body in ("33010619900230123", "33010619901301123", "33010618991231123"):
        with pytest.raises(InvalidResidentId) as raised:
            parse(body + check_character(body), today=TODAY)
        assert raised.value.code == "birth_date"
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(InvalidResidentId, match="future"):
        parse(make("330106", tomorrow, 123), today=TODAY)


def test_age_and_mask():
    parsed = parse(make("330106", date(2008, 11, 29), 123), today=TODAY)
    assert parsed.age_on(TODAY) == 17
    assert parsed.age_on(date(2026, 11, 29)) == 18
    assert mask("33010619960520123X") == "3301**********123X"
    assert parsed.masked.startswith("3301") and parsed.masked.count("*") == 10


regions = st.builds(
    lambda province, rest: f"{province:02d}{rest:04d}",
    st.sampled_from(sorted(PROVINCES)),
    st.integers(min_value=1, max_value=9999),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
def test_any_valid_body_with_its_check_character_parses(region, birth, sequence):
    number = make(region, birth, sequence)
    parsed = parse(number, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.gender == ("M" if sequence % 2 else "F")


@given(regions, births, sequences, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_rejected(region, birth, sequence, position, new):
    number = make(region, birth, sequence)
    changed = number[:position] + new + number[position + 1 :]
    if changed == number:
        return
    with pytest.raises(InvalidResidentId):
        parse(changed, today=TODAY)
