"""Verification operations: open a case, attempt its checks, record department answers
and unavailability, decide, re-check; every state change of the workflow.

Operations flush; the request, task or command that calls them commits once, and
queues tasks only after that commit.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountState, User
from app.audit.models import record as audit
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import notify
from app.signals import member_ready_for_matching
from app.verification import duplicates, health, outage
from app.verification.models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Check,
    CheckState,
    Consent,
    ConsentKind,
    VerifiedFact,
)
from app.verification.queries import PENDING
from verification import resident_id
from verification.departments import Answer, Department, Outcome
from verification.health import Admission, BreakerState
from verification.policy import Decision, Policy
from verification.protection import Protector, mask_name


class ApplicationRefused(Exception):
    """The application can't be accepted; ``reason`` is a message key for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_case(
    user: User,
    name: str,
    id_number: str,
    consent_version: str,
    protector: Protector,
    policy: Policy,
    today: date | None = None,
) -> Case:
    """Create a case with one queued check per required department. Flushes.

    Raises ``ApplicationRefused`` (``already_member``, ``suspended``, ``case_open``,
    ``too_young``) or ``InvalidResidentId``; nothing is written then. An ID number held
    by another account is accepted like any other, so applying reveals no one; it is
    settled when the departments have answered (``decide``).
    """
    parsed = resident_id.parse(id_number, today=today)
    if user.state is AccountState.member:
        raise ApplicationRefused("already_member")
    if user.state is AccountState.suspended:
        raise ApplicationRefused("suspended")
    if db.session.scalar(
        select(Case.id).where(Case.user_id == user.id, Case.state.in_(OPEN_CASE_STATES))
    ):
        raise ApplicationRefused("case_open")
    if parsed.age_on(today or date.today()) < policy.min_age:
        raise ApplicationRefused("too_young")
    index = protector.blind_index(parsed.number)
    clean_name = " ".join(name.split())
    case = Case(
        user_id=user.id,
        name_encrypted=protector.encrypt(clean_name),
        id_number_encrypted=protector.encrypt(parsed.number),
        id_number_index=index,
        name_masked=mask_name(clean_name),
        id_number_masked=parsed.masked,
        birth_date=parsed.birth_date,
        gender=parsed.gender,
    )
    case.checks = [Check(department=d) for d in policy.required]
    case.consents = [Consent(kind=kind, wording_version=consent_version) for kind in ConsentKind]
    user.state = AccountState.verifying
    db.session.add(case)
    db.session.flush()
    return case


def admit_attempt(check: Check, policy: Policy, now: datetime) -> bool:
    """Let a check ask its department, past the department's circuit breaker: True, it
    is running for one more attempt; False, the department is down and the check waits
    without spending an attempt. Flushes."""
    if health.admit(check.department, now, policy.breaker) is Admission.wait:
        outage.wait(check, now)
        return False
    start_attempt(check, policy, now)
    return True


def start_attempt(check: Check, policy: Policy, now: datetime | None = None) -> None:
    """Mark a check as running for one more attempt, with a deadline. Flushes."""
    now = now or utcnow()
    check.state = CheckState.running
    check.attempts += 1
    check.dispatched_at = now
    check.deadline_at = now + policy.check_deadline
    db.session.flush()


_OUTCOME_STATES = {
    Outcome.passed: CheckState.passed,
    Outcome.failed: CheckState.failed,
    Outcome.review: CheckState.review,
}


def record_answer(check: Check, answer: Answer) -> None:
    """Keep only the department's conclusion: outcome, reason, verified fact, source, time."""
    if check.is_final:
        return
    check.state = _OUTCOME_STATES[answer.outcome]
    check.reason = answer.reason
    check.facts = dict(answer.facts) if answer.outcome is Outcome.passed else {}
    check.source = answer.source
    check.answered_at = answer.answered_at
    check.deadline_at = None
    db.session.flush()


def record_error(check: Check, reason: str) -> None:
    """The department stayed unavailable after every retry: an administrator decides."""
    if check.is_final:
        return
    check.state = CheckState.error
    check.reason = reason
    check.answered_at = utcnow()
    check.deadline_at = None
    db.session.flush()


class Unavailable(enum.StrEnum):
    """What becomes of a check whose department did not answer."""

    wait = "wait"  # the department is down (its breaker opened): wait for its recovery
    give_up = "give_up"  # that was the last attempt: an error, an administrator decides
    retry = "retry"  # try again after a backoff


def record_unavailable(check: Check, error: str, policy: Policy, now: datetime) -> Unavailable:
    """An unavailable answer or a time-out: count it on the department's breaker, then
    make the check wait if the breaker is open. Flushes; giving up (``record_error``)
    and queueing the retry (``requeue``) are the caller's."""
    breaker = health.record_failure(check.department, now, policy.breaker, error)
    if breaker is not BreakerState.closed:
        outage.wait(check, now)
        return Unavailable.wait
    if check.attempts >= policy.max_attempts:
        return Unavailable.give_up
    return Unavailable.retry


def requeue(check: Check, retry_at: datetime, policy: Policy) -> None:
    """Queue a check again for a retry at ``retry_at``; its deadline is past the retry,
    so the reconciler leaves it alone until then. Flushes."""
    check.state = CheckState.queued
    check.deadline_at = retry_at + policy.check_deadline
    db.session.flush()


def finish(check: Check, answer: Answer | None, reason: str, policy: Policy, now: datetime) -> bool:
    """Keep the department's answer, or without one the error ``reason``, and tell the
    department's breaker. Returns whether the answer closed the breaker (the caller
    resumes the department's waiting checks after its commit). Flushes."""
    if answer is not None:
        record_answer(check, answer)
        return health.record_success(check.department, now, policy.breaker)
    record_error(check, reason)
    health.lock(check.department).release_trial()  # a refusal: let another trial in
    db.session.flush()
    return False


def postpone(check_ids: Sequence[int], until: datetime) -> None:
    """Move the deadline of stuck checks, which are dispatched again, so the next
    reconciliation leaves them alone; a check that finished meanwhile keeps its answer
    (and its re-dispatch does nothing)."""
    if not check_ids:
        return
    db.session.execute(
        update(Check)
        .where(Check.id.in_(check_ids), Check.state.in_(PENDING))
        .values(deadline_at=until),
        execution_options={"synchronize_session": False},
    )


def decide(case: Case, policy: Policy, now: datetime | None = None) -> str | None:
    """Decide a case whose checks are all final; ``None`` while some are pending.

    Approves (the user becomes a member with verified facts), rejects with the
    departments' reasons, or sends the case to review. A case that would be approved
    while another account holds its ID number goes to review instead and returns
    ``duplicates.HELD`` (the caller texts the holder after its commit). Runs once: a
    decided case is left alone. Flushes.
    """
    if case.state is not CaseState.checking or not all(c.is_final for c in case.checks):
        return None
    decision = policy.decide((c.department, c.state.value) for c in case.checks)
    user = db.session.get(User, case.user_id)
    if decision == Decision.approve:
        return _approve_unless_held(case, user, policy, now or utcnow())
    if decision == Decision.reject:
        reasons = sorted(
            {c.reason or c.state.value for c in case.checks if c.state is CheckState.failed}
        )
        _reject(case, user, now or utcnow(), actor_id=None, reason=",".join(reasons))
    else:
        case.state = CaseState.review
        notify(user.id, "verification.review", case_id=case.id)
    db.session.flush()
    return decision


def _approve_unless_held(case: Case, user: User, policy: Policy, now: datetime) -> str:
    """Approve a case the departments confirmed, unless another account holds its ID
    number: then it waits for an administrator (``duplicates.HELD``)."""
    holder = duplicates.holder_of(case)
    if holder is None and _claim(case, user, policy, now, actor_id=None, reason=None):
        return Decision.approve
    # Held, or a concurrent approval of the same number committed first.
    duplicates.hold_for_review(case, holder or duplicates.holder_of(case))
    return duplicates.HELD


def review(case: Case, admin: User, approve: bool, reason: str, policy: Policy) -> None:
    """An administrator approves or rejects a case in review, with a written reason.

    Raises ``ApplicationRefused``: ``not_in_review``, ``reason_required``, or
    ``identity_held`` when approving would make a second member with the ID number
    (checked here, and by the database's unique index for a concurrent approval).
    """
    if not admin.is_admin:
        raise PermissionError("only administrators decide verification cases")
    if case.state is not CaseState.review:
        raise ApplicationRefused("not_in_review")
    reason = reason.strip()
    if not reason:
        raise ApplicationRefused("reason_required")
    user = db.session.get(User, case.user_id)
    now = utcnow()
    if approve:
        held = duplicates.holder_of(case) is not None
        if held or not _claim(case, user, policy, now, actor_id=admin.id, reason=reason):
            raise ApplicationRefused("identity_held")
    else:
        _reject(case, user, now, actor_id=admin.id, reason=reason)
    db.session.flush()


def _claim(
    case: Case, user: User, policy: Policy, now: datetime, actor_id: int | None, reason: str | None
) -> bool:
    """Approve in a savepoint; False (nothing written) when the database refuses a
    second approved case of this ID number: a concurrent approval committed first."""
    try:
        with db.session.begin_nested():
            _approve(case, user, policy, now, actor_id, reason)
    except IntegrityError:
        return False
    return True


def _approve(
    case: Case, user: User, policy: Policy, now: datetime, actor_id: int | None, reason: str | None
) -> None:
    case.state = CaseState.approved
    case.decided_at, case.decided_by_id, case.decision_reason = now, actor_id, reason
    user.state = AccountState.member
    for check in case.checks:
        if check.state is CheckState.passed:
            _keep_fact(user.id, case.id, check, policy, now)
    audit("verification.approve", "case", case.id, actor_id=actor_id, reason=reason)
    notify(user.id, "verification.approved", case_id=case.id)
    member_ready_for_matching.send(member_id=user.id)  # inside the savepoint: a rollback drops it


def _reject(case: Case, user: User, now: datetime, actor_id: int | None, reason: str) -> None:
    case.state = CaseState.rejected
    case.decided_at, case.decided_by_id, case.decision_reason = now, actor_id, reason
    user.state = AccountState.registered
    audit("verification.reject", "case", case.id, actor_id=actor_id, reason=reason)
    notify(user.id, "verification.rejected", case_id=case.id, reason=reason)


def _keep_fact(user_id: int, case_id: int, check: Check, policy: Policy, now: datetime) -> None:
    fact = db.session.scalar(
        select(VerifiedFact).where(
            VerifiedFact.user_id == user_id, VerifiedFact.department == check.department
        )
    )
    if fact is None:
        fact = VerifiedFact(user_id=user_id, department=check.department)
        db.session.add(fact)
    fact.case_id = case_id
    fact.facts = dict(check.facts)
    fact.source = check.source or "unknown"
    fact.verified_at = check.answered_at or now
    fact.expires_at = fact.verified_at + policy.fact_lifetime[Department(check.department)]


def recheck_answer(fact: VerifiedFact, answer: Answer, policy: Policy) -> bool:
    """Apply a re-check of an expired fact. Returns whether the member keeps access.

    Passed: the fact is renewed. Failed: the member loses member access, with the
    department's reason, notified and audited. Review: unchanged until the next run.
    """
    now = utcnow()
    if answer.outcome is Outcome.passed:
        fact.facts = dict(answer.facts)
        fact.source = answer.source
        fact.verified_at = answer.answered_at
        fact.expires_at = answer.answered_at + policy.fact_lifetime[fact.department]
        db.session.flush()
        return True
    if answer.outcome is Outcome.failed:
        user = db.session.get(User, fact.user_id)
        if user.state is AccountState.member:
            user.state = AccountState.registered
        reason = answer.reason or "failed"
        # The approved case no longer makes a member; the user may apply again.
        for case in db.session.scalars(
            select(Case).where(Case.user_id == user.id, Case.state == CaseState.approved)
        ):
            case.state = CaseState.lapsed
            case.decision_reason = reason
        audit(
            "verification.recheck_failed",
            "user",
            user.id,
            reason=reason,
            department=fact.department.value,
        )
        notify(user.id, "verification.access_lost", department=fact.department.value, reason=reason)
        db.session.delete(fact)
        db.session.flush()
        return False
    fact.expires_at = now + policy.check_deadline
    db.session.flush()
    return True
