"""Hygiene: links in text messages use the configured public address (never the Host
header); personal pages are never stored by a cache; the People search keeps phone
numbers out of URLs (and so out of access logs)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.links import public_url
from app.privacy.models import PersonalDataAccess
from app.safety.models import Report
from tests import test_authorisation as authorisation
from tests.factories import PASSWORD, login_as, make_user
from tests.safety_helpers import admin_id, make_match, members
from tests.test_today_page import sign_in

CANONICAL = "https://queqiao.example.cn"


def reported_member(app) -> tuple[int, int]:
    """Member one reported member two (matched); returns (two, the report's id)."""
    one, two = members(app, 2)
    make_match(app, one, two)
    reporter = app.test_client()
    sign_in(app, reporter, one)
    reporter.post(f"/safety/members/{two}/report", data={"reason": "harassment", "note": "烦"})
    with app.app_context():
        return two, db.session.scalar(select(Report.id))


@pytest.mark.parametrize("forged", ["evil.example", "queqiao.example.cn.evil.example:8443"])
def test_the_suspension_sms_links_to_the_public_address_whatever_the_host_header(
    app_factory, forged
):
    app = app_factory(PUBLIC_BASE_URL=CANONICAL)
    outbox = app.extensions["sms_sender"].outbox
    _member, report_id = reported_member(app)
    admin = app.test_client()
    sign_in(app, admin, admin_id(app))
    # The browser sends its cookies to whatever host it was told to open.
    admin.set_cookie("session", admin.get_cookie("session").value, domain=forged.split(":")[0])
    response = admin.post(
        f"/admin/reports/{report_id}/decision",
        data={"decision": "suspend", "reason": "Repeated unwanted messages."},
        headers={"Host": forged},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reports"  # decided, not sent to sign in
    [(_phone, text)] = outbox
    assert "evil.example" not in text
    link = re.search(r"https?://\S+", text).group(0)
    assert link.startswith(CANONICAL + "/safety/appeal/")
    # The link opens the appeal page (the path is the real route).
    visitor = app.test_client()
    assert visitor.get(link.removeprefix(CANONICAL)).status_code == 200


def test_public_url_keeps_the_scheme_host_and_path_prefix(app_factory):
    app = app_factory(PUBLIC_BASE_URL="https://gov.example.cn:8443/services/queqiao")
    with app.test_request_context("/", base_url="http://attacker.example"):
        link = public_url("safety.appeal_by_link", token="abc")
    assert link == "https://gov.example.cn:8443/services/queqiao/safety/appeal/abc"
    with app.app_context():  # no request at all (a task)
        assert public_url("main.home") == "https://gov.example.cn:8443/services/queqiao/"


GET_ROUTES = sorted(key for key in authorisation.TABLE if key[1] == "GET")
MEMBER_PAGES = [key for key in GET_ROUTES if authorisation.TABLE[key].expected["member"] == 200]


def test_the_table_gives_members_many_pages():
    assert len(MEMBER_PAGES) > 20


@pytest.mark.parametrize(("endpoint", "method"), MEMBER_PAGES, ids=[e for e, _ in MEMBER_PAGES])
def test_every_page_a_member_opens_is_never_stored(app, client, endpoint, method):
    login_as(app, client, "member")
    response = client.get(authorisation.TABLE[(endpoint, method)].path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", ["member", "admin", "registered"])
def test_every_answer_to_a_signed_in_user_is_never_stored(app, client, role):
    login_as(app, client, role)
    for endpoint, _method in GET_ROUTES:
        response = client.get(authorisation.TABLE[(endpoint, "GET")].path)
        assert response.headers.get("Cache-Control") == "no-store", (endpoint, response.status)


def test_the_my_data_export_is_never_stored(app, client):
    login_as(app, client, "member")
    response = client.post("/me/data/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


# -- the People search: no phone number in a URL ---------------------------------------

SEARCHED = "13912345678"


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` with werkzeug's real request handler (which writes the access log)
    on a free local port in a background thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def people_search_over_http(app, base: str) -> tuple[list[str], list[httpx.Response]]:
    """Sign in as an administrator, open People, search, grant the role: what a browser
    does. Returns every URL requested and every response."""
    admin = make_user(app, "admin")
    member = make_user(app, "member", phone="+86" + SEARCHED)
    urls: list[str] = []
    hooks = {"request": [lambda request: urls.append(str(request.url))]}
    with httpx.Client(base_url=base, event_hooks=hooks, follow_redirects=True) as browser:
        browser.cookies.set("lang", "en")
        answers = [
            browser.post("/account/signin", data={"phone": admin.phone, "password": PASSWORD}),
            browser.get("/admin/people"),
            browser.post("/admin/people", data={"phone": SEARCHED}),
            browser.post(
                f"/admin/people/{member.id}/role",
                data={"action": "grant", "seen_role": "member", "reason": "参加过红娘培训"},
            ),
        ]
    return urls, [hop for answer in answers for hop in [*answer.history, answer]]


@pytest.mark.commits  # a live server's thread
def test_a_people_search_puts_no_phone_number_in_the_access_log(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    with serving(app) as base:
        urls, responses = people_search_over_http(app, base)
    assert [r.status_code for r in responses] == [302, 200, 200, 200, 302, 200]
    assert "Verified member" in responses[3].text and "is now a matchmaker" in responses[5].text
    access_log = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert sum('"POST /admin/people HTTP/1.1" 200' in line for line in access_log) == 1
    for where in [*access_log, *urls, *(r.headers.get("Location", "") for r in responses)]:
        assert SEARCHED not in where and SEARCHED[-8:] not in where, where


class FormMethods(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self.forms.append(dict(attrs))


def test_the_people_search_form_posts(app, client):
    login_as(app, client, "admin")
    parser = FormMethods()
    parser.feed(client.get("/admin/people").get_data(as_text=True))
    [search] = [form for form in parser.forms if form.get("data-testid") == "people-search"]
    assert search["method"] == "post" and search["action"] == "/admin/people"


def accesses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PersonalDataAccess))


def test_a_phone_in_the_query_string_is_not_searched(app, client):
    login_as(app, client, "admin")
    make_user(app, "member", phone="+86" + SEARCHED)
    client.set_cookie("lang", "en")
    response = client.get("/admin/people", query_string={"phone": SEARCHED})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="person"' not in page and "No account with this number" not in page
    assert "139****5678" not in page
    assert accesses(app) == 0


def test_the_people_search_needs_the_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    admin = make_user(app, "admin")
    make_user(app, "member", phone="+86" + SEARCHED)
    sign_in(app, client, admin.id)
    assert client.post("/admin/people", data={"phone": SEARCHED}).status_code == 400
    assert accesses(app) == 0
    page = client.get("/admin/people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    found = client.post("/admin/people", data={"phone": SEARCHED, "csrf_token": token})
    assert found.status_code == 200 and 'data-testid="person"' in found.get_data(as_text=True)
    assert accesses(app) == 1
