"""The console's sections: each feature registers its entry page once, at import."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString


@dataclass(frozen=True)
class Section:
    endpoint: str  # the section's entry page, e.g. "events.console_list"
    label: LazyString  # shown in the console's navigation
    blueprint: str  # requests of this blueprint mark the section as current
    order: int  # place in the navigation


SECTIONS: list[Section] = []


def register_section(endpoint: str, label: LazyString, blueprint: str, order: int) -> None:
    """Add a section to the console's navigation (a second registration is ignored)."""
    if any(section.endpoint == endpoint for section in SECTIONS):
        return
    SECTIONS.append(Section(endpoint, label, blueprint, order))
    SECTIONS.sort(key=lambda section: section.order)
