"""Odd input stopped at the door: ids no column can hold, text no column can store.

Both guards work for every route at once, so a feature never has to remember them:
an id in a URL past the range of the id columns is a 404 (the page cannot exist), and
a request carrying characters PostgreSQL text cannot hold is a 400 before any view,
rate limit or form runs, so nothing is changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

# Ids are PostgreSQL ``integer`` columns (32 bits; SQLite's hold 64): a larger number in
# a URL cannot name a row, and PostgreSQL refuses to compare one ("integer out of range").
ID_MAX = 2**31 - 1

# NUL cannot be stored in PostgreSQL text; a lone surrogate cannot be encoded as UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to what an id column holds (``ID_MAX`` unless ``max`` is given)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        if self.max is None:
            self.max = ID_MAX


class UnstorableText(BadRequest):
    """The request carries a character that text columns cannot hold (NUL, a lone surrogate)."""

    title = _l("The request contains characters we cannot accept")
    hint = _l(
        "Remove invisible control characters (such as NUL) from what you typed and send it again."
    )


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _json_strings() -> Iterator[str]:
    if not request.is_json or not request.content_length:
        return
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, UnicodeDecodeError):
        return  # not JSON at all: the view's own parsing refuses it
    yield from _strings(body)


def _request_strings() -> Iterator[str]:
    """The path, query string, form fields, file names and JSON body of the request."""
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        return  # the view meets the same 413 and answers it in its own words
    for key, value in request.form.items(multi=True):
        yield key
        yield value
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""
    yield from _json_strings()


def refuse_unstorable_text() -> None:
    """Refuse (400) a request with a character text columns cannot hold, before any view."""
    if any(UNSTORABLE.search(text) for text in _request_strings()):
        raise UnstorableText()


def init_app(app: Flask) -> None:
    """Install the id converter (before any blueprint adds its rules) and the text guard."""
    app.url_map.converters["int"] = IdConverter
    # First of all before-request hooks: refused input must not reach a rate limit,
    # the CSRF check or the user loader either.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_text)
