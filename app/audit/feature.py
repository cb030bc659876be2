"""The audit log every feature writes to."""

from __future__ import annotations

from app.audit.my_data import AuditData
from app.features import Feature

feature = Feature(
    name="audit",
    models=("app.audit.models",),
    my_data=AuditData(),
)
