"""A department reached over HTTP (the department gateway, or a real one).

``POST {base_url}/departments/{department}/checks`` with ``{"name", "id_number"}``;
the answer is ``Answer.to_dict()`` JSON. ``GET {base_url}/departments/{department}/health``
is the probe: 200 while the department's system answers. Timeouts, refused connections, 5xx, 408 and
429 raise ``DepartmentUnavailable``; other statuses and unusable bodies raise
``DepartmentError``. Neither the name nor the ID number is ever logged or put in an
exception message.
"""

from __future__ import annotations

import dataclasses
import logging
from types import TracebackType

import httpx

from verification.departments.base import (
    Answer,
    Applicant,
    Department,
    DepartmentError,
    DepartmentUnavailable,
)

log = logging.getLogger(__name__)

TRANSIENT_STATUSES = frozenset({408, 429})


class HttpDepartment:
    """One department behind an HTTP endpoint, over one reused ``httpx.Client``.

    A ``client`` passed in stays the caller's to close; otherwise ``close()`` (or a
    ``with`` block) closes the one made here.
    """

    def __init__(
        self,
        department: Department | str,
        base_url: str,
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
        token: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.department = Department(department)
        base = httpx.URL(base_url.rstrip("/"))
        path = f"{base.path.rstrip('/')}/departments/{self.department}"
        self.url = base.copy_with(path=f"{path}/checks")
        self.health_url = base.copy_with(path=f"{path}/health")
        self.source = base.netloc.decode("ascii")
        self.timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        )
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client()

    def __repr__(self) -> str:
        return f"HttpDepartment({self.department!s}, {self.source!r})"

    def check(self, applicant: Applicant) -> Answer:
        """Ask the department; the answer's ``source`` is the endpoint's host."""
        response = self._post({"name": applicant.name, "id_number": applicant.id_number})
        self._raise_for_status(response)
        answer = self._parse(response)
        return dataclasses.replace(answer, source=self.source)

    def ping(self) -> None:
        """The probe: returns when the department answers its health endpoint (200)."""
        self._raise_for_status(self._send("GET", self.health_url))

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> HttpDepartment:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _post(self, body: dict[str, str]) -> httpx.Response:
        return self._send("POST", self.url, body)

    def _send(
        self, method: str, url: httpx.URL, body: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            return self._client.request(
                method, url, json=body, headers=self._headers, timeout=self.timeout
            )
        except httpx.UnsupportedProtocol as error:
            raise DepartmentError(f"{self.department}: unsupported URL {self.url}") from error
        except httpx.TimeoutException as error:
            self._log_unavailable(type(error).__name__)
            raise DepartmentUnavailable(f"{self.department} timed out") from None
        except httpx.TransportError as error:
            self._log_unavailable(type(error).__name__)
            raise DepartmentUnavailable(f"{self.department} unreachable") from None

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status >= 500 or status in TRANSIENT_STATUSES:
            self._log_unavailable(f"HTTP {status}")
            raise DepartmentUnavailable(f"{self.department} answered HTTP {status}")
        if status != 200:
            log.error("department %s refused the check: HTTP %s", self.department, status)
            raise DepartmentError(f"{self.department} answered HTTP {status}")

    def _parse(self, response: httpx.Response) -> Answer:
        try:
            answer = Answer.from_dict(response.json())
        except ValueError:  # includes JSONDecodeError; its text may echo the body
            log.error("department %s sent a malformed answer", self.department)
            raise DepartmentError(f"{self.department} sent a malformed answer") from None
        if answer.department is not self.department:
            raise DepartmentError(f"{self.department} answered for {answer.department}")
        return answer

    def _log_unavailable(self, what: str) -> None:
        log.warning("department %s unavailable: %s", self.department, what)
