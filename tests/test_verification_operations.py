"""Verification operations and the in-process (eager) workflow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountState, Role, User
from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.verification import duplicates, operations, runtime, tasks
from app.verification.models import Case, CaseState, Check, CheckState, ConsentKind, VerifiedFact
from tests.factories import UserFactory
from tests.verification_helpers import id_number
from verification.departments import Answer, Department, Outcome
from verification.policy import Policy
from verification.resident_id import InvalidResidentId

NAME = "张三丰"


def apply(user: User, number: str | None = None, name: str = NAME) -> Case:
    case = operations.open_case(
        user, name, number or id_number(), "2026-11", runtime.protector(), runtime.policy()
    )
    db.session.commit()
    return case


def run(case: Case) -> Case:
    tasks.dispatch_case.apply(args=[case.id])
    db.session.expire_all()
    return db.session.get(Case, case.id)


def test_open_case_creates_one_check_per_department_and_records_consents(app_ctx):
    user = UserFactory()
    case = apply(user)
    assert [c.department for c in case.checks] == list(Department)
    assert all(c.state is CheckState.queued for c in case.checks)
    assert {c.kind for c in case.consents} == set(ConsentKind)
    assert all(c.wording_version == "2026-11" and c.given_at for c in case.consents)
    assert user.state is AccountState.verifying
    assert case.name_masked == "张**"
    assert case.id_number_masked == "3301**********" + id_number()[-4:]
    assert case.birth_date == date(1996, 5, 20) and case.gender == "M"


def test_identity_is_encrypted_at_rest_and_indexed_by_a_keyed_hash(app_ctx):
    case = apply(UserFactory())
    row = db.session.execute(select(Case.__table__)).mappings().one()
    stored = " ".join(str(value) for value in row.values())
    assert id_number() not in stored and NAME not in stored
    assert runtime.applicant_for(case).id_number == id_number()
    assert runtime.applicant_for(case).name == NAME
    assert row["id_number_index"] == runtime.protector().blind_index(id_number())


def test_an_identity_held_by_another_account_opens_a_case_like_any_other(app_ctx):
    run(apply(UserFactory()))
    other = UserFactory()
    case = apply(other)
    assert case.state is CaseState.checking
    assert [c.department for c in case.checks] == list(Department)
    assert other.state is AccountState.verifying


def _clone(case: Case, state: CaseState) -> Case:
    return Case(
        user_id=UserFactory().id,
        state=state,
        name_encrypted="x",
        id_number_encrypted="x",
        id_number_index=case.id_number_index,
        name_masked="x",
        id_number_masked="x",
        birth_date=date(1990, 1, 1),
        gender="M",
    )


def test_the_database_refuses_a_second_approved_case_of_an_identity(app_ctx):
    first = run(apply(UserFactory()))
    assert first.state is CaseState.approved
    db.session.add(_clone(first, CaseState.checking))  # applying is open to anyone
    db.session.commit()
    db.session.add(_clone(first, CaseState.approved))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def _checked(case: Case) -> Case:
    """Every department passed, not yet decided."""
    for check in case.checks:
        check.state, check.source = CheckState.passed, "stub"
    db.session.flush()
    return case


def _approved_meanwhile(monkeypatch, holder_case: Case) -> None:
    """The first look for a holder finds none, as when a concurrent approval of the same
    number is not committed yet; it commits before this one's approval is written."""
    real = duplicates.holder_of
    calls = []

    def holder_of(case):
        calls.append(case.id)
        if len(calls) == 1:
            holder_case.state = CaseState.approved  # the concurrent approval, committed
            db.session.flush()
            return None
        return real(case)

    monkeypatch.setattr(duplicates, "holder_of", holder_of)


def test_a_concurrent_approval_of_the_same_number_holds_the_second_for_review(app_ctx, monkeypatch):
    first, second = apply(UserFactory()), apply(UserFactory())
    _checked(first)
    _checked(second)
    _approved_meanwhile(monkeypatch, first)
    assert operations.decide(second, runtime.policy()) == duplicates.HELD
    db.session.commit()
    assert second.state is CaseState.review
    assert db.session.get(User, second.user_id).state is AccountState.verifying
    assert not db.session.scalars(
        select(VerifiedFact).where(VerifiedFact.user_id == second.user_id)
    ).all()
    note = db.session.scalar(select(Notification).where(Notification.user_id == first.user_id))
    assert note.kind == "verification.identity_used"


def test_an_administrator_cannot_approve_when_a_concurrent_approval_won(app_ctx, monkeypatch):
    admin = UserFactory(role=Role.admin, state=AccountState.member)
    first, second = apply(UserFactory()), apply(UserFactory())
    second.state = CaseState.review
    db.session.commit()
    _approved_meanwhile(monkeypatch, first)
    with pytest.raises(operations.ApplicationRefused, match="identity_held"):
        operations.review(second, admin, True, "Seen at the desk", runtime.policy())
    assert second.state is CaseState.review
    assert db.session.get(User, second.user_id).state is AccountState.verifying


def test_the_database_refuses_two_open_cases_for_one_user(app_ctx):
    user = UserFactory()
    first = apply(user)
    second = Case(
        user_id=user.id,
        name_encrypted="x",
        id_number_encrypted="x",
        id_number_index="other",
        name_masked="x",
        id_number_masked="x",
        birth_date=date(1990, 1, 1),
        gender="M",
    )
    assert first.is_open
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("state", "reason"),
    [(AccountState.member, "already_member"), (AccountState.suspended, "suspended")],
)
def test_members_and_suspended_users_cannot_apply(app_ctx, state, reason):
    with pytest.raises(operations.ApplicationRefused) as refused:
        apply(UserFactory(state=state))
    assert refused.value.reason == reason
    assert db.session.scalar(select(Case.id)) is None


def test_one_open_case_per_user(app_ctx):
    user = UserFactory()
    apply(user)
    user.state = AccountState.registered  # even if the state were out of step
    with pytest.raises(operations.ApplicationRefused) as refused:
        apply(user, id_number("13"))
    assert refused.value.reason == "case_open"


def test_too_young_is_refused_by_the_configured_age(app_ctx):
    seventeen = date.today().replace(year=date.today().year - 17)
    with pytest.raises(operations.ApplicationRefused) as refused:
        apply(UserFactory(), id_number(birth=seventeen))
    assert refused.value.reason == "too_young"


def test_an_invalid_number_is_refused_before_any_department_is_asked(app_ctx):
    valid = id_number()
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(InvalidResidentId):
        apply(UserFactory(), wrong_check)
    assert db.session.scalar(select(Check.id)) is None


def test_all_departments_pass_makes_a_member_with_expiring_verified_facts(app_ctx):
    user = UserFactory()
    case = run(apply(user))
    assert case.state is CaseState.approved
    assert db.session.get(User, user.id).state is AccountState.member
    facts = {f.department: f for f in db.session.scalars(select(VerifiedFact))}
    assert set(facts) == set(Department)
    assert "degree" in facts[Department.education].facts
    assert facts[Department.civil_affairs].facts == {"marital_status": "unmarried"}
    lifetime = (
        facts[Department.civil_affairs].expires_at - facts[Department.civil_affairs].verified_at
    )
    assert lifetime == timedelta(days=365)
    kinds = db.session.scalars(select(Notification.kind)).all()
    assert kinds == ["verification.approved"]


def test_a_failure_rejects_with_the_department_reason(app_ctx):
    user = UserFactory()
    case = run(apply(user, id_number("92")))
    assert case.state is CaseState.rejected
    assert case.decision_reason == "married"
    assert db.session.get(User, user.id).state is AccountState.registered
    assert db.session.scalar(select(VerifiedFact.id)) is None
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.reason) == ("verification.reject", None, "married")


def test_after_a_rejection_the_same_identity_can_apply_again(app_ctx):
    user = UserFactory()
    run(apply(user, id_number("92")))
    again = apply(user, id_number("92"))
    assert again.state is CaseState.checking


def test_a_review_answer_sends_the_case_to_an_administrator(app_ctx):
    case = run(apply(UserFactory(), id_number("93")))
    assert case.state is CaseState.review
    education = next(c for c in case.checks if c.department is Department.education)
    assert (education.state, education.reason) == (CheckState.review, "degree_unverified")


def test_decide_waits_for_every_check_and_runs_once(app_ctx):
    case = apply(UserFactory())
    policy = runtime.policy()
    assert operations.decide(case, policy) is None  # checks still queued
    run(case)
    assert operations.decide(db.session.get(Case, case.id), policy) is None  # already decided
    assert db.session.scalars(select(AuditEntry.action)).all() == ["verification.approve"]


def test_an_administrator_approves_a_case_in_review_with_a_reason(app_ctx):
    user = UserFactory()
    admin = UserFactory(role=Role.admin, state=AccountState.member)
    case = run(apply(user, id_number("93")))
    policy = runtime.policy()
    with pytest.raises(operations.ApplicationRefused, match="reason_required"):
        operations.review(case, admin, True, "   ", policy)
    with pytest.raises(PermissionError):
        operations.review(case, user, True, "looks fine", policy)
    operations.review(case, admin, True, "Diploma checked by phone with the university", policy)
    db.session.commit()
    assert case.state is CaseState.approved and case.decided_by_id == admin.id
    assert db.session.get(User, user.id).state is AccountState.member
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == admin.id and entry.reason.startswith("Diploma")
    with pytest.raises(operations.ApplicationRefused, match="not_in_review"):
        operations.review(case, admin, False, "changed my mind", policy)


def test_policy_can_require_fewer_departments(app_ctx):
    policy = Policy.from_config(
        {"VERIFICATION_REQUIRED_DEPARTMENTS": "public_security,civil_affairs"}
    )
    assert policy.required == (Department.public_security, Department.civil_affairs)
    assert (
        policy.decide(
            [(Department.public_security, "passed"), (Department.civil_affairs, "passed")]
        )
        == "approve"
    )
    assert (
        policy.decide([(Department.public_security, "passed"), (Department.civil_affairs, "error")])
        == "review"
    )
    assert (
        policy.decide([(Department.public_security, "failed"), (Department.civil_affairs, "error")])
        == "reject"
    )


def _expired_member_fact(department: Department) -> VerifiedFact:
    user = UserFactory()
    run(apply(user, id_number("12")))
    fact = db.session.scalar(select(VerifiedFact).where(VerifiedFact.department == department))
    fact.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return fact


def test_an_expired_fact_that_still_holds_is_renewed(app_ctx):
    fact = _expired_member_fact(Department.civil_affairs)
    assert tasks.recheck_expired_facts.apply().get() == 1
    db.session.refresh(fact)
    assert fact.expires_at > utcnow() + timedelta(days=300)


def test_a_failed_recheck_takes_member_access_away_with_the_reason(app_ctx):
    fact = _expired_member_fact(Department.civil_affairs)
    answer = Answer(Department.civil_affairs, Outcome.failed, "married", {}, "stub", utcnow())
    assert operations.recheck_answer(fact, answer, runtime.policy()) is False
    db.session.commit()
    user = db.session.get(User, fact.user_id)
    assert user.state is AccountState.registered
    note = db.session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    assert note.kind == "verification.access_lost" and note.params["reason"] == "married"
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "verification.recheck_failed"
    )


def test_after_a_failed_recheck_the_same_person_may_apply_again_and_nobody_else_is_approved(
    app_ctx,
):
    fact = _expired_member_fact(Department.civil_affairs)
    answer = Answer(Department.civil_affairs, Outcome.failed, "married", {}, "stub", utcnow())
    operations.recheck_answer(fact, answer, runtime.policy())
    db.session.commit()
    user = db.session.get(User, fact.user_id)
    old = db.session.scalar(select(Case).where(Case.user_id == user.id))
    assert old.state is CaseState.lapsed and old.decision_reason == "married"

    # The lapsed member still holds the number: another account's case waits for review.
    other = run(apply(UserFactory(), id_number("12")))
    assert other.state is CaseState.review

    again = run(apply(user, id_number("12")))
    assert again.state is CaseState.approved
    assert db.session.get(User, user.id).state is AccountState.member


def test_fact_lifetimes_are_configurable_per_department(app_factory):
    # As the environment gives it (app/config.py reads it as a string).
    app = app_factory(VERIFICATION_FACT_LIFETIME_DAYS="civil_affairs=30, justice=7")
    with app.app_context():
        user = UserFactory()
        run(apply(user, id_number("12")))
        facts = {
            f.department: f.expires_at - f.verified_at
            for f in db.session.scalars(select(VerifiedFact).where(VerifiedFact.user_id == user.id))
        }
    assert facts[Department.civil_affairs] == timedelta(days=30)
    assert facts[Department.justice] == timedelta(days=7)
    assert facts[Department.education] == timedelta(days=3650)


@pytest.mark.parametrize("setting", ["civil_affairs", "civil_affairs=0", "parliament=30"])
def test_a_bad_fact_lifetime_setting_is_refused(setting):
    with pytest.raises(ValueError):
        Policy.from_config({"VERIFICATION_FACT_LIFETIME_DAYS": setting})
