"""Departments: every registry scenario through the stubs, the HTTP adapter against the
real gateway on a local port, and the factory."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.test import Client

from app.verification import runtime as runtime_module
from verification import gateway as gateway_module
from verification.departments import (
    Answer,
    Applicant,
    Department,
    DepartmentError,
    DepartmentUnavailable,
    HttpDepartment,
    Outcome,
    SimulatedRegistry,
    StubDepartment,
    build_departments,
    close_departments,
)
from verification.departments.conclusions import same_name
from verification.departments.records import DEGREES
from verification.departments.registry import EMPLOYERS
from verification.gateway import create_gateway
from verification.resident_id import check_character

TODAY = date(2026, 11, 28)
NAME = "林小雨"
D = Department


def number(sequence: str, birth: str = "19950612") -> str:
    body = f"330106{birth}{sequence}"
    return body + check_character(body)


def applicant(digits: str, **kwargs: str) -> Applicant:
    return Applicant(NAME, number(f"{digits}1", **kwargs))


@pytest.fixture
def registry() -> SimulatedRegistry:
    return SimulatedRegistry(today=lambda: TODAY)


@pytest.fixture
def stubs(registry) -> dict[Department, StubDepartment]:
    return {d: StubDepartment(d, registry, sleep=lambda s: None) for d in Department}


def ask_all(stubs, who: Applicant) -> dict[Department, Answer | str]:
    answers: dict[Department, Answer | str] = {}
    for department, stub in stubs.items():
        try:
            answers[department] = stub.check(who)
        except DepartmentUnavailable:
            answers[department] = "unavailable"
    return answers


# (digits 15-16, department, outcome, reason, facts) — the README's table.
SCENARIOS = [
    ("88", D.civil_affairs, Outcome.passed, None, {"marital_status": "divorced"}),
    ("89", D.civil_affairs, Outcome.passed, None, {"marital_status": "widowed"}),
    ("90", D.public_security, Outcome.failed, "name_mismatch", {}),
    ("91", D.public_security, Outcome.failed, "id_cancelled", {}),
    ("92", D.civil_affairs, Outcome.failed, "married", {}),
    ("93", D.education, Outcome.review, "degree_unverified", {}),
    ("94", D.hr_social_security, Outcome.review, "no_insurance_record", {}),
    ("95", D.justice, Outcome.failed, "community_correction", {}),
    ("96", D.development_reform, Outcome.failed, "dishonest_debtor", {}),
]


def test_departments_in_product_order():
    assert [str(d) for d in Department] == [
        "public_security",
        "civil_affairs",
        "education",
        "hr_social_security",
        "justice",
        "development_reform",
    ]


@pytest.mark.parametrize(("digits", "department", "outcome", "reason", "facts"), SCENARIOS)
def test_scenario_answers_as_documented(stubs, digits, department, outcome, reason, facts):
    answers = ask_all(stubs, applicant(digits))
    answer = answers.pop(department)
    assert (answer.outcome, answer.reason, answer.facts) == (outcome, reason, facts)
    assert answer.source == f"stub:{department}"
    assert answer.answered_at.tzinfo is UTC
    assert all(a.outcome is Outcome.passed for a in answers.values())


def test_ordinary_numbers_pass_everywhere_with_plausible_facts(stubs):
    degrees = set()
    for sequence in range(0, 880, 37):
        answers = ask_all(stubs, Applicant(NAME, number(f"{sequence:03d}")))
        assert all(a.outcome is Outcome.passed and a.reason is None for a in answers.values())
        assert answers[D.civil_affairs].facts == {"marital_status": "unmarried"}
        assert answers[D.hr_social_security].facts["employment"] == "employed"
        assert answers[D.hr_social_security].facts["employer"] in EMPLOYERS
        degrees.add(answers[D.education].facts["degree"])
    assert degrees <= set(DEGREES)
    assert len(degrees) >= 3  # drawn from the hash, not constant


def test_ordinary_facts_are_deterministic(stubs):
    who = applicant("12")
    first = ask_all(stubs, who)
    again = ask_all({d: StubDepartment(d, SimulatedRegistry(today=lambda: TODAY)) for d in D}, who)
    assert {d: a.facts for d, a in first.items()} == {d: a.facts for d, a in again.items()}


def test_degree_is_capped_by_age(stubs):
    degrees = set()
    for sequence in range(0, 880, 7):  # 23 on TODAY: bachelor at 22, master not until 25
        answer = stubs[D.education].check(Applicant(NAME, number(f"{sequence:03d}", "20030101")))
        degrees.add(answer.facts["degree"])
    assert degrees == {"high_school", "associate", "bachelor"}


def test_minors_have_no_insurance_or_schooling(stubs):
    answers = ask_all(stubs, applicant("12", birth="20120101"))
    assert answers[D.hr_social_security].reason == "no_insurance_record"
    assert answers[D.education].reason == "no_education_record"


def test_unknown_number_is_not_found(stubs):
    answers = ask_all(stubs, Applicant(NAME, "330106199506121230"))  # wrong check character
    assert answers.pop(D.public_security).reason == "id_not_found"
    assert {(a.outcome, a.reason) for a in answers.values()} == {(Outcome.review, "no_record")}


def test_names_compare_ignoring_width_and_spaces():
    assert same_name("阿依古丽 • 买买提", "阿依古丽·买买提")
    assert same_name("ＬＩ Ｌｅｉ", "LILei")
    assert not same_name("林小雨", "林晓雨")


def test_down_department_is_always_unavailable(stubs):
    for _ in range(3):
        with pytest.raises(DepartmentUnavailable):
            stubs[D.public_security].check(applicant("97"))
    assert stubs[D.civil_affairs].check(applicant("97")).outcome is Outcome.passed


def test_slow_department_answers_after_the_slow_delay(registry):
    slept: list[float] = []
    stub = StubDepartment(D.education, registry, sleep=slept.append)
    assert stub.check(applicant("98")).outcome is Outcome.passed
    assert slept == [registry.slow_seconds]
    assert registry.slow_seconds > 5.0  # beyond the default read timeout


def test_flaky_department_recovers_after_two_calls(stubs):
    hr, who, other = stubs[D.hr_social_security], applicant("99"), applicant("99", birth="19900101")
    for _ in range(2):
        with pytest.raises(DepartmentUnavailable):
            hr.check(who)
    assert hr.check(who).outcome is Outcome.passed
    assert hr.check(who).outcome is Outcome.passed
    with pytest.raises(DepartmentUnavailable):
        hr.check(other)  # counted per ID number
    assert stubs[D.education].check(who).outcome is Outcome.passed


# Record values an answer may repeat: the conclusions and verified facts themselves.
VOCABULARY = {
    *DEGREES,
    "active",
    "cancelled",
    "married",
    "divorced",
    "widowed",
    "community_correction",
}


def _raw_values(registry: SimulatedRegistry, who: Applicant) -> set[str]:
    """Every value in the person's records, except vocabulary and the current employer."""
    records = registry.records(who)
    allowed = VOCABULARY | {s.employer for s in records.insurance if s.ended_on is None}
    found: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list | tuple):
            for item in value:
                collect(item)
        elif isinstance(value, date):
            found.add(value.isoformat())
        elif value is not None and not isinstance(value, bool) and str(value) not in allowed:
            found.add(str(value))

    collect(dataclasses.asdict(records))
    return found


@pytest.mark.parametrize("digits", ["12", *(s[0] for s in SCENARIOS)])
def test_answers_carry_no_records_name_or_id_number(registry, stubs, digits):
    who = applicant(digits)
    raw = _raw_values(registry, who) | {who.name, who.id_number, who.id_number[6:14]}
    assert len(raw) > 8
    for answer in ask_all(stubs, who).values():
        data = answer.to_dict()
        assert set(data) == {"department", "outcome", "reason", "facts", "source", "answered_at"}
        assert set(answer.facts) <= {"marital_status", "degree", "employment", "employer"}
        del data["answered_at"]  # today's date may coincide with a record's
        text = json.dumps(data, ensure_ascii=False)
        assert not [value for value in raw if value in text]


def test_applicant_repr_masks_name_and_number():
    who = applicant("12")
    assert NAME not in repr(who) and who.id_number not in repr(who)
    assert who.id_number[-4:] in repr(who)


def test_answer_round_trips_through_json(stubs):
    answer = stubs[D.hr_social_security].check(applicant("12"))
    assert Answer.from_dict(json.loads(json.dumps(answer.to_dict()))) == answer


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "maybe"},
        {"department": "tax"},
        {"facts": {"degree": 3}},
        {"facts": "bachelor"},
        {"answered_at": "2026-11-28T10:00:00"},  # no offset
        {"source": ""},
        {"reason": 7},
    ],
)
def test_answer_from_dict_rejects_malformed(stubs, change):
    data = stubs[D.education].check(applicant("12")).to_dict() | change
    with pytest.raises(ValueError):
        Answer.from_dict(data)


def test_answered_at_is_normalised_to_utc(stubs):
    data = stubs[D.justice].check(applicant("12")).to_dict()
    data["answered_at"] = "2026-11-28T18:00:00+08:00"
    assert Answer.from_dict(data).answered_at == datetime(2026, 11, 28, 10, tzinfo=UTC)


def test_stub_latency_is_drawn_from_the_range(registry):
    slept: list[float] = []
    stub = StubDepartment(
        D.justice, registry, latency=(0.2, 0.4), rng=random.Random(7), sleep=slept.append
    )
    for _ in range(20):
        stub.check(applicant("12"))
    assert len(slept) == 20 and all(0.2 <= s <= 0.4 for s in slept)
    assert len(set(slept)) > 1


def test_stub_failure_rate_is_honoured(registry):
    stub = StubDepartment(
        D.justice, registry, failure_rate=0.3, rng=random.Random(11), sleep=lambda s: None
    )
    failures = 0
    for _ in range(400):
        try:
            stub.check(applicant("12"))
        except DepartmentUnavailable:
            failures += 1
    assert 80 <= failures <= 160
    always = StubDepartment(D.justice, registry, failure_rate=1.0)
    with pytest.raises(DepartmentUnavailable):
        always.check(applicant("12"))


@pytest.mark.parametrize(("latency", "rate"), [((0.5, 0.1), 0.0), ((-1, 0), 0.0), ((0, 0), 1.5)])
def test_stub_rejects_nonsense_settings(registry, latency, rate):
    with pytest.raises(ValueError):
        StubDepartment(D.justice, registry, latency=latency, failure_rate=rate)


# --- over HTTP, against the real gateway -------------------------------------------


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` on a free local port in a background thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    registry = SimulatedRegistry(slow_seconds=0.5, today=lambda: TODAY)
    with serving(create_gateway(registry)) as url:
        yield url


@pytest.fixture
def http(gateway_url) -> Iterator[Callable[..., HttpDepartment]]:
    made: list[HttpDepartment] = []

    def make(department: Department, url: str = gateway_url, **kwargs) -> HttpDepartment:
        made.append(HttpDepartment(department, url, **kwargs))
        return made[-1]

    yield make
    for adapter in made:
        adapter.close()


def test_http_pass(http, gateway_url):
    answer = http(D.civil_affairs).check(applicant("12"))
    assert (answer.outcome, answer.facts) == (Outcome.passed, {"marital_status": "unmarried"})
    assert answer.source == gateway_url.removeprefix("http://")


def test_http_fail_with_reason_and_review(http):
    assert http(D.civil_affairs).check(applicant("92")).reason == "married"
    review = http(D.education).check(applicant("93"))
    assert (review.outcome, review.reason) == (Outcome.review, "degree_unverified")


def test_http_down_is_unavailable(http, caplog):
    caplog.set_level(logging.DEBUG)
    who = applicant("97")
    with pytest.raises(DepartmentUnavailable) as raised:
        http(D.public_security).check(who)
    assert "503" in str(raised.value)
    assert who.id_number not in caplog.text + str(raised.value)
    assert who.name not in caplog.text + str(raised.value)


def test_http_flaky_recovers(http):
    hr, who = http(D.hr_social_security), applicant("99", birth="19880808")
    for _ in range(2):
        with pytest.raises(DepartmentUnavailable):
            hr.check(who)
    assert hr.check(who).outcome is Outcome.passed


def test_http_slow_beyond_read_timeout_is_unavailable(http, caplog):
    caplog.set_level(logging.DEBUG, logger="verification")
    with pytest.raises(DepartmentUnavailable, match="timed out"):
        http(D.education, read_timeout=0.3).check(applicant("98"))
    assert "ReadTimeout" in caplog.text


def test_http_connection_refused_is_unavailable():
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = HttpDepartment(D.justice, f"http://127.0.0.1:{port}", connect_timeout=0.5)
    with adapter, pytest.raises(DepartmentUnavailable, match="unreachable"):
        adapter.check(applicant("12"))


def test_http_unknown_path_404_is_an_error(http, gateway_url):
    with pytest.raises(DepartmentError, match="404"):
        http(D.justice, f"{gateway_url}/elsewhere").check(applicant("12"))


def test_http_bearer_token():
    with serving(create_gateway(SimulatedRegistry(), token="s3cret")) as url:
        for token in (None, "wrong"):
            adapter = HttpDepartment(D.justice, url, token=token)
            with adapter, pytest.raises(DepartmentError, match="401"):
                adapter.check(applicant("12"))
        with HttpDepartment(D.justice, url, token="s3cret") as adapter:
            assert adapter.check(applicant("12")).outcome is Outcome.passed


def test_gateway_statuses():
    client = Client(create_gateway(SimulatedRegistry()))
    good = {"name": NAME, "id_number": number("121")}
    assert client.post("/departments/tax/checks", json=good).status_code == 404
    assert client.post("/departments/justice/checks", data="name=x").status_code == 400
    assert client.post("/departments/justice/checks", json={"name": NAME}).status_code == 400
    assert client.post("/departments/justice/checks", json=[good]).status_code == 400
    wrong_method = client.get("/departments/justice/checks")
    assert wrong_method.status_code == 405 and "POST" in wrong_method.headers["Allow"]
    answer = client.post("/departments/justice/checks", json=good)
    assert answer.status_code == 200 and answer.json["outcome"] == "passed"
    down = client.post(
        "/departments/public_security/checks", json=good | {"id_number": number("971")}
    )
    assert (down.status_code, down.headers["Retry-After"], down.json) == (
        503,
        "1",
        {"error": "unavailable"},
    )


GOOD = Answer(D.education, Outcome.passed, None, {}, "x", datetime.now(UTC)).to_dict()


def mock_adapter(handler: Callable[[httpx.Request], httpx.Response], **kwargs) -> HttpDepartment:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return HttpDepartment(D.education, "https://gateway.example/api/", client=client, **kwargs)


def test_http_request_shape():
    seen: list[httpx.Request] = []
    body = GOOD | {"facts": {"degree": "master"}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body)

    adapter = mock_adapter(handler, token="t0k", connect_timeout=1.5, read_timeout=4.0)
    with adapter._client:
        answer = adapter.check(applicant("12"))
    request = seen[0]
    assert str(request.url) == "https://gateway.example/api/departments/education/checks"
    assert request.headers["Authorization"] == "Bearer t0k"
    assert json.loads(request.content) == {"name": NAME, "id_number": number("121")}
    assert request.extensions["timeout"] == {"connect": 1.5, "read": 4.0, "write": 4.0, "pool": 1.5}
    assert (answer.facts, answer.source) == ({"degree": "master"}, "gateway.example")


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(500), DepartmentUnavailable),
        (httpx.Response(502, text="bad gateway"), DepartmentUnavailable),
        (httpx.Response(429), DepartmentUnavailable),
        (httpx.Response(408), DepartmentUnavailable),
        (httpx.Response(422, json={"error": "bad_request"}), DepartmentError),
        (httpx.Response(403), DepartmentError),
        (httpx.Response(302, headers={"Location": "/x"}), DepartmentError),
        (httpx.Response(200, text="<html>hello</html>"), DepartmentError),
        (httpx.Response(200, json={"outcome": "passed"}), DepartmentError),
        (httpx.Response(200, json=GOOD | {"department": "justice"}), DepartmentError),
    ],
)
def test_http_status_and_body_mapping(response, error, caplog):
    caplog.set_level(logging.DEBUG)
    who = applicant("12")
    adapter = mock_adapter(lambda request: response)
    with adapter._client, pytest.raises(error) as raised:
        adapter.check(who)
    for secret in (who.name, who.id_number):
        assert secret not in caplog.text and secret not in str(raised.value)


def test_http_transport_errors_are_unavailable():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("server hung up", request=request)

    adapter = mock_adapter(handler)
    with adapter._client, pytest.raises(DepartmentUnavailable):
        adapter.check(applicant("12"))


def test_http_adapter_leaves_a_passed_client_open():
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with client:
        HttpDepartment(D.justice, "http://gateway.example", client=client).close()
        assert not client.is_closed


# --- factory ------------------------------------------------------------------------


def test_factory_builds_fast_stubs_sharing_one_registry():
    departments = build_departments({})
    assert list(departments) == list(Department)
    assert all(isinstance(a, StubDepartment) for a in departments.values())
    assert len({id(a.registry) for a in departments.values()}) == 1
    assert {(a.latency, a.failure_rate) for a in departments.values()} == {((0.0, 0.0), 0.0)}


def test_factory_reads_stub_settings_from_strings():
    departments = build_departments(
        {
            "VERIFICATION_DEPARTMENTS": "stub",
            "VERIFICATION_STUB_LATENCY_MIN": "0.1",
            "VERIFICATION_STUB_LATENCY_MAX": 0.4,
            "VERIFICATION_STUB_FAILURE_RATE": "0.25",
            "VERIFICATION_STUB_SLOW_SECONDS": "2.5",
        }
    )
    assert departments[D.education].latency == (0.1, 0.4)
    assert departments[D.education].failure_rate == 0.25
    assert departments[D.education].registry.slow_seconds == 2.5
    assert build_departments({})[D.education].registry.slow_seconds == 8.0  # the default


def test_factory_builds_http_adapters_that_reach_the_gateway(gateway_url):
    settings = {
        "VERIFICATION_DEPARTMENTS": "http",
        "VERIFICATION_GATEWAY_URL": gateway_url,
        "VERIFICATION_GATEWAY_TOKEN": "",
        "VERIFICATION_READ_TIMEOUT": "3",
    }
    departments = build_departments(settings)
    try:
        assert all(isinstance(a, HttpDepartment) for a in departments.values())
        adapter = departments[D.development_reform]
        assert adapter.timeout.read == 3.0 and adapter.timeout.connect == 2.0
        assert adapter.check(applicant("96")).reason == "dishonest_debtor"
    finally:
        close_departments(departments)


@pytest.mark.parametrize(
    "settings",
    [
        {"VERIFICATION_DEPARTMENTS": "http"},
        {"VERIFICATION_DEPARTMENTS": "carrier-pigeon"},
        {"VERIFICATION_STUB_LATENCY_MAX": "soon"},
        {"VERIFICATION_STUB_FAILURE_RATE": "-0.1"},
        {"VERIFICATION_STUB_LATENCY_MIN": "2", "VERIFICATION_STUB_LATENCY_MAX": "1"},
    ],
)
def test_factory_rejects_bad_settings(settings):
    with pytest.raises(ValueError):
        build_departments(settings)


def test_gateway_command_line(monkeypatch):
    served = {}
    monkeypatch.setattr(
        gateway_module, "run_simple", lambda host, port, app, **kw: served.update(locals())
    )
    gateway_module.main(["--port", "9999", "--latency-min", "0.1", "--token", "t"])
    stub = served["app"].departments["education"]
    assert (served["host"], served["port"]) == ("127.0.0.1", 9999)
    assert stub.latency == (0.1, 0.1) and served["app"].token == "t"
    with pytest.raises(SystemExit):
        gateway_module.main(["--latency-min", "2", "--latency-max", "1"])


@pytest.mark.parametrize("birth", [date(1985, 3, 1), date(1996, 1, 9), date(2001, 7, 7)])
@pytest.mark.parametrize("sequence_digit", list("0123456789"))
def test_degree_unverified_scenario_reviews_whatever_the_drawn_degree(birth, sequence_digit):
    body = f"330106{birth:%Y%m%d}93{sequence_digit}"
    number = body + check_character(body)
    answer = StubDepartment(Department.education, SimulatedRegistry()).check(
        Applicant("郑雨桐", number)
    )
    assert (answer.outcome, answer.reason) == (Outcome.review, "degree_unverified")


def test_the_adapters_are_built_once_when_pool_threads_ask_together(app, monkeypatch):
    built = []

    def slow_build(settings: dict) -> dict:
        built.append(threading.get_ident())
        time.sleep(0.2)  # every thread reaches the check before this returns
        return {}

    monkeypatch.setattr(runtime_module, "build_departments", slow_build)
    fresh = runtime_module.Runtime(app)
    threads = [threading.Thread(target=fresh.departments) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
