"""The vocabulary in the reader's language: cities, interest tags and the matcher's
reasons.

The words are stored as they always were (the Chinese of ``matching.vocabulary``, which
stays free of Flask and Babel); here each has an English msgid whose Chinese translation
is the stored word itself, so the Chinese interface shows exactly what it did and the
English one reads "Hangzhou", "travel", "You both like travel". A word the table does not
know (an older row) is shown as it is.

Templates use the filters ``|city`` and ``|tag``; forms use ``city_choices()`` and
``tag_choices()``; ``reason_text()`` words a stored reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.profiles import bp
from matching.reasons import render
from matching.vocabulary import CITIES, TAGS

CITY_LABELS = {
    "杭州": _l("Hangzhou"),
    "宁波": _l("Ningbo"),
    "温州": _l("Wenzhou"),
    "金华": _l("Jinhua"),
    "台州": _l("Taizhou"),
    "嘉兴": _l("Jiaxing"),
    "绍兴": _l("Shaoxing"),
    "湖州": _l("Huzhou"),
    "丽水": _l("Lishui"),
    "衢州": _l("Quzhou"),
    "舟山": _l("Zhoushan"),
}

TAG_LABELS = {
    "旅行": _l("travel"),
    "摄影": _l("photography"),
    "徒步": _l("hiking"),
    "羽毛球": _l("badminton"),
    "飞盘": _l("frisbee"),
    "剧本杀": _l("murder mystery games"),
    "烘焙": _l("baking"),
    "读书": _l("reading"),
    "电影": _l("films"),
    "音乐": _l("music"),
    "猫": _l("cats"),
    "狗": _l("dogs"),
    "健身": _l("fitness"),
    "美食": _l("good food"),
    "游泳": _l("swimming"),
    "骑行": _l("cycling"),
    "露营": _l("camping"),
    "书法": _l("calligraphy"),
    "围棋": _l("weiqi (Go)"),
    "编程": _l("coding"),
    "追剧": _l("TV series"),
    "咖啡": _l("coffee"),
    "茶": _l("tea"),
    "瑜伽": _l("yoga"),
    "跑步": _l("running"),
    "篮球": _l("basketball"),
    "足球": _l("football"),
    "滑雪": _l("skiing"),
    "桌游": _l("board games"),
    "手工": _l("crafts"),
    "钓鱼": _l("fishing"),
    "唱歌": _l("singing"),
    "画画": _l("drawing"),
    "舞蹈": _l("dancing"),
    "动漫": _l("anime"),
    "游戏": _l("video games"),
    "乒乓球": _l("table tennis"),
    "网球": _l("tennis"),
    "做饭": _l("cooking"),
    "汉服": _l("hanfu"),
}


def city_label(value: str | None) -> str:
    """A stored city in the reader's language."""
    if not value:
        return ""
    label = CITY_LABELS.get(value)
    return str(label) if label is not None else value


def tag_label(value: str | None) -> str:
    """A stored interest tag in the reader's language."""
    if not value:
        return ""
    label = TAG_LABELS.get(value)
    return str(label) if label is not None else value


def city_choices() -> list[tuple[str, Any]]:
    """(stored value, label) for every city, the labels lazy (forms are built once)."""
    return [(city, CITY_LABELS.get(city, city)) for city in CITIES]


def tag_choices() -> list[tuple[str, Any]]:
    """(stored value, label) for every interest tag, the labels lazy."""
    return [(tag, TAG_LABELS.get(tag, tag)) for tag in TAGS]


def reader_language() -> str:
    """``zh`` or ``en``, the languages ``matching.reasons`` words reasons in."""
    return "zh" if str(get_locale() or "zh").startswith("zh") else "en"


def reason_text(reason: Mapping[str, Any] | str, language: str | None = None) -> str:
    """A stored reason (``Reason.as_dict()``) in the reader's language, its tags and city
    named in that language too; older rows hold plain sentences, shown as they are."""
    if not isinstance(reason, Mapping):
        return str(reason)
    params = dict(reason.get("params", {}))
    if "tags" in params:
        params["tags"] = [tag_label(t) for t in params["tags"]]
    if "city" in params:
        params["city"] = city_label(params["city"])
    return render({**reason, "params": params}, language or reader_language())


@bp.app_template_filter("city")
def _city_filter(value: str | None) -> str:
    return city_label(value)


@bp.app_template_filter("tag")
def _tag_filter(value: str | None) -> str:
    return tag_label(value)
