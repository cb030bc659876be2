"""No route answers 5xx to odd input: a hypothesis fuzz over every route of the app.

One app with the demo data (``flask demo seed``) serves the whole module. Signed in as
the demo account that reaches each route deepest (from the authorisation table), a
crawl collects real URLs (real ids) and real forms with their filled-in values; every
(endpoint, method) of ``app.url_map`` then gets a bounded number of requests in which
one path id or one field is replaced by something odd: NUL bytes, ids past any
column, huge or unusual unicode, numbers and lists where text belongs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.conftest import DemoTemplate, demo_copy, make_test_app
from tests.factories import login_as
from tests.test_authorisation import TABLE

# Who explores: the demo account of each kind (see README), deepest first.
DEMO_PHONES = {
    "member": "13800000011",
    "matchmaker": "13800000002",
    "admin": "13800000001",
    "verifying": "13800000021",
    "registered": "13800000031",
}
DEPTH_ORDER = ["member", "matchmaker", "admin", "verifying", "registered", "anonymous"]
# These end the session or the account's access; they run as a throwaway factory user.
DISPOSABLE = {
    ("accounts.signout", "POST"),
    ("accounts.password", "POST"),
    ("privacy.consent", "POST"),
    ("privacy.delete", "POST"),
}
CRAWL_PAGES_PER_ENDPOINT = 3
CRAWL_PAGES = 160
TARGETS = sorted(TABLE)

HUGE_IDS = st.sampled_from([2**31, 2**32 + 1, 2**63 - 1, 2**63, 2**64, 10**20, 10**40])
ODD_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40).map(lambda s: s + "\x00"),
    st.just("a\x00b"),
    st.just("\x00"),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30).map(
        lambda s: s * 600
    ),
    st.sampled_from(["\u202e\u200b\ufeff", "𠜎𠜱𠝹𠱓" * 100, "é" * 5000, "\r\n" * 50, "%00"]),
    st.sampled_from(["-1", "0", "1e309", "nan", "99999999999999999999", "-9" * 30]),
    st.sampled_from(["[]", "{}", "true", "null", "1.5", " ", ""]),
)
ODD_VALUE = st.one_of(ODD_TEXT, st.lists(ODD_TEXT, min_size=2, max_size=3))


class _Links(HTMLParser):
    """The links and forms of one page (forms: method, action and fields with values)."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._form: tuple[str, str, dict[str, str]] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").upper()
            self._form = (method, a.get("action") or self.page_url, {})
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "select", "textarea", "button"}:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        name = a.get("name")
        if not name or (a.get("type") in {"checkbox", "radio"} and name in self._form[2]):
            return
        if a.get("type") == "file":
            return
        self._form[2][name] = a.get("value", "")
        self._textarea = name if tag == "textarea" else None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form[2][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def endpoint_of(app: Flask, url: str, method: str) -> str | None:
    parts = urlsplit(url)
    try:
        return app.url_map.bind("localhost").match(parts.path, method=method)[0]
    except Exception:
        return None


def crawl(app: Flask, client: FlaskClient) -> dict[tuple[str, str], list[tuple[str, dict]]]:
    """Real (url, fields) per (endpoint, method), found by following the site's links."""
    found: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    queue, seen = ["/"], set()
    for _ in range(CRAWL_PAGES):
        if not queue:
            break
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Links(url)
        parser.feed(response.get_data(as_text=True))
        for method, action, fields in parser.forms:
            _remember(app, found, method, action, fields)
        for link in parser.links:
            if link not in seen and _remember(app, found, "GET", link, {}):
                seen.add(link)
                queue.append(link)
    return found


def _remember(app: Flask, found: dict, method: str, url: str, fields: dict) -> bool:
    """Keep a few (url, fields) per (endpoint, method); a GET's query string is its fields."""
    endpoint = endpoint_of(app, url, method)
    known = found.setdefault((endpoint, method), [])
    if endpoint is None or len(known) >= CRAWL_PAGES_PER_ENDPOINT:
        return False
    if method == "GET":
        parts = urlsplit(url)
        url, fields = parts.path, {**dict(parse_qsl(parts.query)), **fields}
    known.append((url, fields))
    return True


def deepest_role(endpoint: str, method: str) -> str:
    """The first kind of account, deepest first, that the table lets past the guards."""
    for role in DEPTH_ORDER:
        outcome = TABLE[(endpoint, method)].expected[role]
        status, location = outcome if isinstance(outcome, tuple) else (outcome, "")
        if status != 403 and "/account/signin" not in location:
            return role
    return "anonymous"


class World:
    """The demo app, one client per kind of account, and what each one's crawl found."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.clients: dict[str, FlaskClient] = {}
        self.found: dict[str, dict] = {}

    def client(self, role: str) -> FlaskClient:
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                signed = {"phone": DEMO_PHONES[role], "password": DEMO_PASSWORD}
                assert client.post("/account/signin", data=signed).status_code == 302
            self.clients[role] = client
            self.found[role] = crawl(self.app, client)
        return self.clients[role]

    def baselines(self, role: str, endpoint: str, method: str) -> list[tuple[str, dict]]:
        self.client(role)
        case = TABLE[(endpoint, method)]
        return self.found[role].get((endpoint, method)) or [(case.path, dict(case.data))]


@pytest.fixture(scope="module")
def world(demo_template: DemoTemplate, tmp_path_factory) -> Iterator[World]:
    """The module's app on a copy of the demo, seeded once per test worker."""
    assert demo_template.result.exit_code == 0, demo_template.result.output
    with demo_copy(demo_template, tmp_path_factory.mktemp("fuzz-demo")) as (url, photos):
        app = make_test_app(
            url, PHOTO_DIR=photos, RATELIMIT_ENABLED=False, PROPAGATE_EXCEPTIONS=False
        )
        yield World(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # nobody stays connected to a copy about to be dropped


def id_names(app: Flask, endpoint: str) -> list[str]:
    """The ``<int:>`` arguments of ``endpoint``'s rule."""
    rule = next(app.url_map.iter_rules(endpoint))
    return re.findall(r"<int(?:\([^)]*\))?:(\w+)>", rule.rule)


def with_id(app: Flask, url: str, method: str, name: str, value: int) -> str:
    """``url`` with its ``<int:name>`` segment replaced by ``value``."""
    adapter = app.url_map.bind("localhost")
    parts = urlsplit(url)
    endpoint, args = adapter.match(parts.path, method=method)
    built = adapter.build(endpoint, {**args, name: value}, method=method)
    return f"{built}?{parts.query}" if parts.query else built


@pytest.mark.parametrize(("endpoint", "method"), TARGETS, ids=[f"{e}-{m}" for e, m in TARGETS])
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # report the first failure as drawn: no shrinking
    # The module's app and this test's client are meant to be shared by the examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_route_answers_5xx_to_odd_input(world, endpoint, method, data):
    role = deepest_role(endpoint, method)
    if (endpoint, method) in DISPOSABLE:
        client = world.app.test_client()
        login_as(world.app, client, "member")
    else:
        client = world.client(role)
    url, fields = data.draw(st.sampled_from(world.baselines(role, endpoint, method)))
    fields = dict(fields)
    ids = id_names(world.app, endpoint)
    if ids and data.draw(st.booleans(), label="odd id"):
        name = data.draw(st.sampled_from(ids), label="id name")
        url = with_id(world.app, url, method, name, data.draw(HUGE_IDS, label="id"))
    name = data.draw(st.sampled_from([*fields, "q", "body"]), label="field")
    fields[name] = data.draw(ODD_VALUE, label="value")
    if method == "GET":
        response = client.get(url, query_string=fields)
    else:
        response = client.post(url, data=fields)
    assert response.status_code < 500, (method, url, fields)
