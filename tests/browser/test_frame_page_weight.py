"""The first page a phone loads stays light: the anonymous home at most 150 KB and a
member's today page at most 200 KB before photos, over the wire with the cache off
(measured as benchmarks/page_weight.py measures it)."""

from __future__ import annotations

from playwright.sync_api import Page

from benchmarks.page_weight import TARGETS_KB, measure
from tests.browser.journeys import phone_of, sign_in
from tests.factories import make_member


def test_the_first_pages_weigh_within_their_targets(page: Page, live_server: str, built_apps):
    home = measure(page, live_server, "/")
    assert home["transferred_kb"] <= TARGETS_KB["/"], home
    # Static files came compressed where that pays (the stylesheet is the largest).
    css = next(r for r in home["resources"] if "/static/css/app." in r["url"])
    assert css["transferred"] < css["body"] / 2, css
    member = make_member(built_apps[0])
    sign_in(page, live_server, phone_of(built_apps[0], member.id))
    today = measure(page, live_server, "/today/")
    assert today["transferred_kb"] <= TARGETS_KB["/today/"], today
    print(f"\nfirst page {home['transferred_kb']} KB, today {today['transferred_kb']} KB")
