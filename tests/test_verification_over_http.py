"""The whole workflow with the departments reached over HTTP, through the gateway."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.verification import operations, runtime, tasks
from app.verification.models import Case, CaseState, CheckState
from tests.factories import UserFactory
from tests.verification_helpers import id_number
from verification.departments import HttpDepartment, close_departments
from verification.gateway import create_gateway

TOKEN = "gateway-test-token"


@pytest.fixture
def gateway_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_gateway(token=TOKEN), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def http_app(app_factory, gateway_url):
    app = app_factory(
        VERIFICATION_DEPARTMENTS="http",
        VERIFICATION_GATEWAY_URL=gateway_url,
        VERIFICATION_GATEWAY_TOKEN=TOKEN,
        VERIFICATION_READ_TIMEOUT=2.0,
    )
    yield app
    with app.app_context():
        close_departments(app.extensions["verification"].departments())


def _run(number: str) -> Case:
    case = operations.open_case(
        UserFactory(), "钱多多", number, "v1", runtime.protector(), runtime.policy()
    )
    db.session.commit()
    tasks.dispatch_case.apply(args=[case.id])
    db.session.expire_all()
    return db.session.get(Case, case.id)


@pytest.mark.parametrize(
    ("scenario", "state", "reason"),
    [
        ("12", CaseState.approved, None),
        ("96", CaseState.rejected, "dishonest_debtor"),
        ("94", CaseState.review, None),
    ],
)
def test_cases_are_decided_from_answers_over_http(http_app, scenario, state, reason):
    with http_app.app_context():
        assert isinstance(runtime.department("justice"), HttpDepartment)
        case = _run(id_number(scenario))
        assert case.state is state
        assert case.decision_reason == reason
        assert all(check.source and "127.0.0.1" in check.source for check in case.checks)


def test_a_department_that_stays_down_ends_in_error_and_review(app_factory, gateway_url):
    app = app_factory(
        VERIFICATION_DEPARTMENTS="http",
        VERIFICATION_GATEWAY_URL=gateway_url,
        VERIFICATION_GATEWAY_TOKEN=TOKEN,
        VERIFICATION_MAX_ATTEMPTS=2,
    )
    with app.app_context():
        case = _run(id_number("97"))  # public security answers 503 every time
        public_security = next(c for c in case.checks if c.department == "public_security")
        assert (public_security.state, public_security.reason) == (CheckState.error, "unavailable")
        assert public_security.attempts == 2
        assert case.state is CaseState.review
        close_departments(app.extensions["verification"].departments())
