"""Fraud warnings (防骗提醒): simple rules for the 杀猪盘 patterns.

``assess(text)`` returns reason codes (empty when the text looks fine). A flagged
message is still delivered; the receiver sees a warning next to it and
administrators see the flag. The rules look at a normalised copy of the text:
full-width characters made half-width, lower case, spaces between characters
removed (so "加 微 信" and "ＶＸ" are caught).
"""

from __future__ import annotations

import re
import unicodedata

MONEY = "money"  # asks for money or a transfer
INVESTMENT = "investment"  # investment or gambling tips
OTHER_APP = "other_app"  # moving the talk to another app
LINK = "link"  # a link or a QR code

REASONS = (MONEY, INVESTMENT, OTHER_APP, LINK)

_RULES: dict[str, re.Pattern[str]] = {
    MONEY: re.compile(
        r"转账|转钱|汇款|借钱|借我\d|借点钱|红包|打款|打钱|银行卡|卡号|wire(?!less)|transfermoney|"
        r"sendmoney|lendme|westernunion|giftcard"
    ),
    INVESTMENT: re.compile(
        r"投资|理财|炒币|虚拟币|数字货币|比特币|usdt|博彩|赌博|稳赚|带你赚钱|高回报|"
        r"内幕|crypto|bitcoin|guaranteedreturn|investmentplatform"
    ),
    OTHER_APP: re.compile(
        r"加微信|加我微信|加个微信|微信号|vx|薇信|威信|qq|telegram|whatsapp|"
        r"加line|line(?:id|号)|下载app|下个app|换个app"
    ),
    LINK: re.compile(
        r"https?://|www\.|[a-z0-9-]+\.(?:com|cn|net|org|io|xyz|top|vip|cc)(?![a-z])|"
        r"二维码|扫码|扫一扫|qrcode"
    ),
}


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, no whitespace at all."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", "", folded)


def assess(text: str) -> list[str]:
    """The reason codes the text matches, in a fixed order; empty when it looks fine."""
    plain = normalise(text)
    return [reason for reason in REASONS if _RULES[reason].search(plain)]
