"""The icon sprite (app/static/img/icons.svg): every icon the app asks for is in it,
each drawn exactly as Lucide draws it, and the macro speaks only when labelled."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
from pathlib import Path

from flask import render_template_string

from tests.conftest import service_missing
from tests.factories import make_member, sign_in_through_session

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "app" / "static" / "img" / "icons.svg"
LUCIDE = ROOT / "assets" / "node_modules" / "lucide-static"

CONTRACT = [
    "home",
    "heart",
    "heart-handshake",
    "message-circle",
    "calendar",
    "graduation-cap",
    "user",
    "bell",
    "shield-check",
    "settings",
    "lock",
    "globe",
    "log-out",
    "chevron-left",
    "chevron-right",
    "check",
    "x",
    "camera",
    "image",
    "sparkles",
    "star",
    "map-pin",
    "clock",
    "search",
    "filter",
    "plus",
    "info",
    "alert-triangle",
    "file-text",
    "users",
    "flag",
    "mail",
    "phone",
    "pencil",
    "trash",
    "eye",
    "eye-off",
    "sliders",
    "list-checks",
    "badge-check",
    "loader",
]


def _build_icons():
    loader = importlib.machinery.SourceFileLoader("build_icons", str(ROOT / "bin" / "build-icons"))
    spec = importlib.util.spec_from_loader("build_icons", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def symbols() -> dict[str, str]:
    text = SPRITE.read_text(encoding="utf-8")
    return dict(re.findall(r'<symbol id="([a-z0-9-]+)" viewBox="0 0 24 24">(.*?)</symbol>', text))


def names_in_sources() -> set[str]:
    """Icon names written literally: ``icon('x')`` in templates, ``icon="x"`` in Python
    (the home page's news items), and the name of a row in a macro call (``'x',``
    right after a url_for(...) argument, as the Me page's rows)."""
    names: set[str] = set()
    for path in (ROOT / "app").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"""\bicon\(\s*['"]([a-z0-9-]+)['"]""", text))
        names |= set(re.findall(r"""url_for\([^)]*\),\s*['"]([a-z0-9-]+)['"]""", text))
        # a literal map of names given to icon(), e.g. icon({'profile': 'user'}[key])
        for mapping in re.findall(r"\bicon\(\{([^}]*)\}", text):
            names |= set(re.findall(r""":\s*['"]([a-z0-9-]+)['"]""", mapping))
    for path in (ROOT / "app").rglob("*.py"):
        names |= set(re.findall(r"""\bicon=['"]([a-z0-9-]+)['"]""", path.read_text("utf-8")))
    return names


def test_the_sprite_holds_the_contract_and_every_icon_the_sources_name():
    held = set(symbols())
    assert set(CONTRACT) <= held, sorted(set(CONTRACT) - held)
    used = names_in_sources()
    assert {"bell", "chevron-left", "user"} <= used  # the search finds the frame's own
    assert used <= held, sorted(used - held)


def test_every_icon_a_rendered_page_uses_is_in_the_sprite(app):
    member = make_member(app)
    client = app.test_client()
    sign_in_through_session(app, client, member)
    held = set(symbols())
    for path in ("/", "/me", "/notifications"):
        page = client.get(path).get_data(as_text=True)
        used = set(re.findall(r'icons\.[0-9a-f]{12}\.svg#([a-z0-9-]+)"', page))
        assert used, path
        assert used <= held, (path, sorted(used - held))


def test_the_sprite_is_lucide_of_the_pinned_version():
    pinned = json.loads((ROOT / "assets" / "package.json").read_text())["devDependencies"]
    lock = json.loads((ROOT / "assets" / "package-lock.json").read_text())
    version = pinned["lucide-static"]
    assert lock["packages"]["node_modules/lucide-static"]["version"] == version
    assert f"lucide-static {version}," in SPRITE.read_text(encoding="utf-8")
    assert "ISC" in (ROOT / "app" / "static" / "img" / "LICENSE-lucide.txt").read_text()


def test_each_symbol_is_drawn_as_lucide_draws_it():
    if not LUCIDE.is_dir():  # bin/setup --browser installs it; the full suite requires it
        service_missing("lucide-static (npm ci --prefix assets)")
    build = _build_icons()
    drawn = symbols()
    assert sorted(drawn) == sorted(build.NAMES)
    for name, body in drawn.items():
        assert body == build.icon_body(name, LUCIDE), name
    assert SPRITE.read_text(encoding="utf-8") == build.build(LUCIDE)  # regenerated as is


def test_the_icon_macro_is_hidden_unless_labelled(app):
    with app.test_request_context():
        plain = render_template_string('{% from "_icons.html" import icon %}{{ icon("bell") }}')
        named = render_template_string(
            '{% from "_icons.html" import icon %}{{ icon("bell", label="Notifications") }}'
        )
    assert 'aria-hidden="true"' in plain and "role=" not in plain and "<title>" not in plain
    assert re.search(r'<use href="/static/img/icons\.[0-9a-f]{12}\.svg#bell">', plain)
    assert 'role="img"' in named and "<title>Notifications</title>" in named
    assert "aria-hidden" not in named
