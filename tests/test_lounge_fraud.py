"""Fraud warnings: the 杀猪盘 rules flag money, investment, other-app and link talk
(after normalising), and leave ordinary conversation alone."""

from __future__ import annotations

import pytest

from app.lounge.fraud import assess, normalise

POSITIVE = [
    ("你能先转账给我吗", "money"),
    ("帮我汇款到这个账户", "money"),
    ("最近手头紧，想跟你借钱", "money"),
    ("发个红包给我吧", "money"),
    ("你先打款，我再过来", "money"),
    ("把银行卡号发我", "money"),
    ("Can you wire me 500 dollars", "money"),
    ("please transfer money to my account", "money"),
    ("Could you lend me some cash", "money"),
    ("我在做投资，收益很好", "investment"),
    ("我带你理财", "investment"),
    ("一起炒币吧", "investment"),
    ("虚拟币这两天涨了", "investment"),
    ("充值 USDT 就行", "investment"),
    ("这个博彩网站稳赚不赔", "investment"),
    ("我带你赚钱", "investment"),
    ("高回报低风险", "investment"),
    ("I trade crypto, guaranteed return", "investment"),
    ("加我微信聊", "other_app"),
    ("加 微 信 吧", "other_app"),
    ("我的vx是abc123", "other_app"),
    ("ＶＸ：abc", "other_app"),
    ("加我薇信", "other_app"),
    ("我QQ是123456", "other_app"),
    ("Let's talk on Telegram", "other_app"),
    ("my whatsapp is +1 555", "other_app"),
    ("加LINE吧", "other_app"),
    ("你下载APP我教你", "other_app"),
    ("看看这个 https://example.com/x", "link"),
    ("打开 www.jiaoyi.vip", "link"),
    ("扫一下这个二维码", "link"),
    ("扫码进群", "link"),
]

NEGATIVE = [
    "周末一起去西湖走走？",
    "你好呀，很高兴认识你",
    "我也喜欢爬山，上次去了黄山",
    "今天加班到很晚，有点累",
    "你平时喜欢看什么电影？",
    "我是做软件工程的，在杭州工作",
    "周六下午有空一起喝咖啡吗",
    "我妈妈做的红烧肉特别好吃",
    "I love hiking and reading on weekends.",
    "The wireless at the cafe was slow",
    "我在线上课程学画画",
    "What kind of music do you like?",
    "我们可以约在地铁站见面",
    "",
]


@pytest.mark.parametrize(("text", "reason"), POSITIVE)
def test_scam_patterns_are_flagged(text: str, reason: str) -> None:
    assert reason in assess(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_talk_is_not_flagged(text: str) -> None:
    assert assess(text) == []


def test_several_reasons_come_in_a_fixed_order() -> None:
    assert assess("加我微信，带你投资稳赚") == ["investment", "other_app"]
    assert assess("转账到银行卡，扫码 http://x.cn") == ["money", "link"]


def test_normalise_folds_width_case_and_spaces() -> None:
    assert normalise("ＡＢＣ　加 微\t信") == "abc加微信"
