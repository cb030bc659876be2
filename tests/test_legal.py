"""Words a person can act on: the terms of service and the privacy policy (public, in
both languages, linked from sign-up's consent box), the support contact from
configuration for suspended accounts, and the consents' wording shown as a month."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, make_user
from tests.test_safety_appeals import decided, link_in  # noqa: F401 - the fixture

PAGES = {"/terms": "服务条款", "/privacy-policy": "隐私政策"}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_legal_pages_are_public_and_translated(client, path):
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'<h1 id="page-title">{PAGES[path]}</h1>' in text
    assert "2026年11月版条款" in text  # the consent wording, as a month
    client.set_cookie("lang", "en")
    english = client.get(path).get_data(as_text=True)
    assert "Wording of November 2026" in english
    assert "six government departments" in english


def test_the_terms_say_what_matters_and_give_the_support_contact(client):
    client.set_cookie("lang", "en")
    terms = client.get("/terms").get_data(as_text=True)
    for words in ("public security", "Matchmakers", "appeal within 30 days", "My data"):
        assert words in terms
    assert "support@queqiao.example.cn" in terms
    policy = client.get("/privacy-policy").get_data(as_text=True)
    for words in ("encrypted at rest", "How long we keep it", "download it as a file"):
        assert words in policy


def test_the_support_contact_comes_from_configuration(app_factory):
    app = app_factory(SUPPORT_CONTACT="help@example.org")
    client = app.test_client()
    assert "help@example.org" in client.get("/terms").get_data(as_text=True)
    user = make_user(app, "suspended", phone="+8613912345670")
    response = client.post("/account/signin", data={"phone": user.phone, "password": PASSWORD})
    assert response.status_code == 403
    assert "该账号已被暂停使用，请联系客服：help@example.org。" in response.get_data(as_text=True)


def test_an_empty_support_contact_is_refused(app_factory):
    from app.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="SUPPORT_CONTACT"):
        app_factory(SUPPORT_CONTACT=" ")


def test_the_sign_up_consent_box_links_to_both(app, client):
    client.post("/account/signup", data={"phone": "13912345671"})
    page = client.get("/account/signup/verify").get_data(as_text=True)
    label = re.search(r'<label class="checkbox">.*?</label>', page, re.S).group(0)
    assert 'name="agree"' in label
    assert 'href="/terms"' in label and 'href="/privacy-policy"' in label
    assert re.sub(r"<[^>]+>", "", label).strip() == "我已阅读并同意服务条款和隐私政策"


def test_the_footer_links_to_both(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/terms"' in page and 'href="/privacy-policy"' in page


def test_a_suspended_members_appeal_page_gives_the_support_contact(app, decided, outbox):  # noqa: F811
    decided("suspend")
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    page = visitor.get(link_in(outbox)).get_data(as_text=True)
    assert "Contact the service desk: support@queqiao.example.cn." in page
