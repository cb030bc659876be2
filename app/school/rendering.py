"""Lesson Markdown → safe HTML.

markdown-it-py (CommonMark plus tables) with raw HTML switched off turns any HTML an
author types into text; nh3 (ammonia) then keeps only an allow-list of tags and
attributes (no ``style``: the page's policy forbids inline styles), only absolute
http/https/mailto links, and marks every link ``nofollow noopener``.
Headings move down one level: the lesson's title is the page's only ``h1``.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    # Images would load from other sites (and the policy blocks them): links are kept.
    parser.disable("image")
    return parser


_PARSER = _parser()


def _shift_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def render(markdown: str) -> str:
    """The sanitised HTML of ``markdown`` (safe to mark ``|safe`` in a template)."""
    tokens = _PARSER.parse(markdown)
    _shift_headings(tokens)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        url_relative="deny",
        strip_comments=True,
    )
