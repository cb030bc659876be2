"""Feature settings: each feature's configuration is one frozen dataclass, read from the
app config and checked once, when the app is built.

A feature's ``settings.py`` declares its class, every field a config key with its
default and its rule::

    @dataclass(frozen=True)
    class Settings(FeatureSettings):
        offer_hours: float = setting("EVENTS_OFFER_HOURS", 24.0, float, positive)

and its ``Feature(settings=Settings)``. ``create_app`` reads the environment variables
of the same names, builds every feature's settings (``ConfigurationError`` names every
bad value at once), fills the defaults into ``app.config`` and keeps the instances on
the app; code reads them with ``Settings.current()``, never ``current_app.config``
(tests/test_architecture.py checks that no feature reads the config elsewhere).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, Self

from flask import Flask, current_app
from limits import parse_many

from app.config import ConfigurationError

EXTENSION = "queqiao.settings"
_UNSET = object()


def setting(
    key: str,
    default: Any,
    convert: Callable[[Any], Any] = str,
    check: Callable[[Any], bool] | None = None,
    rule: str = "",
) -> Any:
    """A field read from the config key ``key`` (also an environment variable), made
    with ``convert`` (``ValueError``/``TypeError``: a bad value) and, when given, held to
    ``check``; ``rule`` says what a good value is in the error message."""
    metadata = {"key": key, "convert": convert, "check": check, "rule": rule}
    return dataclasses.field(default=default, metadata=metadata)


# Converters: each takes a config value (typed in Python, or a string from the
# environment) and returns the setting's value or raises ValueError.
def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(value)


def seconds(value: Any) -> timedelta:
    """A duration: a ``timedelta``, or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value))


def rate_limit(value: Any) -> str:
    """A Flask-Limiter limit, e.g. ``"10 per minute;50 per hour"``."""
    text = str(value)
    parse_many(text)  # ValueError when it is not one
    return text


def optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, or None for an empty value (the setting is not used)."""

    def read(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return convert(value)

    return read


def positive(value: Any) -> bool:
    """Above zero (a number or a duration); None (unset) passes."""
    if isinstance(value, timedelta):
        return value > timedelta(0)
    return value is None or value > 0


def at_least(lowest: float) -> Callable[[Any], bool]:
    return lambda value: value >= lowest


def between(lowest: float, highest: float) -> Callable[[Any], bool]:
    return lambda value: lowest <= value <= highest


@dataclasses.dataclass(frozen=True)
class FeatureSettings:
    """Base of the features' settings classes (see the module's docstring)."""

    @classmethod
    def keys(cls) -> dict[str, Callable[[Any], Any]]:
        """The config keys the class reads, with their converters."""
        return {
            f.metadata["key"]: f.metadata["convert"]
            for f in dataclasses.fields(cls)
            if "key" in f.metadata
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Self:
        """Read and check the settings; ``ConfigurationError`` names every bad one."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in dataclasses.fields(cls):
            if "key" not in f.metadata:
                continue
            key, rule = f.metadata["key"], f.metadata["rule"]
            raw = config.get(key, _UNSET)
            if raw is _UNSET:
                values[f.name] = f.default
                continue
            try:
                value = f.metadata["convert"](raw)
            except (TypeError, ValueError):
                problems.append(f"{key} {rule or 'is not valid'} (not {raw!r})")
                continue
            check = f.metadata["check"]
            if check is not None and not check(value):
                problems.append(f"{key} {rule or 'is not valid'} (not {raw!r})")
                continue
            values[f.name] = value
        if problems:
            raise ConfigurationError("; ".join(problems))
        settings = cls(**values)
        problems = list(settings.problems())
        if problems:
            raise ConfigurationError("; ".join(problems))
        return settings

    def problems(self) -> Iterable[str]:
        """Rules between fields, checked after each field's own; a subclass's words."""
        return ()

    def as_config(self) -> dict[str, Any]:
        """The values by config key, as ``app.config`` holds them."""
        return {
            f.metadata["key"]: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if "key" in f.metadata
        }

    @classmethod
    def of(cls, app: Flask) -> Self:
        """``app``'s instance, built when the app was created."""
        return app.extensions[EXTENSION][cls]

    @classmethod
    def current(cls) -> Self:
        """The current app's instance."""
        return cls.of(current_app)


def environment_keys(classes: Iterable[type[FeatureSettings]]) -> dict[str, Callable]:
    """Every key the classes read, with its converter (their environment variables)."""
    keys: dict[str, Callable] = {}
    for cls in classes:
        keys.update(cls.keys())
    return keys


def init_app(app: Flask, classes: Iterable[type[FeatureSettings]]) -> None:
    """Build each class's settings from ``app.config`` (every bad value of every class
    in one ``ConfigurationError``), fill the defaults into the config and keep them."""
    built: dict[type[FeatureSettings], FeatureSettings] = {}
    problems: list[str] = []
    for cls in classes:
        try:
            built[cls] = cls.from_config(app.config)
        except ConfigurationError as error:
            problems.append(str(error))
    if problems:
        raise ConfigurationError("; ".join(problems))
    for instance in built.values():
        for key, value in instance.as_config().items():
            app.config.setdefault(key, value)
    app.extensions[EXTENSION] = built
