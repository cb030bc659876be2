"""Lesson Markdown is rendered and sanitised at save time: script tags, event-handler
attributes, javascript: links, iframes and raw HTML blocks come out inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.extensions import db
from app.school.models import Lesson
from app.school.rendering import render
from tests.factories import login_as, make_user
from tests.school_helpers import add_course, sign_in

ATTACK = """# 标题

<script>alert("xss")</script>

<img src="x" onerror="alert(1)">

<iframe src="https://evil.example/"></iframe>

<div onclick="steal()">
<b>raw block</b>
</div>

[点我](javascript:alert(document.cookie)) [也点我](JAVASCRIPT:alert(1))
[数据](data:text/html;base64,PHNjcmlwdD4=) [相对](/account/password)

<a href="javascript:alert(2)">inline html link</a>
"""


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]


def _dangerous(html: str) -> list[str]:
    """What in ``html`` could run or load something: script-capable elements, event
    handlers, style, links that are not absolute http(s)/mailto."""
    parsed = _Elements()
    parsed.feed(html)
    found = sorted(parsed.tags & {"script", "iframe", "img", "div", "object", "embed", "style"})
    for tag, name, value in parsed.attributes:
        if name.startswith("on") or name in ("style", "src"):
            found.append(f"{tag} {name}")
        if name == "href" and not (value or "").startswith(("https://", "http://", "mailto:")):
            found.append(f"{tag} href={value}")
    return found


def test_script_handlers_javascript_links_iframes_and_raw_html_are_inert():
    html = render(ATTACK)
    assert _dangerous(html) == []
    # The author's HTML is shown as text, not dropped silently.
    assert "&lt;script&gt;" in html and "&lt;iframe" in html
    assert "<h2>标题</h2>" in html  # headings move down a level: the title is the h1


def test_markdown_features_survive_and_links_get_rel():
    html = render(
        "**粗体** *斜体*\n\n- 一\n- 二\n\n| 甲 | 乙 |\n|---|:-:|\n| 1 | 2 |\n\n"
        "[官网](https://example.org) <mailto:help@example.org>\n\n```\ncode <b>\n```"
    )
    assert "<strong>粗体</strong>" in html and "<em>斜体</em>" in html
    assert "<ul>" in html and "<table>" in html and "<td>2</td>" in html
    assert 'style="' not in html  # the page's policy forbids inline styles
    assert '<a href="https://example.org" rel="nofollow noopener">官网</a>' in html
    assert 'href="mailto:help@example.org"' in html
    assert "<pre><code>code &lt;b&gt;" in html


@pytest.fixture(autouse=True)
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def test_a_saved_lesson_stores_sanitised_html_and_members_see_it_inert(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    response = client.post(
        f"/console/school/{course_id}/lessons/new",
        data={"title": "危险的课", "kind": "reading", "body_markdown": ATTACK, "save": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course_id))
        assert lesson.body_markdown == ATTACK  # the author's text is kept as written
        assert _dangerous(lesson.body_html) == []
        lesson_id = lesson.id
    client.post(f"/console/school/{course_id}/publish")

    member = app.test_client()
    sign_in(member, make_user(app, "member").phone)
    page = member.get(f"/school/{course_id}/lessons/{lesson_id}").get_data(as_text=True)
    body = page.split('data-testid="lesson-body">', 1)[1].split("</div>", 1)[0]
    assert _dangerous(body) == []
    assert "&lt;script&gt;alert" in body


def test_the_preview_is_sanitised_too_and_saves_nothing(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    response = client.post(
        f"/console/school/{course_id}/lessons/new",
        data={"title": "预览", "kind": "reading", "body_markdown": ATTACK, "preview": "y"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page.split('class="lesson-body lesson-preview">', 1)[1].split("</section>", 1)[0]
    assert _dangerous(preview) == [] and "<h2>标题</h2>" in preview
    with app.app_context():
        assert db.session.scalar(select(Lesson.id)) is None
