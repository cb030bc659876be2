"""Department outages, fast: the circuit breaker's transitions (``now`` passed in),
checks that wait instead of spending attempts, patience, the probe, the retry of cases
in review on recovery, the gateway's probe and fault drill, and what applicants and
administrators see. The real-worker runs are in test_verification_outage_worker.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from werkzeug.test import Client

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.verification import operations, outage, probes, runtime, tasks
from app.verification.health import DepartmentHealth
from app.verification.models import Case, CaseState, Check, CheckState
from tests.applicants import DEGREE_UNVERIFIED, NAME, id_number
from tests.factories import login_as, make_user
from verification.departments import (
    Department,
    DepartmentUnavailable,
    HttpDepartment,
    Outage,
    build_departments,
    parse_outages,
)
from verification.gateway import create_gateway
from verification.health import Admission, BreakerState
from verification.policy import BreakerSettings

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SETTINGS = BreakerSettings(
    failures=3,
    failure_share=0.5,
    min_calls=6,
    window=timedelta(seconds=60),
    cooldown=timedelta(seconds=30),
    trial_lease=timedelta(seconds=40),
)
POLICE = Department.public_security
WAITING_EN = "The department's system is busy; the check continues by itself when it recovers."


def breaker(state: BreakerState = BreakerState.closed, since: datetime = T0) -> DepartmentHealth:
    return DepartmentHealth(
        department=POLICE,
        state=state,
        since=since,
        consecutive_failures=0,
        window_calls=0,
        window_failures=0,
    )


_births = iter(range(10_000))


def open_case_directly(app, user_id: int, scenario: str = "12") -> int:
    """A case left in checking, with an ID number of its own (one person per case)."""
    birth = (datetime(1990, 1, 1) + timedelta(days=next(_births))).strftime("%Y%m%d")
    with app.app_context():
        case = operations.open_case(
            db.session.get(User, user_id),
            NAME,
            id_number(scenario, birth),
            "2026-11",
            runtime.protector(),
            runtime.policy(),
        )
        db.session.commit()
        return case.id


def seconds(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


# The breaker's transitions ------------------------------------------------------------


def test_failures_in_a_row_open_the_breaker_and_an_answer_between_resets_the_count():
    row = breaker()
    row.failed(seconds(1), SETTINGS, "timed out")
    row.failed(seconds(2), SETTINGS, "timed out")
    row.succeeded(seconds(3), SETTINGS)
    row.failed(seconds(4), SETTINGS, "timed out")
    row.failed(seconds(5), SETTINGS, "timed out")
    assert row.state is BreakerState.closed
    assert row.admit(seconds(5), SETTINGS) is Admission.call
    row.failed(seconds(6), SETTINGS, "HTTP 503")
    assert (row.state, row.since, row.last_failure) == (BreakerState.open, seconds(6), "HTTP 503")


def test_a_failure_share_over_the_window_opens_the_breaker():
    row = breaker()
    for n, failed in enumerate([True, False, True, False, False, True]):
        if failed:
            row.failed(seconds(n), SETTINGS, "unavailable")
        else:
            row.succeeded(seconds(n), SETTINGS)
    # Never three in a row, but half of six calls in the window failed.
    assert row.consecutive_failures == 1
    assert (row.state, row.window_calls, row.window_failures) == (BreakerState.open, 6, 3)


def test_calls_older_than_the_window_no_longer_count():
    row = breaker()
    for n in range(5):
        row.succeeded(seconds(n), SETTINGS)
    row.failed(seconds(10), SETTINGS, "unavailable")
    row.failed(seconds(70), SETTINGS, "unavailable")  # a new window: 1 call, 1 failure
    assert (row.state, row.window_calls, row.window_failures) == (BreakerState.closed, 1, 1)


def test_open_waits_for_the_cool_down_then_lets_exactly_one_trial_through():
    row = breaker(BreakerState.open, since=T0)
    assert row.admit(seconds(29), SETTINGS) is Admission.wait
    assert row.admit(seconds(30), SETTINGS) is Admission.trial
    assert (row.state, row.since, row.trial_started_at) == (
        BreakerState.half_open,
        seconds(30),
        seconds(30),
    )
    assert row.admit(seconds(31), SETTINGS) is Admission.wait  # the trial is under way
    # A trial that never reports (its worker died) is given up after the lease.
    assert row.admit(seconds(70), SETTINGS) is Admission.trial
    assert row.since == seconds(30)


def test_a_trial_that_answers_closes_the_breaker_and_one_that_fails_opens_it_again():
    row = breaker(BreakerState.open, since=T0)
    row.admit(seconds(30), SETTINGS)
    row.failed(seconds(31), SETTINGS, "probe: down")
    assert (row.state, row.since, row.trial_started_at) == (BreakerState.open, seconds(31), None)
    assert row.admit(seconds(60), SETTINGS) is Admission.wait  # a new cool-down
    assert row.admit(seconds(61), SETTINGS) is Admission.trial
    assert row.succeeded(seconds(62), SETTINGS) is True
    assert (row.state, row.since, row.consecutive_failures) == (BreakerState.closed, seconds(62), 0)
    assert row.succeeded(seconds(63), SETTINGS) is False  # already closed


def test_a_late_answer_while_open_does_not_close_the_breaker():
    row = breaker(BreakerState.open, since=T0)
    assert row.succeeded(seconds(5), SETTINGS) is False
    assert row.state is BreakerState.open


def test_settings_come_from_the_configuration():
    settings = BreakerSettings.from_config(
        {"VERIFICATION_BREAKER_FAILURES": "2", "VERIFICATION_BREAKER_COOLDOWN": "1.5"}
        | {"VERIFICATION_CHECK_TIME_LIMIT": 4}
    )
    assert (settings.failures, settings.cooldown) == (2, timedelta(seconds=1.5))
    assert settings.trial_lease == timedelta(seconds=8)


def test_outage_specifications_are_parsed_and_bad_ones_named():
    assert parse_outages("public_security=down:120, education=hang") == [
        (POLICE, Outage.down, 120.0),
        (Department.education, Outage.hang, None),
    ]
    for bad in ("public_security", "police=down", "education=slow", "justice=down:soon"):
        with pytest.raises(ValueError, match="outage"):
            parse_outages(bad)


# Checks wait instead of spending attempts ---------------------------------------------


@pytest.fixture
def outage_app(app_factory):
    """Tasks in-process, stub departments; the breaker opens after two failures."""
    return app_factory(VERIFICATION_BREAKER_FAILURES=2, VERIFICATION_BREAKER_COOLDOWN=0)


def registry(app):
    return app.extensions["verification"].departments()[POLICE].registry


def checks_of(case_id: int) -> dict[Department, Check]:
    return {
        c.department: c for c in db.session.scalars(select(Check).where(Check.case_id == case_id))
    }


def test_while_a_department_is_down_its_checks_wait_and_resume_when_the_probe_finds_it_back(
    outage_app,
):
    registry(outage_app).start_outage(POLICE, Outage.down)
    case_ids = [open_case_directly(outage_app, make_user(outage_app).id) for _ in range(3)]
    with outage_app.app_context():
        for case_id in case_ids:
            tasks.dispatch_case.apply(args=[case_id])
        db.session.expire_all()
        for case_id in case_ids:
            assert db.session.get(Case, case_id).state is CaseState.checking
            police = checks_of(case_id)[POLICE]
            assert police.state is CheckState.waiting and police.waiting_since is not None
            assert police.attempts <= 2  # of six
        assert db.session.get(DepartmentHealth, POLICE).state is BreakerState.open

        assert probes.probe_department.apply(args=["public_security"]).result == "open"
        registry(outage_app).end_outage(POLICE)
        assert probes.probe_department.apply(args=["public_security"]).result == "closed"
        db.session.expire_all()
        assert [db.session.get(Case, i).state for i in case_ids] == [CaseState.approved] * 3
        assert db.session.get(DepartmentHealth, POLICE).state is BreakerState.closed


def test_the_progress_page_and_its_json_say_the_department_is_busy(outage_app):
    client = outage_app.test_client()
    client.set_cookie("lang", "en")
    user = login_as(outage_app, client)
    registry(outage_app).start_outage(POLICE, Outage.down)
    case_id = open_case_directly(outage_app, user.id)
    with outage_app.app_context():
        tasks.dispatch_case.apply(args=[case_id])
    rows = {
        row["department"]: row
        for row in client.get(f"/verify/cases/{case_id}/status").json["checks"]
    }
    assert (rows["public_security"]["state"], rows["public_security"]["label"]) == (
        "waiting",
        WAITING_EN,
    )
    assert rows["public_security"]["final"] is False
    page = client.get(f"/verify/cases/{case_id}").get_data(as_text=True)
    assert WAITING_EN.replace("'", "&#39;") in page
    assert '<meta http-equiv="refresh" content="5">' in page  # without JavaScript too


def test_a_redelivered_message_for_a_waiting_check_does_nothing(outage_app):
    case_id = open_case_directly(outage_app, make_user(outage_app).id)
    with outage_app.app_context():
        police = checks_of(case_id)[POLICE]
        police.state, police.waiting_since = CheckState.waiting, utcnow()
        db.session.commit()
        assert tasks.run_check.apply(args=[police.id]).result is None
        db.session.expire_all()
        assert (police.state, police.attempts) == (CheckState.waiting, 0)
        # The reconciler leaves it alone too: it is neither stuck nor given up.
        assert tasks.reconcile.apply().result == 0
        db.session.expire_all()
        assert police.state is CheckState.waiting


# Patience --------------------------------------------------------------------------------


def test_a_check_waits_for_its_patience_then_its_case_goes_to_review(app_factory):
    app = app_factory(VERIFICATION_OUTAGE_PATIENCE=3600)
    case_id = open_case_directly(app, make_user(app).id)
    with app.app_context():
        for department, check in checks_of(case_id).items():
            check.state = CheckState.waiting if department is POLICE else CheckState.passed
        checks_of(case_id)[POLICE].waiting_since = T0
        db.session.commit()
        policy = runtime.policy()
        assert outage.run_out_of_patience(seconds(3599), policy) == []
        assert outage.run_out_of_patience(seconds(3600), policy) == [case_id]
        db.session.commit()
        db.session.expire_all()
        police = checks_of(case_id)[POLICE]
        assert (police.state, police.reason) == (CheckState.error, "unavailable")
        tasks.reconcile.apply()  # decides the case
        db.session.expire_all()
        assert db.session.get(Case, case_id).state is CaseState.review


def test_the_reconciler_gives_up_a_check_only_after_the_patience(app_factory):
    app = app_factory(VERIFICATION_OUTAGE_PATIENCE=3600)
    patient = open_case_directly(app, make_user(app).id)
    with app.app_context():
        police = checks_of(patient)[POLICE]
        police.state, police.waiting_since = CheckState.waiting, utcnow() - timedelta(minutes=59)
        db.session.commit()
        tasks.reconcile.apply()
        db.session.expire_all()
        assert police.state is CheckState.waiting
        police.waiting_since = utcnow() - timedelta(minutes=61)
        db.session.commit()
        tasks.reconcile.apply()
        db.session.expire_all()
        assert police.state is CheckState.error


# The probe -------------------------------------------------------------------------------


def set_breaker(department: Department, state: BreakerState, since: datetime) -> None:
    db.session.add(
        DepartmentHealth(department=department, state=state, since=since, last_failure="x")
    )
    db.session.commit()


def test_the_probe_asks_only_departments_due_for_a_trial(app_ctx):
    now = utcnow()
    set_breaker(POLICE, BreakerState.open, now - timedelta(minutes=5))  # past the cool-down
    set_breaker(Department.education, BreakerState.open, now)  # cooling down
    set_breaker(Department.justice, BreakerState.closed, now)
    assert probes.probe_departments.apply().result == ["public_security"]
    db.session.expire_all()
    states = {
        d: row.state
        for d, row in ((r.department, r) for r in db.session.scalars(select(DepartmentHealth)))
    }
    assert states == {
        POLICE: BreakerState.closed,  # the stub answered the probe
        Department.education: BreakerState.open,
        Department.justice: BreakerState.closed,
    }


def test_a_probe_of_a_department_still_down_opens_it_for_another_cool_down(app_ctx):
    set_breaker(POLICE, BreakerState.open, utcnow() - timedelta(minutes=5))
    registry(app_ctx).start_outage(POLICE, Outage.down)
    assert probes.probe_department.apply(args=["public_security"]).result == "open"
    db.session.expire_all()
    row = db.session.get(DepartmentHealth, POLICE)
    assert row.since > utcnow() - timedelta(minutes=1)
    assert row.last_failure.startswith("probe:")
    # Another probe during the new cool-down does not ask at all.
    registry(app_ctx).end_outage(POLICE)
    assert probes.probe_department.apply(args=["public_security"]).result == "open"


def test_a_probe_of_a_hanging_department_counts_the_time_out(app_factory):
    app = app_factory(VERIFICATION_CHECK_TIME_LIMIT=0.2)
    with app.app_context():
        set_breaker(POLICE, BreakerState.open, utcnow() - timedelta(minutes=5))
        registry(app).start_outage(POLICE, Outage.hang, seconds=5)
        assert probes.probe_department.apply(args=["public_security"]).result == "open"
        registry(app).end_outage(POLICE)
        db.session.expire_all()
        assert (
            "gave no answer within 0.2 s" in db.session.get(DepartmentHealth, POLICE).last_failure
        )


def test_the_probe_resumes_waiting_checks_of_a_department_already_closed(app_ctx):
    case_id = open_case_directly(app_ctx, make_user(app_ctx).id)
    police = checks_of(case_id)[POLICE]
    police.state, police.waiting_since = CheckState.waiting, utcnow()
    db.session.commit()
    tasks.dispatch_case.apply(args=[case_id])  # the other five
    probes.probe_departments.apply()  # no breaker is open, but a check waits
    db.session.expire_all()
    assert db.session.get(Case, case_id).state is CaseState.approved


def test_the_probe_has_a_beat_entry_from_its_setting(app_factory):
    app = app_factory(VERIFICATION_PROBE_INTERVAL=2.5)
    entry = app.extensions["celery"].conf.beat_schedule[probes.BEAT_ENTRY]
    assert entry == {"task": "verification.probe_departments", "schedule": 2.5}


# Cases in review only because a department was unavailable -------------------------------


def case_in_review(app, scenario: str = "12", **states: tuple[CheckState, str | None]) -> int:
    """A case in review whose checks passed except ``states`` (department=(state, reason))."""
    case_id = open_case_directly(app, make_user(app).id, scenario)
    with app.app_context():
        for department, check in checks_of(case_id).items():
            check.state, check.reason = states.get(department.value, (CheckState.passed, None))
            check.attempts = 6
        db.session.get(Case, case_id).state = CaseState.review
        db.session.commit()
    return case_id


def test_recovery_retries_cases_in_review_only_because_the_department_was_unavailable(app):
    unavailable = (CheckState.error, "unavailable")
    only_police = case_in_review(app, public_security=unavailable)
    two_down = case_in_review(app, public_security=unavailable, justice=unavailable)
    degree = case_in_review(
        app, DEGREE_UNVERIFIED, public_security=unavailable,
        education=(CheckState.review, "degree_unverified"),
    )  # fmt: skip
    refused = case_in_review(app, public_security=(CheckState.error, "department_error"))
    decided = case_in_review(app, public_security=unavailable)
    admin = make_user(app, "admin")
    with app.app_context():
        operations.review(
            db.session.get(Case, decided), admin, False, "Asked in person", runtime.policy()
        )
        db.session.commit()
        assert tasks.resume_department.apply(args=["public_security"]).result == 3
        db.session.expire_all()
        state = {i: db.session.get(Case, i).state for i in (only_police, two_down, degree)}
        assert state == {
            only_police: CaseState.approved,
            two_down: CaseState.approved,
            degree: CaseState.review,
        }
        assert db.session.get(Case, refused).state is CaseState.review
        assert db.session.get(Case, decided).state is CaseState.rejected
        assert checks_of(only_police)[POLICE].attempts == 1  # fresh attempts
        actions = db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_id == only_police, AuditEntry.subject_type == "case")
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["verification.resumed", "verification.approve"]


def test_no_retry_while_the_department_is_still_down(app):
    case_id = case_in_review(app, public_security=(CheckState.error, "unavailable"))
    with app.app_context():
        set_breaker(POLICE, BreakerState.open, utcnow())
        assert tasks.resume_department.apply(args=["public_security"]).result == 0
        assert db.session.get(Case, case_id).state is CaseState.review


# The gateway's probe and fault drill; the HTTP adapter's ping ----------------------------


def test_the_gateway_answers_probes_and_runs_fault_drills():
    gateway = create_gateway(token="t")
    client = Client(gateway)
    auth = {"Authorization": "Bearer t"}
    assert client.get("/departments/justice/health").status_code == 401
    assert client.get("/departments/justice/health", headers=auth).json == {"status": "ok"}
    assert client.get("/departments/nowhere/health", headers=auth).status_code == 404
    for bad in (
        {"kind": "slow"},
        {"kind": "down", "seconds": -1},
        {"kind": "down", "seconds": "x"},
    ):
        assert client.put("/departments/justice/outage", json=bad, headers=auth).status_code == 400
    assert gateway.registry.outage(Department.justice) is None
    drill = client.put("/departments/justice/outage", json={"kind": "down"}, headers=auth)
    assert drill.status_code == 200
    assert client.get("/departments/justice/health", headers=auth).status_code == 503
    check = {"name": "钱多多", "id_number": "330106199506121213"}
    assert client.post("/departments/justice/checks", json=check, headers=auth).status_code == 503
    assert client.post("/departments/education/checks", json=check, headers=auth).status_code == 200
    assert client.delete("/departments/justice/outage", headers=auth).status_code == 200
    assert client.get("/departments/justice/health", headers=auth).status_code == 200


def test_a_stub_outage_from_the_settings_and_one_that_is_over():
    stubs = build_departments({"VERIFICATION_STUB_OUTAGE": "justice=down"})
    with pytest.raises(DepartmentUnavailable):
        stubs[Department.justice].ping()
    stubs[Department.education].ping()  # the others answer
    shared = stubs[Department.justice].registry
    shared.start_outage(Department.education, Outage.down, seconds=0)
    assert shared.outage(Department.education) is None
    with pytest.raises(ValueError, match="outage"):
        build_departments({"VERIFICATION_STUB_OUTAGE": "justice=sometimes"})


def test_the_http_adapter_pings_the_health_endpoint():
    gateway = create_gateway()
    with httpx.Client(transport=httpx.WSGITransport(app=gateway)) as http:
        adapter = HttpDepartment("civil_affairs", "http://gateway", client=http)
        adapter.ping()
        gateway.registry.start_outage(Department.civil_affairs, Outage.down)
        with pytest.raises(DepartmentUnavailable):
            adapter.ping()


# What administrators see -----------------------------------------------------------------


def test_administrators_see_each_departments_state_and_waiting_checks(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    login_as(app, client, "admin")
    case_id = open_case_directly(app, make_user(app).id)
    with app.app_context():
        set_breaker(POLICE, BreakerState.open, utcnow())
        police = checks_of(case_id)[POLICE]
        police.state, police.waiting_since = CheckState.waiting, utcnow()
        db.session.commit()
    page = client.get("/admin/departments")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    police_row = html.split('data-testid="department-public_security"')[1].split("</li>")[0]
    assert 'data-state="open"' in police_row and "Down: checks wait" in police_row
    assert 'data-testid="waiting">1<' in police_row
    justice_row = html.split('data-testid="department-justice"')[1].split("</li>")[0]
    assert "Working" in justice_row and 'data-testid="waiting">0<' in justice_row
