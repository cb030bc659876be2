"""Browser fixtures: the real app on a local port, Debian's Chromium driven by Playwright,
a phone-sized page that fails on console errors, and an axe-core accessibility check."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT, service_missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts/screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
# How Chromium logs any response with an error status, pages included.
DOCUMENT_STATUS = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d{3})\b"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory drives a real browser."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def built_apps() -> list:
    """The apps built in a test, the live server's first: tests put their data there."""
    return []


@pytest.fixture
def app_factory(app_factory, built_apps):
    """Remember every app built, so a test can reach the live server's database."""

    def build(**overrides):
        app = app_factory(**overrides)
        built_apps.append(app)
        return app

    return build


@pytest.fixture
def live_server(app_factory) -> Iterator[str]:
    """The app, CSRF protection on, served on a free local port; yields the base URL."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's build) for the whole test session."""
    if not CHROMIUM.exists():
        service_missing("Chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server: str):
    """A fresh phone-sized context (no shared cookies), content security policy enforced.

    It asks for ``live_server`` only so that the server outlives the page: closing the
    server first would fail requests still in flight (the favicon, say).

    Every console error (a blocked resource, a CSP violation, a script error) and every
    uncaught page error fails the test. The one exception: Chromium also logs a page
    answered on purpose with a 4xx status (a form sent back with errors), which is not one.
    """
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors: list[tuple[str, str]] = []
    page_errors: list[str] = []
    documents: set[tuple[str, int]] = set()

    def on_console(message) -> None:
        if message.type == "error":
            console_errors.append((message.text, message.location.get("url", "")))

    def on_response(response) -> None:
        if response.request.resource_type == "document":
            documents.add((response.url, response.status))

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("response", on_response)
    try:
        yield page
    finally:
        context.close()
    errors = [f"page error: {error}" for error in page_errors]
    for text, url in console_errors:
        status = DOCUMENT_STATUS.match(text)
        if status and (url, int(status.group(1))) in documents:
            continue
        errors.append(f"console error: {text} ({url})")
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)


def check_accessibility(page, name: str) -> None:
    """Save a full-page screenshot, check nothing scrolls sideways, run axe-core and fail on
    serious or critical violations.

    axe is injected with ``page.evaluate``: DevTools evaluation is not subject to the page's
    Content-Security-Policy, so the policy stays enforced for the page itself (a violation
    there is a console error, which the ``page`` fixture turns into a failure).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the {page.viewport_size} screen"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # Only the violations are reported back: axe skips building the (much longer) lists
    # of passes and inapplicable rules, about a third of each scan's time.
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = [
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}" for node in v["nodes"])
        for v in blocking
    ]
    assert not blocking, f"accessibility violations on {name} ({page.url}):\n" + "\n".join(report)
