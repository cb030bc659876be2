"""The matchmakers' console home: matchmakers and administrators only."""

from __future__ import annotations

from tests.authz import Case, signed_in_only

TABLE: dict[tuple[str, str], Case] = {
    ("console.index", "GET"): Case(
        "/console/",
        signed_in_only(
            "/console/",
            {"registered": 403, "verifying": 403, "member": 403, "matchmaker": 200, "admin": 200},
        ),
    ),
}
