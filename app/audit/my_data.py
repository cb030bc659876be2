"""The audit log's part of My data (我的数据): it answers for its table and keeps it."""

from __future__ import annotations

from typing import Any


class AuditData:
    """Audit entries stay after an erasure, and are not in the summary nor the export:
    they are the service's record of who did what (the law asks for it, and the
    deletion itself is one), and they name members by account id, not by their data."""

    tables = ("audit_entry",)

    def summary(self, user: Any) -> dict[str, Any]:
        return {}

    def export(self, user: Any) -> dict[str, Any]:
        return {}

    def erase(self, user: Any) -> None:
        """Nothing is deleted (see the class)."""
