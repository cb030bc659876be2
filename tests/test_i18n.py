"""The interface is Chinese by default, every message is translated, English works."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "app/translations/zh/LC_MESSAGES/messages.po"


def _source_messages() -> set[str]:
    method_map = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]  # a plural's id is (singular, plural)
        for m in catalog
        if m.id
        and (m.string if isinstance(m.string, str) else all(m.string))
        and "fuzzy" not in m.flags
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], (
        "untranslated (run pybabel extract/update, then fill messages.po): " + repr(missing)
    )


def test_the_compiled_catalog_is_used(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "鹊桥" in page
    client.set_cookie("lang", "en")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Meet someone real" in page
