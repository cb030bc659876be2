"""Mainland China mobile numbers, validated and normalised with ``phonenumbers``."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

MAX_INPUT_LENGTH = 32
# Digits with the separators people type; letters (vanity numbers, "ext") are refused.
_ALLOWED = re.compile(r"\+?[\d\s\-().]+")


class InvalidPhone(ValueError):
    """The text is not a mainland mobile number; ``str(error)`` is the user's message key."""


def normalise_mobile(text: str) -> str:
    """Return ``+86`` and 11 digits for what people type, or raise ``InvalidPhone``.

    Accepts spaces, dashes, full-width digits and a ``+86``/``0086`` prefix. Refuses
    numbers of other countries and mainland landlines.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        raise InvalidPhone("empty")
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidPhone("too_long")
    if not _ALLOWED.fullmatch(text):
        raise InvalidPhone("malformed")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "CN")
    except NumberParseException:
        raise InvalidPhone("malformed") from None
    if number.country_code != 86:
        raise InvalidPhone("foreign")
    national = str(number.national_number)
    if len(national) != 11 or not national.startswith("1"):
        raise InvalidPhone("not_mobile")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("malformed")
    if phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidPhone("not_mobile")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
