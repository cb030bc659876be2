"""One voice: the Chinese interface says 你 (never 您) and writes full-width punctuation
in Chinese prose; event sign-up says 报名, account registration 注册."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from babel.messages.pofile import read_po

from tests.events_helpers import add_event, client_of, members, organiser
from tests.factories import login_as, make_member, sign_in_through_session

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "app/translations/zh/LC_MESSAGES/messages.po"

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
# A half-width colon, comma, semicolon, question or exclamation mark, or a bracket, next
# to Chinese text: "职业: 程序员", "你好,%(name)s", "(依据社保记录)".
HALF_WIDTH = re.compile(rf"{CJK}\s?[:,;!?]|[,;!?]\s?{CJK}|{CJK}\s?\(|\(\s?{CJK}|{CJK}\)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _strings() -> list[tuple[str, str]]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.extend((msgid, s) for s in strings if s)
    return found


def offences(text: str) -> list[str]:
    """The places in Chinese ``text`` that break the voice (placeholders, URLs, times
    like 10:30 and code stay as they are)."""
    bare = PLACEHOLDER.sub("X", re.sub(r"https?://\S+", "URL", text))
    found = ["您"] if "您" in bare else []
    found += [m.group(0) for m in HALF_WIDTH.finditer(bare)]
    return found


def test_the_rule_catches_formal_address_and_half_width_punctuation():
    assert offences("您好")
    assert offences("职业: 程序员")
    assert offences("你好,%(phone)s")
    assert offences("就业情况(依据社保记录)")
    assert not offences("职业：程序员")
    assert not offences("你好，%(phone)s")
    assert not offences("10:30 开始")
    assert not offences("最多 20,000 个字符")
    assert not offences("打开 https://example.cn/a,b")


def test_every_chinese_string_says_ni_with_full_width_punctuation():
    bad = {msgid: msgstr for msgid, msgstr in _strings() if offences(msgstr)}
    assert bad == {}


def _visible(html: str) -> str:
    """The visible text of the page (its body: the frame too)."""
    html = re.search(r"<body\b.*?</body>", html, re.S).group(0)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_member_pages_in_chinese_keep_the_voice(app, client):
    login_as(app, client, "registered")
    for url in ("/verify/apply", "/account/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert offences(_visible(page.get_data(as_text=True))) == [], url


MEMBER_PAGES = (
    "/",
    "/me",
    "/profile/",
    "/profile/photos",
    "/today/",
    "/events/",
    "/lounge/",
    "/school/",
    "/notifications",
    "/me/data/",
)


def test_a_members_pages_in_chinese_keep_the_voice(app):
    member = make_member(app)
    client = app.test_client()
    sign_in_through_session(app, client, member)
    for url in MEMBER_PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
        assert offences(_visible(page.get_data(as_text=True))) == [], url


def test_event_sign_up_says_baoming_and_account_sign_up_says_zhuce(app, client):
    event_id = add_event(app, organiser(app))
    [member_id] = members(app, men=1)
    member = client_of(app, member_id)
    member.set_cookie("lang", "zh_CN")
    page = member.get(f"/events/{event_id}").get_data(as_text=True)
    assert re.search(r"<button[^>]*>\s*报名\s*</button>", page)
    assert not re.search(r"<button[^>]*>\s*注册\s*</button>", page)
    assert "注册" in client.get("/account/signup").get_data(as_text=True)
