"""The real-name application: the form's checks, the rules (one person one account, age,
one open case), consents, outcomes through the in-process workflow, protection of the
name and ID number, and the rate limit on applying again."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import AccountState, User
from app.db_types import utcnow
from app.extensions import db
from app.verification import operations
from app.verification.models import Case, CaseState, ConsentKind, VerifiedFact
from app.verification.runtime import policy, protector
from tests.applicants import (
    DEGREE_UNVERIFIED,
    MARRIED,
    NAME,
    apply,
    born_years_ago,
    cases,
    id_number,
    open_case_directly,
)
from tests.burst import burst, statuses
from tests.factories import login_as
from verification.resident_id import check_character


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def checkbox(page: str, name: str) -> str:
    (tag,) = re.findall(rf'<input[^>]* name="{name}"[^>]*>', page)
    return tag


def state_of(app: Flask, user_id: int) -> AccountState:
    with app.app_context():
        return db.session.get(User, user_id).state


def test_the_form_shows_the_consent_wording_version_and_unticked_boxes(app, english):
    login_as(app, english)
    page = english.get("/verify/apply").get_data(as_text=True)
    assert "wording of November 2026" in page
    assert 'name="consent_version" type="hidden" value="2026-11"' in page
    for box in ("consent_sensitive", "consent_share"):
        assert 'type="checkbox"' in checkbox(page, box)
        assert "checked" not in checkbox(page, box)
    for department in ("Public Security", "Civil Affairs", "Education", "Justice"):
        assert department in page
    assert "Human Resources" in page
    assert "Development" in page


def test_the_wording_version_comes_from_configuration(app_factory):
    app = app_factory(CONSENT_WORDING_VERSION="2027-03")
    client = app.test_client()
    client.set_cookie("lang", "en")
    user = login_as(app, client)
    assert "wording of March 2027" in client.get("/verify/apply").get_data(as_text=True)
    assert apply(client, number=id_number(DEGREE_UNVERIFIED)).status_code == 302
    (case,) = cases(app, user.id)
    with app.app_context():
        versions = {c.wording_version for c in db.session.get(Case, case.id).consents}
    assert versions == {"2027-03"}


NAMES = {
    "": "Enter your real name as it is on your ID card.",
    "   ": "Enter your real name as it is on your ID card.",
    "张": "A name has 2 to 30 characters.",
    "Li": None,  # two Latin letters is a name
    "A" * 31: "A name has 2 to 30 characters.",
    "张" * 31: "A name has 2 to 30 characters.",
    "张三1": "Use Chinese characters",
    "John3 Smith": "Use Chinese characters",
    "张三 Smith": "Use Chinese characters",
    "<b>Zhang</b>": "Use Chinese characters",
    "·张三": "Use Chinese characters",
    "买买提··艾力": "Use Chinese characters",
    "O'Brien": "Use Chinese characters",
}


@pytest.mark.parametrize("name", [n for n, m in NAMES.items() if m], ids=repr)
def test_a_malformed_name_is_refused_and_nothing_is_written(app, english, name):
    user = login_as(app, english)
    response = apply(english, name=name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NAMES[name] in page
    assert 'id="name-error"' in page
    assert cases(app) == []
    assert state_of(app, user.id) is AccountState.registered


@pytest.mark.parametrize(
    ("typed", "stored_mask"),
    [
        ("  张三丰 ", "张**"),
        ("买买提 · 艾力", "买*****"),
        ("买买提•艾力", "买*****"),
        ("Ｊｏｈｎ   Ｓｍｉｔｈ", "J*********"),
        ("Li", "L*"),
    ],
)
def test_real_names_are_accepted_as_people_type_them(app, client, typed, stored_mask):
    user = login_as(app, client)
    assert apply(client, name=typed, number=id_number(DEGREE_UNVERIFIED)).status_code == 302
    (case,) = cases(app, user.id)
    assert case.name_masked == stored_mask


def _valid(body17: str) -> str:
    return body17 + check_character(body17)


ID_NUMBERS = {
    "empty": ("", "Enter your 18-character resident ID number."),
    "obsolete": ("330106950612121", "15-digit ID numbers are no longer valid."),
    "length": ("33010619950612121", "A resident ID number has 18 characters; this one has 17."),
    "too_long": ("3301061995061212111", "this one has 19"),
    "characters": ("33010619950612A21X", "17 digits followed by a digit or the letter X"),
    "region": (_valid("99010619950612121"), "The first 6 digits are not a region code."),
    "birth_date": (_valid("33010619951340121"), "Digits 7 to 14 are not a possible date of birth"),
    "future": (_valid("33010620990101121"), "Digits 7 to 14 are not a possible date of birth"),
    "checksum": (None, "The last character does not fit the other digits"),
}


@pytest.mark.parametrize("kind", list(ID_NUMBERS))
def test_each_kind_of_invalid_id_number_gets_its_message_and_nothing_is_written(app, english, kind):
    number, message = ID_NUMBERS[kind]
    if number is None:
        good = id_number()
        number = good[:17] + ("0" if good[17] != "0" else "1")
    login_as(app, english)
    response = apply(english, number=number)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="id_number-error"' in page
    assert cases(app) == []


def _with_x() -> str:
    for sequence in range(100, 1000):
        body = f"33010619950612{sequence:03d}"
        if check_character(body) == "X" and not 88 <= sequence // 10 <= 99:
            return body + "X"
    raise AssertionError("no number with X")


def test_spaces_lower_case_x_and_full_width_digits_are_accepted(app, client):
    number = _with_x()
    typed = f" {number[:6]} {number[6:14]} {number[14:17]}x ".translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    user = login_as(app, client)
    assert apply(client, number=typed).status_code == 302
    (case,) = cases(app, user.id)
    assert case.id_number_masked == number[:4] + "*" * 10 + number[-4:]


@pytest.mark.parametrize("missing", ["consent_sensitive", "consent_share"])
def test_each_consent_is_required(app, english, missing):
    user = login_as(app, english)
    response = apply(english, **{missing: None})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{missing}-error"' in page
    assert cases(app) == []
    assert state_of(app, user.id) is AccountState.registered


def test_what_was_typed_is_kept_after_an_error(app, english):
    login_as(app, english)
    page = apply(english, name="张三1", consent_share=None).get_data(as_text=True)
    assert 'value="张三1"' in page
    assert f'value="{id_number()}"' in page
    assert "checked" in checkbox(page, "consent_sensitive")
    assert "checked" not in checkbox(page, "consent_share")


def test_consent_to_older_wording_is_asked_again(app, english):
    login_as(app, english)
    response = apply(english, consent_version="2025-01")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The consent wording has been updated" in page
    assert 'value="2026-11"' in page
    assert "checked" not in checkbox(page, "consent_sensitive")
    assert "checked" not in checkbox(page, "consent_share")
    assert cases(app) == []


def test_consents_are_recorded_with_the_version_and_the_time(app, client):
    user = login_as(app, client)
    before = utcnow()
    assert apply(client, number=id_number(DEGREE_UNVERIFIED)).status_code == 302
    with app.app_context():
        (case,) = db.session.scalars(sa.select(Case)).all()
        consents = {c.kind: c for c in case.consents}
        assert set(consents) == set(ConsentKind)
        for consent in consents.values():
            assert consent.wording_version == "2026-11"
            assert before - timedelta(seconds=1) <= consent.given_at <= utcnow()
        assert case.user_id == user.id


def test_an_ordinary_application_ends_approved_with_verified_facts(app, english):
    user = login_as(app, english)
    response = apply(english)
    (case,) = cases(app, user.id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/cases/{case.id}"
    assert case.state is CaseState.approved
    assert state_of(app, user.id) is AccountState.member
    with app.app_context():
        facts = db.session.scalars(sa.select(VerifiedFact).where(VerifiedFact.user_id == user.id))
        assert len(list(facts)) == 6
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are a verified member" in page
    assert page.count('data-state="passed"') == 6


def test_a_married_applicant_is_rejected_with_the_reason(app, english):
    user = login_as(app, english)
    location = apply(english, number=id_number(MARRIED)).headers["Location"]
    (case,) = cases(app, user.id)
    assert case.state is CaseState.rejected
    assert state_of(app, user.id) is AccountState.registered
    page = english.get(location).get_data(as_text=True)
    assert "Your application was not approved" in page
    assert "Civil affairs records show you as married" in page
    assert 'href="/verify/apply"' in page


def test_an_unverified_degree_goes_to_review(app, english):
    user = login_as(app, english)
    location = apply(english, number=id_number(DEGREE_UNVERIFIED)).headers["Location"]
    (case,) = cases(app, user.id)
    assert case.state is CaseState.review
    assert state_of(app, user.id) is AccountState.verifying
    page = english.get(location).get_data(as_text=True)
    assert "An administrator will decide" in page
    assert "An administrator will look at this" in page
    assert "A degree could not be confirmed automatically" in page


def test_an_identity_held_by_another_account_is_accepted_like_any_other(app_factory):
    """Who holds the number is settled after the departments answered (see
    tests/test_verify_duplicates.py); the application itself is accepted."""
    app = app_factory()
    holder_client = app.test_client()
    login_as(app, holder_client)
    assert apply(holder_client, name="李四", number=id_number()).status_code == 302
    client = app.test_client()
    user = login_as(app, client)
    response = apply(client, name="王五", number=id_number())
    (case,) = cases(app, user.id)
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/verify/cases/{case.id}",
    )
    assert case.state is CaseState.review  # the departments confirmed; the desk decides


def test_a_double_submit_creates_one_case(app, client):
    user = login_as(app, client)
    first = apply(client, number=id_number(DEGREE_UNVERIFIED))
    second = apply(client, number=id_number(DEGREE_UNVERIFIED))
    (case,) = cases(app, user.id)
    assert first.headers["Location"] == second.headers["Location"] == f"/verify/cases/{case.id}"


@pytest.fixture
def race(app, monkeypatch):
    """``race(user_id, scenario)``: another request files a case for ``user_id`` just
    after this request's own checks passed. The operation's checks can't see it (it
    is not committed when they run); only the database's unique index can."""
    monkeypatch.setattr(operations, "OPEN_CASE_STATES", (CaseState.rejected,))
    real_open_case = operations.open_case

    def arrange(user_id: int, scenario: str) -> None:
        def racing(*args, **kwargs):
            with app.app_context():  # the other request, with its own session
                other = db.session.get(User, user_id)
                number = id_number(scenario)
                real_open_case(other, NAME, number, "2026-11", protector(), policy())
                db.session.commit()
            return real_open_case(*args, **kwargs)

        monkeypatch.setattr(operations, "open_case", racing)

    return arrange


@pytest.mark.commits  # threads
def test_a_double_submit_that_races_the_first_leads_to_the_first_case(app, client, race):
    user = login_as(app, client)
    race(user.id, DEGREE_UNVERIFIED)
    response = apply(client, number=id_number(DEGREE_UNVERIFIED))
    (case,) = cases(app)
    assert case.user_id == user.id
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/cases/{case.id}"


def test_the_same_identity_from_two_accounts_at_once_is_accepted_for_both(app, english, race):
    holder = login_as(app, app.test_client())
    user = login_as(app, english)
    race(holder.id, DEGREE_UNVERIFIED)
    response = apply(english, number=id_number(DEGREE_UNVERIFIED))
    assert response.status_code == 302
    assert [case.user_id for case in cases(app)] == [holder.id, user.id]
    assert state_of(app, user.id) is AccountState.verifying


def test_an_applicant_under_the_minimum_age_is_refused(app, english):
    login_as(app, english)
    response = apply(english, number=id_number(birth=born_years_ago(17)))
    assert response.status_code == 409
    assert "You must be at least 18 years old to apply." in response.get_data(as_text=True)
    assert cases(app) == []


def test_the_minimum_age_in_the_message_comes_from_the_policy(app_factory):
    app = app_factory(VERIFICATION_MIN_AGE=21)
    client = app.test_client()
    client.set_cookie("lang", "en")
    login_as(app, client)
    response = apply(client, number=id_number(birth=born_years_ago(20)))
    assert response.status_code == 409
    assert "at least 21 years old" in response.get_data(as_text=True)


def test_a_member_has_nothing_to_apply_for(app, client):
    login_as(app, client, "member")
    assert client.get("/verify/apply").headers["Location"] == "/verify/"
    response = apply(client)
    assert (response.status_code, response.headers["Location"]) == (302, "/verify/")
    assert cases(app) == []


def test_an_applicant_with_an_open_case_is_sent_to_it(app, client):
    user = login_as(app, client)
    case_id = open_case_directly(app, user.id)
    assert client.get("/verify/apply").headers["Location"] == f"/verify/cases/{case_id}"
    assert apply(client, number=id_number(MARRIED)).headers["Location"] == (
        f"/verify/cases/{case_id}"
    )
    assert len(cases(app)) == 1


def _all_stored_text(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context(), db.engine.connect() as connection:
        return [
            (table.name, column, str(value))
            for table in db.metadata.sorted_tables
            for row in connection.execute(table.select()).mappings()
            for column, value in row.items()
        ]


@pytest.mark.commits  # reads from another connection
def test_the_name_and_id_number_are_never_shown_or_stored_in_plain_text(app, english, caplog):
    caplog.set_level(logging.DEBUG)
    number = id_number()
    login_as(app, english)
    response = apply(english, name=NAME, number=number)
    progress = response.headers["Location"]
    pages = [
        response,
        english.get(progress),
        english.get(progress + "/status"),
        english.get("/verify/"),
        english.get("/verify/facts"),
        english.get("/notifications"),
        english.get("/"),
    ]
    for page in pages:
        assert page.status_code in (200, 302)
        body = page.get_data(as_text=True)
        assert NAME not in body
        assert number not in body
        assert number[6:14] not in body  # not even the birth date digits
    assert "张**" in pages[1].get_data(as_text=True)
    assert number[:4] + "**********" + number[-4:] in pages[1].get_data(as_text=True)
    stored = _all_stored_text(app)
    assert stored  # the search did look at rows
    leaks = [(t, c) for t, c, value in stored if NAME in value or number in value]
    assert leaks == []
    assert NAME not in caplog.text
    assert number not in caplog.text


def test_invalid_forms_do_not_use_up_applications_but_applying_again_is_limited(app_factory):
    app = app_factory(RATELIMIT_APPLY="2 per day")
    client = app.test_client()
    user = login_as(app, client)
    for _ in range(3):
        assert apply(client, name="").status_code == 400
    assert apply(client, number=id_number(MARRIED)).status_code == 302
    assert apply(client, number=id_number(MARRIED)).status_code == 302
    assert [case.state for case in cases(app, user.id)] == [CaseState.rejected] * 2
    assert apply(client, number=id_number(MARRIED)).status_code == 429
    assert len(cases(app, user.id)) == 2
    # The limit is per account: another applicant is not affected.
    other = app.test_client()
    login_as(app, other)
    assert apply(other, number=id_number(MARRIED, gender="3")).status_code == 302


def test_a_burst_of_applications_gets_no_more_tries_than_the_daily_limit(
    app_factory, limiter_storage
):
    """20 concurrent applications of one account (one client per thread, a barrier)
    against 5 a day. Each is under age, so every one that gets past the limit is
    refused by the rules (409) and nothing is written: the count of 409s is the count
    of tries the limit let through."""
    app = app_factory(RATELIMIT_APPLY="5 per day", **limiter_storage)
    client = app.test_client()
    client.set_cookie("lang", "en")
    user = login_as(app, client)
    under_age = id_number(birth=born_years_ago(17))
    answers = burst(app, client, lambda c, i: apply(c, number=under_age), n=20)
    found = statuses(answers)
    assert set(found) <= {409, 429}, found
    assert 1 <= found.get(409, 0) <= 5
    assert found[429] == 20 - found.get(409, 0)
    assert all(
        "sent as many applications as it may for now" in a.text for a in answers if a.status == 429
    )
    assert cases(app) == []
    assert state_of(app, user.id) is AccountState.registered
    # Used up: a well-formed application now gets 429 at once, a typo still a 400.
    assert apply(client, number=id_number()).status_code == 429
    assert apply(client, name="").status_code == 400
    assert cases(app) == []
