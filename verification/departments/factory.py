"""Builds the six department adapters from configuration.

=================================  =========  ==========================================
key                                default    meaning
=================================  =========  ==========================================
VERIFICATION_DEPARTMENTS           ``stub``   ``stub`` (in-process) or ``http`` (gateway)
VERIFICATION_GATEWAY_URL           —          base URL of the gateway; required for http
VERIFICATION_GATEWAY_TOKEN         none       bearer token sent to the gateway
VERIFICATION_CONNECT_TIMEOUT       2.0        seconds to connect (http)
VERIFICATION_READ_TIMEOUT          5.0        seconds to wait for an answer (http)
VERIFICATION_STUB_LATENCY_MIN      0.0        stub latency range, seconds
VERIFICATION_STUB_LATENCY_MAX      0.0
VERIFICATION_STUB_FAILURE_RATE     0.0        chance a stub call is unavailable (0-1)
VERIFICATION_STUB_SLOW_SECONDS     8.0        how long the "slow education" scenario takes
VERIFICATION_STUB_OUTAGE           none       whole departments failing from the start,
                                              e.g. ``public_security=down:120``
=================================  =========  ==========================================

Values may be strings (from the environment) or numbers. Empty strings count as unset.
"""

from __future__ import annotations

from collections.abc import Mapping

from verification.departments.base import Department, DepartmentAdapter
from verification.departments.http import HttpDepartment
from verification.departments.registry import SLOW_SECONDS, SimulatedRegistry, parse_outages
from verification.departments.stub import StubDepartment

MODES = ("stub", "http")


def build_departments(settings: Mapping[str, object]) -> dict[Department, DepartmentAdapter]:
    """One adapter per department; stubs share one ``SimulatedRegistry``. Raises
    ``ValueError`` for an unknown mode, a missing gateway URL or an unusable number."""
    mode = _setting(settings, "VERIFICATION_DEPARTMENTS") or "stub"
    if mode == "stub":
        return _stubs(settings)
    if mode == "http":
        return _http(settings)
    raise ValueError(f"VERIFICATION_DEPARTMENTS must be one of {MODES}, not {mode!r}")


def close_departments(departments: Mapping[Department, object]) -> None:
    """Close the adapters that hold connections (the http ones)."""
    for adapter in departments.values():
        close = getattr(adapter, "close", None)
        if callable(close):
            close()


def _stubs(settings: Mapping[str, object]) -> dict[Department, DepartmentAdapter]:
    registry = SimulatedRegistry(
        slow_seconds=_number(settings, "VERIFICATION_STUB_SLOW_SECONDS", SLOW_SECONDS)
    )
    for department, kind, seconds in parse_outages(
        _setting(settings, "VERIFICATION_STUB_OUTAGE") or ""
    ):
        registry.start_outage(department, kind, seconds)
    latency = (
        _number(settings, "VERIFICATION_STUB_LATENCY_MIN", 0.0),
        _number(settings, "VERIFICATION_STUB_LATENCY_MAX", 0.0),
    )
    failure_rate = _number(settings, "VERIFICATION_STUB_FAILURE_RATE", 0.0)
    return {
        department: StubDepartment(department, registry, latency, failure_rate)
        for department in Department
    }


def _http(settings: Mapping[str, object]) -> dict[Department, DepartmentAdapter]:
    url = _setting(settings, "VERIFICATION_GATEWAY_URL")
    if not url:
        raise ValueError("VERIFICATION_GATEWAY_URL is required when VERIFICATION_DEPARTMENTS=http")
    connect = _number(settings, "VERIFICATION_CONNECT_TIMEOUT", 2.0)
    read = _number(settings, "VERIFICATION_READ_TIMEOUT", 5.0)
    token = _setting(settings, "VERIFICATION_GATEWAY_TOKEN")
    return {
        department: HttpDepartment(department, url, connect, read, token)
        for department in Department
    }


def _setting(settings: Mapping[str, object], key: str) -> str | None:
    value = settings.get(key)
    text = "" if value is None else str(value).strip()
    return text or None


def _number(settings: Mapping[str, object], key: str, default: float) -> float:
    text = _setting(settings, key)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{key} must be a number, not {text!r}") from None
    if value < 0:
        raise ValueError(f"{key} must not be negative")
    return value
