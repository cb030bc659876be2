"""The raw "government records" the simulated departments keep.

These are richer than anything an ``Answer`` may carry (spouses' names, schools, court
case numbers): a department reads them and answers only its conclusion. Nothing here
leaves ``verification.departments``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Degrees in rank order; an answer's ``degree`` fact is one of these.
DEGREES = ("high_school", "associate", "bachelor", "master", "doctorate")


@dataclass(frozen=True)
class Household:
    """户籍: the resident registration public security holds."""

    id_number: str
    name: str
    address: str
    status: str  # "active" or "cancelled"
    cancelled_on: date | None = None
    cancel_note: str | None = None


@dataclass(frozen=True)
class MaritalEvent:
    """One entry at a marriage registry office (婚姻登记)."""

    kind: str  # "married", "divorced" or "widowed"
    on: date
    spouse_name: str
    office: str


@dataclass(frozen=True)
class Schooling:
    """One completed course of study; ``verified`` once its certificate was checked (学信网)."""

    level: str  # one of DEGREES
    institution: str
    major: str
    graduated_on: date
    verified: bool = True


@dataclass(frozen=True)
class InsuranceSpell:
    """A period of social-insurance contributions paid by one employer (社保缴费记录)."""

    employer: str
    started_on: date
    ended_on: date | None  # None: still contributing
    monthly_base_yuan: int


@dataclass(frozen=True)
class JudicialRecord:
    """A judicial measure, e.g. community correction (社区矫正)."""

    kind: str
    court: str
    case_number: str
    started_on: date
    ends_on: date


@dataclass(frozen=True)
class DebtorListing:
    """An entry on the list of dishonest judgment debtors (失信被执行人名单)."""

    court: str
    case_number: str
    amount_yuan: int
    listed_on: date
    removed_on: date | None = None


@dataclass(frozen=True)
class Records:
    """Everything the six departments hold on one person; ``household`` None if unknown."""

    household: Household | None
    marriages: tuple[MaritalEvent, ...] = ()
    schooling: tuple[Schooling, ...] = ()
    insurance: tuple[InsuranceSpell, ...] = ()
    judicial: tuple[JudicialRecord, ...] = ()
    debts: tuple[DebtorListing, ...] = ()
