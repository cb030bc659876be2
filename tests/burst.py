"""Bursts of concurrent requests: one test client per thread, all signed in as the same
member (the signed-in client's cookies copied), released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

COOKIES = ("session", "remember_token", "lang")


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


def clone(app: Flask, signed_in: FlaskClient) -> FlaskClient:
    """A new client carrying the signed-in client's cookies."""
    client = app.test_client()
    for name in COOKIES:
        cookie = signed_in.get_cookie(name)
        if cookie is not None:
            client.set_cookie(name, cookie.value)
    return client


def burst(
    app: Flask, signed_in: FlaskClient, request: Callable[[FlaskClient, int], object], n: int = 40
) -> list[Answer]:
    """Run ``request(client, i)`` for i in 0..n-1 at once, each on its own thread and
    client; the answers in the order of i."""
    return at_once([clone(app, signed_in) for _ in range(n)], request)


def at_once(
    clients: list[FlaskClient], request: Callable[[FlaskClient, int], object]
) -> list[Answer]:
    """Run ``request(clients[i], i)`` for every client at once, one thread each."""
    n = len(clients)
    start = threading.Barrier(n)

    def one(i: int) -> Answer:
        start.wait(30)
        response = request(clients[i], i)
        return Answer(response.status_code, response.get_data(as_text=True))

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def statuses(answers: list[Answer]) -> dict[int, int]:
    """How many answers had each status."""
    found: dict[int, int] = {}
    for answer in answers:
        found[answer.status] = found.get(answer.status, 0) + 1
    return found
