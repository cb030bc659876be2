"""The matchmakers' console home and its link in the navigation."""

from __future__ import annotations

import pytest

from tests.factories import login_as


@pytest.fixture(autouse=True)
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


@pytest.mark.parametrize("kind", ["matchmaker", "admin"])
def test_matchmakers_and_admins_reach_the_console_from_the_navigation(app, client, kind):
    login_as(app, client, kind)
    home = client.get("/notifications/").get_data(as_text=True)
    assert 'href="/console/"' in home
    page = client.get("/console/")
    assert page.status_code == 200
    assert "Matchmaker console" in page.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["registered", "verifying", "member"])
def test_others_see_no_console_link_and_get_403(app, client, kind):
    login_as(app, client, kind)
    assert 'href="/console/"' not in client.get("/notifications/").get_data(as_text=True)
    assert client.get("/console/").status_code == 403
