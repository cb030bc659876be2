"""Resident ID numbers (公民身份号码) under GB 11643-1999.

An 18-character number: a 6-digit region code, an 8-digit birth date, a 3-digit
sequence whose last digit is odd for men and even for women, and a check character
computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum mod 11
EARLIEST_BIRTH_YEAR = 1900

# First two digits of GB/T 2260 region codes: provinces, autonomous regions,
# municipalities, Taiwan (71), Hong Kong (81), Macau (82); 83 is used on residence
# permits issued to Taiwan residents.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)


class InvalidResidentId(ValueError):
    """The number is not a valid resident ID; ``code`` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: date
    gender: str  # "F" or "M"

    def age_on(self, day: date) -> int:
        """Completed years of age on ``day``."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    @property
    def masked(self) -> str:
        return mask(self.number)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalise(text: str) -> str:
    """What people type -> canonical form: full-width to ASCII, trimmed, upper-case X."""
    return unicodedata.normalize("NFKC", text or "").strip().upper()


def mask(number: str) -> str:
    """``330106199001011234`` -> ``3301**********1234``."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "****"


def parse(number: str, today: date | None = None) -> ResidentId:
    """Validate a resident ID number and return its parts, or raise ``InvalidResidentId``."""
    text = normalise(number)
    today = today or date.today()
    if not text:
        raise InvalidResidentId("empty", "the ID number is empty")
    if len(text) == 15 and text.isdigit():
        raise InvalidResidentId(
            "obsolete", "15-digit ID numbers are no longer valid; use the 18-digit number"
        )
    if len(text) != 18:
        raise InvalidResidentId("length", f"an ID number has 18 characters, not {len(text)}")
    body, last = text[:17], text[17]
    if not body.isascii() or not body.isdigit() or not (last.isdigit() or last == "X"):
        raise InvalidResidentId("characters", "an ID number is 17 digits followed by a digit or X")
    if int(body[:2]) not in PROVINCES or body[2:6] == "0000":
        raise InvalidResidentId("region", f"{body[:6]} is not a region code")
    birth = _birth_date(body[6:14], today)
    if check_character(body) != last:
        raise InvalidResidentId("checksum", "the check character does not match; a digit is wrong")
    gender = "M" if int(body[16]) % 2 else "F"
    return ResidentId(number=text, region_code=body[:6], birth_date=birth, gender=gender)


def _birth_date(digits: str, today: date) -> date:
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidResidentId("birth_date", f"{digits} is not a real date") from None
    if birth > today:
        raise InvalidResidentId("birth_date", "the birth date is in the future")
    if birth.year < EARLIEST_BIRTH_YEAR:
        raise InvalidResidentId("birth_date", f"the birth year {birth.year} is not plausible")
    return birth
