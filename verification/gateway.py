"""The department gateway: the simulated departments served over HTTP.

``POST /departments/<department>/checks`` with ``{"name": ..., "id_number": ...}``
answers ``Answer.to_dict()`` JSON (200), or ``{"error": code}`` with 404 (unknown
department), 400 (bad body), 401 (missing or wrong bearer token), 405, or 503 (the
department is unavailable; retry). Scenarios are those of
``verification.departments.registry``.

``GET /departments/<department>/health`` is the probe: 200 ``{"status": "ok"}``, or 503
while the department is down. A fault drill fails a whole department:
``PUT /departments/<department>/outage`` with ``{"kind": "down"|"hang", "seconds": N}``
(seconds optional: until ended) and ``DELETE`` to end it (both 200), or ``--outage``.

Run: ``python -m verification.gateway --host 127.0.0.1 --port 8765 [--latency-min S
--latency-max S --failure-rate F --token T --slow-seconds S --outage
public_security=down:120]``. The request log shows paths only; names and ID numbers
travel in the body and are never logged.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from verification.departments.base import Applicant, Department, DepartmentUnavailable
from verification.departments.registry import (
    SLOW_SECONDS,
    Outage,
    SimulatedRegistry,
    parse_outages,
)
from verification.departments.stub import StubDepartment

MAX_BODY_BYTES = 4096


class Gateway:
    """A WSGI application routing checks to one ``StubDepartment`` per department."""

    def __init__(
        self,
        registry: SimulatedRegistry,
        latency: tuple[float, float],
        failure_rate: float,
        token: str | None,
    ) -> None:
        self.registry = registry
        self.token = token
        self.departments = {
            str(d): StubDepartment(d, registry, latency, failure_rate) for d in Department
        }
        self.urls = Map(
            [
                Rule("/departments/<department>/checks", methods=["POST"], endpoint="check"),
                Rule("/departments/<department>/health", methods=["GET"], endpoint="health"),
                Rule(
                    "/departments/<department>/outage",
                    methods=["PUT", "DELETE"],
                    endpoint="outage",
                ),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as error:
            response = _error(error.code or 500, error.name.lower().replace(" ", "_"))
            response.headers.extend(
                (k, v) for k, v in error.get_headers() if k.lower() != "content-type"
            )
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Route, authenticate, then answer a check, a probe or a fault drill."""
        endpoint, args = self.urls.bind_to_environ(request.environ).match()
        if not self._authorised(request):
            response = _error(401, "unauthorised")
            response.headers["WWW-Authenticate"] = 'Bearer realm="departments"'
            return response
        department = self.departments.get(args["department"])
        if department is None:
            raise NotFound()
        if endpoint == "health":
            return self.health(department)
        if endpoint == "outage":
            return self.outage(department, request)
        return self.check(department, request)

    def check(self, department: StubDepartment, request: Request) -> Response:
        """Validate the body, then ask the stub department."""
        applicant = _applicant(request)
        if applicant is None:
            return _error(400, "bad_request")
        try:
            answer = department.check(applicant)
        except DepartmentUnavailable:
            return _unavailable()
        return _json(200, answer.to_dict())

    def health(self, department: StubDepartment) -> Response:
        """The probe: 200 unless the department is down (a hang stalls it first)."""
        try:
            department.ping()
        except DepartmentUnavailable:
            return _unavailable()
        return _json(200, {"status": "ok"})

    def outage(self, department: StubDepartment, request: Request) -> Response:
        """Start (PUT) or end (DELETE) a whole-department outage."""
        if request.method == "DELETE":
            self.registry.end_outage(department.department)
            return _json(200, {"outage": None})
        body = request.get_json(silent=True) if request.is_json else None
        body = body if isinstance(body, dict) else {}
        seconds = body.get("seconds")
        if body.get("kind") not in set(Outage) or not (
            seconds is None or (isinstance(seconds, int | float) and 0 < seconds <= 86400)
        ):
            return _error(400, "bad_request")
        self.registry.start_outage(department.department, Outage(body["kind"]), seconds)
        return _json(200, {"outage": body["kind"], "seconds": seconds})

    def _authorised(self, request: Request) -> bool:
        if not self.token:
            return True
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), self.token.encode()
        )


def create_gateway(
    registry: SimulatedRegistry | None = None,
    latency: tuple[float, float] = (0.0, 0.0),
    failure_rate: float = 0.0,
    token: str | None = None,
) -> Gateway:
    """The gateway WSGI app; a fresh ``SimulatedRegistry`` unless one is given."""
    return Gateway(registry or SimulatedRegistry(), latency, failure_rate, token)


def _applicant(request: Request) -> Applicant | None:
    if (request.content_length or 0) > MAX_BODY_BYTES or not request.is_json:
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None
    name, id_number = body.get("name"), body.get("id_number")
    if not (isinstance(name, str) and name.strip()):
        return None
    if not (isinstance(id_number, str) and id_number.strip()):
        return None
    return Applicant(name.strip(), id_number.strip().upper())


def _json(status: int, body: dict[str, object]) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status=status, mimetype="application/json")


def _error(status: int, code: str) -> Response:
    return _json(status, {"error": code})


def _unavailable() -> Response:
    response = _error(503, "unavailable")
    response.headers["Retry-After"] = "1"
    return response


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the gateway until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m verification.gateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency-min", type=float, default=0.0, metavar="S")
    parser.add_argument("--latency-max", type=float, default=None, metavar="S")
    parser.add_argument("--failure-rate", type=float, default=0.0, metavar="F")
    parser.add_argument("--slow-seconds", type=float, default=SLOW_SECONDS, metavar="S")
    parser.add_argument(
        "--outage",
        action="append",
        default=[],
        metavar="DEPT=down|hang[:S]",
        help="fail a whole department from the start, for S seconds (default: until "
        "DELETE /departments/DEPT/outage); repeatable",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("VERIFICATION_GATEWAY_TOKEN") or None,
        help="bearer token to require (default: $VERIFICATION_GATEWAY_TOKEN, else none)",
    )
    args = parser.parse_args(argv)
    latency_max = args.latency_min if args.latency_max is None else args.latency_max
    try:
        app = create_gateway(
            SimulatedRegistry(slow_seconds=args.slow_seconds),
            (args.latency_min, latency_max),
            args.failure_rate,
            args.token,
        )
        for department, kind, seconds in parse_outages(",".join(args.outage)):
            app.registry.start_outage(department, kind, seconds)
    except ValueError as error:
        parser.error(str(error))
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
