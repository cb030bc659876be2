"""Hygiene: links in text messages use the configured public address (never the Host
header); personal pages are never stored by a cache."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.links import public_url
from app.safety.models import Report
from tests import test_authorisation as authorisation
from tests.factories import login_as
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
