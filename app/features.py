"""Features plug in: each feature package declares, once, what it adds to the whole.

A feature's ``app/<feature>/feature.py`` holds ``feature = Feature(...)``; ``FEATURES``
in ``app/config.py`` lists the packages, in the order their pages, sections and demo
seeds come. ``create_app`` imports each declaration (``load``) and keeps the registry
on the app; central code (blueprints, tables, Celery, the administrators' and the
matchmakers' navigation, notification texts, the demo seed, My data, who knows whom)
reads the registry, never a feature's internals.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from flask import Blueprint, Flask, current_app
from sqlalchemy import func, select

from app import settings
from app.extensions import db
from app.settings import FeatureSettings

EXTENSION = "queqiao.features"


@dataclass(frozen=True)
class Section:
    """A link in the administrators' or the matchmakers' console navigation.

    ``active`` lists the endpoints (or ``"blueprint."`` prefixes) that mark it as the
    current page; ``badge`` returns a count shown beside the label (0: none).
    """

    endpoint: str
    label: Any  # a lazy gettext string
    order: int = 100
    active: tuple[str, ...] = ()
    badge: Callable[[], int] | None = None
    testid: str | None = None

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        marks = self.active or (self.endpoint,)
        return any(
            endpoint.startswith(mark) if mark.endswith(".") else endpoint == mark for mark in marks
        )


class DataContributor(Protocol):
    """A feature's part of My data (我的数据), as pretix's data shredders: what it
    stores about a member, all of it for their download, and its erasure.

    ``tables`` names every table the contributor answers for. Each table with a foreign
    key to the account is claimed by one contributor (tests/test_privacy_contributors.py);
    one whose rows stay after an erasure says why in its ``erase``.

    Each method flushes at most; the route commits. ``erase`` removes the member's
    personal data held by the feature and keeps what the law or the other member needs.
    Contributors erase in the reverse of ``FEATURES`` order (``app.privacy.operations``).

    A contributor may also answer ``names(user_ids) -> {user_id: name}``: how the
    feature names those accounts to a member (profiles: by nickname; the access log
    names the staff who opened the member's data with it).
    """

    tables: tuple[str, ...]

    def summary(self, user: Any) -> Mapping[str, Any]:
        """What the My data page shows, by key: values (masked where they are
        sensitive), and counts under ``"counts"`` (merged with the other features')."""
        ...

    def export(self, user: Any) -> Mapping[str, Any]:
        """The member's records in full, JSON-ready (see ``exported``), by top-level key."""
        ...

    def erase(self, user: Any) -> None:
        """Delete (or anonymise) the member's personal data held by the feature."""
        ...


def json_ready(value: Any) -> Any:
    """A column's value as JSON holds it: dates and times in ISO 8601, enums by value."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, str)):
        return value.value
    return value


def exported(row: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model row for the export: every column but ``skip``, JSON-ready."""
    return {
        column.key: json_ready(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in skip
    }


def exported_rows(model: Any, *conditions: Any) -> list[dict[str, Any]]:
    """The rows of ``model`` meeting ``conditions``, oldest (lowest id) first, exported."""
    query = select(model).where(*conditions).order_by(model.id)
    return [exported(row) for row in db.session.scalars(query)]


def count_rows(model: Any, *conditions: Any) -> int:
    """How many rows of ``model`` meet ``conditions`` (a My data summary count)."""
    query = select(func.count()).select_from(model).where(*conditions)
    return db.session.scalar(query) or 0


# "Did these two members meet here?": a feature answers for its own facts.
Acquaintance = Callable[[int, int], bool]


@dataclass(frozen=True)
class NewsItem:
    """One line of "what's new" on the member's home page, from the feature that owns it.

    ``label`` is already worded for the reader (with its count, e.g. "3 suggestions left
    today"); ``count`` is the number it stands for (0: nothing new, not shown); ``url``
    is where the member acts on it; ``icon`` is a name from the icon sprite (the design
    contract's list); ``detail`` an optional second line (an event's place) and ``when``
    an optional moment the page shows with the shared clock (an event's start).
    """

    key: str
    label: Any
    count: int
    url: str
    icon: str = "bell"
    detail: Any = None
    when: Any = None  # a datetime


# What a feature has new for a member: called on the home page with the signed-in user.
NewsSource = Callable[[Any], list[NewsItem]]


@dataclass(frozen=True)
class Feature:
    """What one feature package adds to the application.

    ``models`` and ``tasks`` are module names (imported by ``load``: tables for the
    metadata and Alembic; Celery tasks and the periodic entries declared beside them).
    ``settings`` is the feature's settings class (``app.settings``), built and checked
    when the app is created; ``init_app`` sets up the feature's runtime. ``notifications``
    maps a notification kind to the function wording it (``params -> Shown``).
    ``demo`` seeds the feature's part of ``flask demo seed`` (idempotent). ``news``
    answers what is new for a member on the home page (``NewsItem``s, its own tables only).
    """

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    models: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    settings: type[FeatureSettings] | None = None
    init_app: Callable[[Flask], None] | None = None
    notifications: Mapping[str, Callable[[dict], Any]] = field(default_factory=dict)
    admin_sections: tuple[Section, ...] = ()
    console_sections: tuple[Section, ...] = ()
    demo: Callable[[], Any] | None = None
    my_data: DataContributor | None = None
    acquaintances: tuple[Acquaintance, ...] = ()
    news: NewsSource | None = None


@dataclass(frozen=True)
class Registry:
    """The features of one application, in ``FEATURES`` order."""

    features: tuple[Feature, ...]

    def __iter__(self):
        return iter(self.features)

    # Each is built once, on first use (load builds the kinds, so a clash fails at start):
    # they are read on every page (navigation) and for every notification shown.
    @cached_property
    def _kinds(self) -> dict[str, Callable[[dict], Any]]:
        kinds: dict[str, Callable[[dict], Any]] = {}
        for feature in self.features:
            clash = kinds.keys() & feature.notifications.keys()
            if clash:
                raise ValueError(f"notification kinds declared twice: {sorted(clash)}")
            kinds.update(feature.notifications)
        return kinds

    @cached_property
    def _admin_sections(self) -> list[Section]:
        return _ordered(s for f in self.features for s in f.admin_sections)

    @cached_property
    def _console_sections(self) -> list[Section]:
        return _ordered(s for f in self.features for s in f.console_sections)

    @cached_property
    def _acquaintances(self) -> list[Acquaintance]:
        return [check for f in self.features for check in f.acquaintances]

    def notification_kinds(self) -> Mapping[str, Callable[[dict], Any]]:
        return self._kinds

    def admin_sections(self) -> list[Section]:
        return self._admin_sections

    def console_sections(self) -> list[Section]:
        return self._console_sections

    def contributors(self) -> list[tuple[str, DataContributor]]:
        return [(f.name, f.my_data) for f in self.features if f.my_data is not None]

    def acquaintances(self) -> list[Acquaintance]:
        return self._acquaintances

    def news(self, user: Any) -> list[NewsItem]:
        """What is new for ``user``, feature by feature in ``FEATURES`` order; items
        counting nothing are left out."""
        items: list[NewsItem] = []
        for feature in self.features:
            if feature.news is not None:
                items.extend(item for item in feature.news(user) if item.count > 0)
        return items

    def settings(self) -> list[type[FeatureSettings]]:
        return [f.settings for f in self.features if f.settings is not None]

    def demo_seeds(self) -> list[tuple[str, Callable[[], Any]]]:
        return [(f.name, f.demo) for f in self.features if f.demo is not None]


def _ordered(sections: Iterable[Section]) -> list[Section]:
    return sorted(sections, key=lambda s: s.order)


def setting_keys(names: Iterable[str]) -> list[str]:
    """The config keys the settings of the named features read (environment variables
    too, read by ``app.config.from_environment``)."""
    classes = [f.settings for f in declarations(names) if f.settings is not None]
    return list(settings.environment_keys(classes))


def declarations(names: Iterable[str]) -> tuple[Feature, ...]:
    """Import ``app.<name>.feature`` for each name and return its ``feature``."""
    found = []
    for name in names:
        feature = importlib.import_module(f"app.{name}.feature").feature
        if not isinstance(feature, Feature):
            raise TypeError(f"app.{name}.feature.feature is not a Feature")
        found.append(feature)
    return tuple(found)


def load(app: Flask) -> Registry:
    """Import the features ``FEATURES`` lists, with their models and task modules, build
    and check their settings, and keep the registry on ``app``."""
    registry = Registry(declarations(app.config["FEATURES"]))
    settings.init_app(app, registry.settings())
    for feature in registry:
        for module in (*feature.models, *feature.tasks):
            importlib.import_module(module)
    registry.notification_kinds()  # two features declaring one kind fail here, at start
    app.extensions[EXTENSION] = registry
    return registry


def registry(app: Flask | None = None) -> Registry:
    """The registry of ``app`` (the current app by default)."""
    return (app or current_app).extensions[EXTENSION]
