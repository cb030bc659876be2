"""Sending SMS codes through a pluggable sender chosen by ``SMS_SENDER``.

A sender is any object with ``send(phone: str, text: str) -> None``. The setting is
an import path, ``package.module:ClassName``; the class is built with the app config.
"""

from __future__ import annotations

import logging
from typing import Protocol

from flask import Flask, current_app
from werkzeug.utils import import_string

from app.accounts.settings import Settings

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingSender:
    """Development sender: writes the message to the log instead of sending it."""

    def __init__(self, config: dict) -> None:
        self.config = config

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s: %s", phone, text)


class OutboxSender:
    """Test sender: keeps every message in memory, newest last."""

    def __init__(self, config: dict) -> None:
        self.outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def init_app(app: Flask) -> None:
    sender_class = import_string(Settings.of(app).sms_sender.replace(":", "."))
    app.extensions["sms_sender"] = sender_class(app.config)


def sender() -> SmsSender:
    return current_app.extensions["sms_sender"]
