"""The applicant's view of a case: each department's state (live through the status
JSON, or by refreshing without JavaScript), the decision and what to do next; the
verification home; the next step on the home page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.verification import operations, runtime
from app.verification.models import Case, CaseState, Check, CheckState, VerifiedFact
from tests.applicants import MARRIED, apply, id_number, open_case_directly
from tests.factories import login_as
from verification.departments import Answer, Department, Outcome

DEPARTMENTS_EN = [
    "Public Security",
    "Civil Affairs",
    "Education",
    "Human Resources & Social Security",
    "Justice",
    "Development & Reform",
]

REASONS_EN = {
    "name_mismatch": "Enter your name exactly as it is on your ID card",
    "id_cancelled": "This ID number has been cancelled.",
    "married": "Civil affairs records show you as married",
    "degree_unverified": "A degree could not be confirmed automatically.",
    "no_insurance_record": "No social insurance record was found.",
    "community_correction": "community correction order in force",
    "dishonest_debtor": "You are on the list of dishonest judgment debtors.",
    "id_not_found": "No household registration was found for this ID number.",
    "no_record": "The department found no record for this ID number.",
    "no_education_record": "No completed education was found.",
    "unavailable": "The department did not answer after several tries.",
    "department_error": "The department could not process the request.",
}


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def set_check(app, case_id: int, department: Department, state: CheckState, reason=None):
    with app.app_context():
        check = db.session.scalar(
            select(Check).where(Check.case_id == case_id, Check.department == department)
        )
        check.state, check.reason = state, reason
        db.session.commit()


def set_case(app, case_id: int, state: CaseState, reason: str | None = None) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.state, case.decision_reason = state, reason
        db.session.commit()


def test_a_case_being_checked_lists_six_departments_and_the_masked_identity(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    page = english.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    for name in DEPARTMENTS_EN:
        assert name.replace("&", "&amp;") in page
    assert page.count("Checking…") == 6
    assert 'data-testid="name-masked">张**<' in page
    assert re.search(r'data-testid="id-number-masked">3301\*{10}\d{3}[\dX]<', page)
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert f'data-status-url="/verify/cases/{case_id}/status"' in page
    assert re.search(r'src="/static/js/verification-progress\.[0-9a-f]{12}\.js"', page)
    assert 'aria-live="polite"' in page
    # Nothing inline: the content security policy allows scripts from files only.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []


def test_the_status_json_follows_each_department(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    set_check(app, case_id, Department.public_security, CheckState.running)
    set_check(app, case_id, Department.civil_affairs, CheckState.passed)
    set_check(app, case_id, Department.education, CheckState.review, "degree_unverified")
    set_check(app, case_id, Department.justice, CheckState.failed, "community_correction")
    set_check(app, case_id, Department.development_reform, CheckState.error, "unavailable")
    response = english.get(f"/verify/cases/{case_id}/status")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    status = response.json
    assert (status["state"], status["decided"]) == ("checking", False)
    rows = {row["department"]: row for row in status["checks"]}
    assert list(rows) == [d.value for d in Department]
    expected = {
        "public_security": ("running", "Checking…"),
        "civil_affairs": ("passed", "Passed"),
        "education": ("review", "An administrator will look at this"),
        "hr_social_security": ("queued", "Checking…"),
        "justice": ("failed", "Not passed"),
        "development_reform": ("error", "Department unavailable, an administrator will decide"),
    }
    assert {d: (r["state"], r["label"]) for d, r in rows.items()} == expected
    assert rows["public_security"]["name"] == "Public Security"
    assert REASONS_EN["community_correction"] in rows["justice"]["detail"]
    assert REASONS_EN["unavailable"] in rows["development_reform"]["detail"]
    assert rows["civil_affairs"]["detail"] is None
    assert "张" not in response.get_data(as_text=True)


def test_the_status_says_when_the_case_is_decided(app, english):
    login_as(app, english)
    location = apply(english, number=id_number(MARRIED)).headers["Location"]
    status = english.get(location + "/status").json
    assert (status["state"], status["decided"]) == ("rejected", True)
    page = english.get(location).get_data(as_text=True)
    assert "<noscript>" not in page
    assert "data-status-url" not in page
    assert "verification-progress.js" not in page


@pytest.mark.parametrize("reason", list(REASONS_EN))
def test_every_department_reason_has_an_actionable_message(app, english, reason):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    set_check(app, case_id, Department.education, CheckState.failed, reason)
    page = english.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    assert REASONS_EN[reason] in page.replace("&#39;", "'")
    status = english.get(f"/verify/cases/{case_id}/status").json
    (education,) = [c for c in status["checks"] if c["department"] == "education"]
    assert REASONS_EN[reason] in education["detail"]


def test_a_rejected_case_gives_the_reasons_and_a_way_to_apply_again(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    set_case(app, case_id, CaseState.rejected, "dishonest_debtor,married")
    page = english.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    assert "Your application was not approved" in page
    assert REASONS_EN["dishonest_debtor"] in page
    assert REASONS_EN["married"] in page
    assert '<a class="button primary" href="/verify/apply">Apply again</a>' in page


def test_an_administrators_written_reason_is_shown_as_written(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    set_case(app, case_id, CaseState.rejected, "The <degree> certificate is forged.")
    page = english.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    assert "The administrator's reason:" in page
    assert "The &lt;degree&gt; certificate is forged." in page


def test_a_case_in_review_says_an_administrator_will_decide(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    set_case(app, case_id, CaseState.review)
    page = english.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    assert "An administrator will decide" in page
    assert "You need to do nothing now." in page
    assert "<noscript>" not in page


def test_an_approved_case_leads_to_onboarding_and_the_verified_facts(app, english):
    login_as(app, english)
    location = apply(english).headers["Location"]
    page = english.get(location).get_data(as_text=True)
    assert "You are a verified member" in page
    assert 'href="/profile/welcome" data-testid="onboarding-start"' in page
    assert 'href="/verify/facts"' in page


@pytest.mark.parametrize("other", ["registered", "member", "admin"])
def test_only_the_applicant_sees_the_case(app, client, other):
    owner = login_as(app, app.test_client())
    case_id = open_case_directly(app, owner.id)
    login_as(app, client, other)
    assert client.get(f"/verify/cases/{case_id}").status_code == 404
    assert client.get(f"/verify/cases/{case_id}/status").status_code == 404
    assert client.get(f"/verify/cases/{case_id + 1000}").status_code == 404


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/verify/cases/1/status")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/signin?next=")


def test_the_verification_home_without_a_case_offers_to_apply(app, english):
    login_as(app, english)
    page = english.get("/verify/").get_data(as_text=True)
    assert 'href="/verify/apply"' in page
    assert "Start real-name verification" in page


def test_the_verification_home_shows_the_open_case(app, english):
    user = login_as(app, english)
    case_id = open_case_directly(app, user.id)
    page = english.get("/verify/").get_data(as_text=True)
    assert "Being checked by the departments" in page
    assert f'href="/verify/cases/{case_id}"' in page
    assert 'href="/verify/apply"' not in page


def test_the_verification_home_after_a_rejection_gives_reasons_and_apply_again(app, english):
    login_as(app, english)
    apply(english, number=id_number(MARRIED))
    page = english.get("/verify/").get_data(as_text=True)
    assert "Not approved" in page
    assert REASONS_EN["married"] in page
    assert "Apply again" in page
    assert 'href="/verify/apply"' in page


def test_the_verification_home_of_a_member(app, english):
    login_as(app, english, "member")
    page = english.get("/verify/").get_data(as_text=True)
    assert "You are a verified member." in page
    assert 'href="/verify/facts"' in page
    assert 'href="/verify/apply"' not in page


def test_the_home_page_shows_the_next_step_for_each_state(app, english):
    user = login_as(app, english)
    page = english.get("/").get_data(as_text=True)
    assert re.search(r'href="/verify/apply" data-testid="next-step">Start verification', page)
    case_id = open_case_directly(app, user.id)
    page = english.get("/").get_data(as_text=True)
    assert f'href="/verify/cases/{case_id}" data-testid="next-step"' in page
    member = app.test_client()
    member.set_cookie("lang", "en")
    login_as(app, member, "member")
    page = member.get("/").get_data(as_text=True)
    # A new member without a profile: the next step is 完善资料.
    assert 'href="/profile/welcome/profile" data-testid="next-step"' in page


def test_the_progress_script_is_served(client):
    with client.get("/static/js/verification-progress.js") as response:
        assert response.status_code == 200
        script = response.get_data(as_text=True)
    assert "statusUrl" in script
    assert "location.reload" in script


def test_a_member_whose_recheck_failed_is_told_why_and_may_apply_again(app, english):
    user = login_as(app, english)
    apply(english)
    with app.app_context():
        fact = db.session.scalar(
            select(VerifiedFact).where(
                VerifiedFact.user_id == user.id,
                VerifiedFact.department == Department.civil_affairs,
            )
        )
        answer = Answer(Department.civil_affairs, Outcome.failed, "married", {}, "stub", utcnow())
        operations.recheck_answer(fact, answer, runtime.policy())
        db.session.commit()
    page = english.get("/verify/").get_data(as_text=True)
    assert "Member access paused after a re-check" in page
    assert REASONS_EN["married"] in page
    assert 'href="/verify/apply"' in page
    assert english.get("/verify/apply").status_code == 200
