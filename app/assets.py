"""Static files: served by WhiteNoise in front of Flask, fingerprinted, compressed and
cached for a year.

``url_for('static', filename='css/app.css')`` answers ``/static/css/app.<hash>.css``,
the hash being the first 12 hex digits of the file's SHA-256, computed once per file
when the app is built. WhiteNoise serves that URL with ``Cache-Control: max-age=…,
public, immutable`` (a changed file gets a new URL, so a browser never asks again), and
the plain URL with a short max-age. Text files (CSS, JS, SVG) are gzipped next to
themselves at start-up (``app.css.gz``, written atomically, only when missing or older
than their source, and kept only when smaller) and sent to browsers that accept gzip.

In debug mode nothing is fingerprinted and WhiteNoise re-reads the folder on every
request, so edited files show at once.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app
from whitenoise import WhiteNoise

DIGEST_LENGTH = 12
FINGERPRINTED = re.compile(rf"\.[0-9a-f]{{{DIGEST_LENGTH}}}(\.[A-Za-z0-9]+)?$")
PLAIN_MAX_AGE = 300  # seconds, for a URL without a fingerprint
COMPRESSIBLE = (".css", ".js", ".svg", ".txt", ".json", ".html", ".xml", ".map")
EXTENSION_KEY = "queqiao_assets"


def static_files(root: str) -> Iterator[tuple[str, str]]:
    """``(relative name with /, absolute path)`` of every file to serve under ``root``:
    not the compressed variants, not hidden files."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith((".gz", ".br")):
                continue
            path = os.path.join(folder, name)
            yield os.path.relpath(path, root).replace(os.sep, "/"), path


def digest_of(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:DIGEST_LENGTH]


def fingerprinted(name: str, digest: str) -> str:
    """``css/app.css`` -> ``css/app.<digest>.css`` (a name without extension gets it last)."""
    folder, _, base = name.rpartition("/")
    stem, dot, extension = base.rpartition(".")
    new = f"{stem}.{digest}.{extension}" if dot and stem else f"{base}.{digest}"
    return f"{folder}/{new}" if folder else new


def compress(root: str) -> None:
    """Write ``<file>.gz`` beside each text file whose variant is missing or stale."""
    for _, path in static_files(root):
        if not path.endswith(COMPRESSIBLE):
            continue
        target = path + ".gz"
        source_time = os.stat(path).st_mtime_ns
        if os.path.exists(target) and os.stat(target).st_mtime_ns >= source_time:
            continue
        with open(path, "rb") as f:
            raw = f.read()
        packed = gzip.compress(raw, compresslevel=9, mtime=0)
        if len(packed) >= len(raw) * 0.95:  # not worth a variant
            if os.path.exists(target):
                os.remove(target)
            continue
        # Written beside and renamed: a process starting meanwhile never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".gz-")
        with os.fdopen(fd, "wb") as f:
            f.write(packed)
        os.replace(temporary, target)


def _headers(headers: Any, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    if path.endswith(".svg"):  # opened on its own, an SVG document may run nothing
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"


def _is_immutable(path: str, url: str) -> bool:
    return bool(FINGERPRINTED.search(url))


def _fingerprint_url(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint != "static":
        return
    names = current_app.extensions.get(EXTENSION_KEY) or {}
    filename = values.get("filename")
    if filename in names:
        values["filename"] = names[filename]


def init_app(app: Flask) -> None:
    root = app.static_folder
    prefix = app.static_url_path
    if root is None or prefix is None:
        return
    names: dict[str, str] = {}
    if not app.debug:
        compress(root)
    server = WhiteNoise(
        app.wsgi_app,
        root=root,
        prefix=prefix,
        max_age=0 if app.debug else PLAIN_MAX_AGE,
        autorefresh=app.debug,
        allow_all_origins=False,
        add_headers_function=_headers,
        immutable_file_test=_is_immutable,
    )
    if not app.debug:
        for name, path in static_files(root):
            names[name] = fingerprinted(name, digest_of(path))
            server.add_file_to_dictionary(f"{prefix}/{names[name]}", path)
    app.wsgi_app = server  # type: ignore[method-assign]
    app.extensions[EXTENSION_KEY] = names
    app.url_defaults(_fingerprint_url)
