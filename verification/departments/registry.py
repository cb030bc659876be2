"""The simulated departments' records, derived from the applicant so a tester can
produce every outcome on purpose.

The scenario is chosen by digits 15-16 of the ID number: the first two digits of the
3-digit sequence (digit 17, the last sequence digit, sets the gender and is free). The
other five departments answer as for an ordinary number.

=====  =====================  ====================  ==============================
15-16  department             outcome               reason / facts
=====  =====================  ====================  ==============================
88     civil_affairs          passed                marital_status=divorced
89     civil_affairs          passed                marital_status=widowed
90     public_security        failed                name_mismatch
91     public_security        failed                id_cancelled
92     civil_affairs          failed                married
93     education              review                degree_unverified
94     hr_social_security     review                no_insurance_record
95     justice                failed                community_correction
96     development_reform     failed                dishonest_debtor
97     public_security        DepartmentUnavailable on every call (down)
98     education              passed, after ``slow_seconds`` (8 s; beyond the 5 s read
                              timeout)
99     hr_social_security     DepartmentUnavailable on the first 2 calls for that ID
                              number, then passed (flaky)
other  all six                passed                see below
=====  =====================  ====================  ==============================

Ordinary numbers: civil_affairs ``marital_status=unmarried``; education ``degree`` drawn
from a hash of the ID number and capped by age (a 20-year-old has no master's);
hr_social_security ``employment=employed`` and an ``employer`` drawn from the hash.
Someone under 18 has no insurance record and no completed schooling: review
``no_insurance_record`` and ``no_education_record``. A number
that isn't a valid GB 11643 number is unknown: public_security answers failed
``id_not_found``, the others review ``no_record``.
"""

from __future__ import annotations

import enum
import hashlib
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from verification.departments.base import Applicant, Department, DepartmentUnavailable
from verification.departments.records import (
    DEGREES,
    DebtorListing,
    Household,
    InsuranceSpell,
    JudicialRecord,
    MaritalEvent,
    Records,
    Schooling,
)
from verification.resident_id import InvalidResidentId, ResidentId, parse


class Scenario(enum.StrEnum):
    ordinary = "ordinary"
    divorced = "88"
    widowed = "89"
    name_mismatch = "90"
    id_cancelled = "91"
    married = "92"
    degree_unverified = "93"
    no_insurance_record = "94"
    community_correction = "95"
    dishonest_debtor = "96"
    down = "97"
    slow = "98"
    flaky = "99"


FLAKY_FAILURES = 2
SLOW_SECONDS = 8.0
GRADUATION_AGE = {"high_school": 18, "associate": 21, "bachelor": 22, "master": 25, "doctorate": 29}
# Highest degree an ordinary number draws; weighted towards bachelor.
DEGREE_DRAW = ("high_school", "associate", "associate", "bachelor", "bachelor", "bachelor")
DEGREE_DRAW += ("bachelor", "master", "master", "doctorate")
EMPLOYERS = (
    "杭州云栖智能科技有限公司",
    "上海浦江数据服务有限公司",
    "北京中关村精密制造有限公司",
    "深圳南山微电子有限公司",
    "成都天府软件股份有限公司",
    "武汉光谷生物医药有限公司",
    "南京紫金新材料有限公司",
    "广州珠江供应链管理有限公司",
)
HIGH_SCHOOLS = ("东海市第一中学", "西岭县实验中学", "南湖外国语学校", "北山市第三中学")
COLLEGES = ("北山职业技术学院", "东海城市学院", "青川职业技术学院")
UNIVERSITIES = ("东海大学", "西岭师范大学", "南湖理工大学", "青川财经大学", "中原医科大学")
MAJORS = ("计算机科学与技术", "会计学", "临床医学", "汉语言文学", "机械工程", "法学")
OTHER_NAMES = ("王建国", "李秀英", "张伟", "刘芳", "陈静")


class Outage(enum.StrEnum):
    """A whole department failing, for everyone (a fault drill), until it is ended."""

    down = "down"  # every call and probe is unavailable (HTTP 503)
    hang = "hang"  # every call and probe stalls until the outage ends (or hang_seconds)


HANG_SECONDS = 60.0


def parse_outages(text: str) -> list[tuple[Department, Outage, float | None]]:
    """``"public_security=down:120,education=hang"``: department, kind, and seconds
    (none: until ended). Raises ``ValueError`` naming a bad entry."""
    outages = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        name, _, rest = entry.partition("=")
        kind, _, seconds = rest.partition(":")
        try:
            duration = float(seconds) if seconds.strip() else None
            outages.append((Department(name.strip()), Outage(kind.strip()), duration))
        except ValueError:
            raise ValueError(f"outage {entry!r}: write department=down|hang[:seconds]") from None
    return outages


def scenario_of(id_number: str) -> Scenario:
    """The scenario digits 15-16 of ``id_number`` select."""
    try:
        return Scenario(id_number[14:16])
    except ValueError:
        return Scenario.ordinary


class SimulatedRegistry:
    """Records for every applicant, plus the departments' availability per scenario.

    Counts calls to hr_social_security for flaky numbers only, keyed by a hash of the
    number (no plain ID number is kept once a check ends); safe to share between threads.
    """

    def __init__(
        self,
        slow_seconds: float = SLOW_SECONDS,
        today: Callable[[], date] = date.today,
        hang_seconds: float = HANG_SECONDS,
    ) -> None:
        self.slow_seconds = slow_seconds
        self.hang_seconds = hang_seconds
        self._today = today
        self._flaky_calls: Counter[bytes] = Counter()
        self._lock = threading.Lock()
        self._outages: dict[Department, tuple[Outage, float]] = {}
        self._outage_changed = threading.Condition(self._lock)

    def start_outage(
        self, department: Department, kind: Outage, seconds: float | None = None
    ) -> None:
        """Fail the whole department (``kind``) for ``seconds``, or until ``end_outage``."""
        until = math.inf if seconds is None else time.monotonic() + seconds
        with self._outage_changed:
            self._outages[Department(department)] = (Outage(kind), until)
            self._outage_changed.notify_all()

    def end_outage(self, department: Department) -> None:
        """The department works again; stalled calls go on at once."""
        with self._outage_changed:
            self._outages.pop(Department(department), None)
            self._outage_changed.notify_all()

    def outage(self, department: Department) -> Outage | None:
        """The department's outage now, if any."""
        with self._lock:
            return self._current_outage(Department(department))

    def _current_outage(self, department: Department) -> Outage | None:
        kind, until = self._outages.get(department, (None, 0.0))
        return kind if kind is not None and time.monotonic() < until else None

    def _suffer_outage(self, department: Department) -> None:
        with self._outage_changed:
            if self._current_outage(department) is Outage.hang:
                _, until = self._outages[department]
                limit = min(self.hang_seconds, until - time.monotonic())
                self._outage_changed.wait_for(
                    lambda: self._current_outage(department) is not Outage.hang, timeout=limit
                )
            if self._current_outage(department) is Outage.down:
                raise DepartmentUnavailable(f"{department} is down (outage)")

    def ping(self, department: Department) -> None:
        """Answer a probe: raise ``DepartmentUnavailable`` while the department is down;
        stall while it hangs."""
        self._suffer_outage(Department(department))

    def admit(self, department: Department, id_number: str) -> float:
        """Raise ``DepartmentUnavailable`` if the department is down (for everyone, or
        for this applicant); otherwise return the extra seconds it takes to answer."""
        self._suffer_outage(department)
        scenario = scenario_of(id_number)
        if scenario is Scenario.down and department is Department.public_security:
            raise DepartmentUnavailable(f"{department} is down")
        flaky = scenario is Scenario.flaky and department is Department.hr_social_security
        if flaky and self._count_flaky_call(id_number) <= FLAKY_FAILURES:
            raise DepartmentUnavailable(f"{department} dropped the connection")
        if scenario is Scenario.slow and department is Department.education:
            return self.slow_seconds
        return 0.0

    def _count_flaky_call(self, id_number: str) -> int:
        key = hashlib.sha256(id_number.encode()).digest()
        with self._lock:
            self._flaky_calls[key] += 1
            return self._flaky_calls[key]

    def today(self) -> date:
        """The registry's idea of today, which records and conclusions are relative to."""
        return self._today()

    def records(self, applicant: Applicant) -> Records:
        """Everything on file for the applicant, built deterministically."""
        today = self._today()
        try:
            resident = parse(applicant.id_number, today=today)
        except InvalidResidentId:
            return Records(household=None)
        return _Builder(resident, applicant.name, today).build()


class _Builder:
    """Builds one person's records from their ID number, claimed name and today."""

    def __init__(self, resident: ResidentId, claimed_name: str, today: date) -> None:
        self.resident = resident
        self.claimed_name = claimed_name
        self.today = today
        self.scenario = scenario_of(resident.number)
        self.digest = hashlib.sha256(resident.number.encode()).digest()

    def build(self) -> Records:
        return Records(
            household=self.household(),
            marriages=self.marriages(),
            schooling=self.schooling(),
            insurance=self.insurance(),
            judicial=self.judicial(),
            debts=self.debts(),
        )

    def pick(self, options: tuple[str, ...], byte: int) -> str:
        return options[self.digest[byte] % len(options)]

    def at_age(self, years: int) -> date:
        birth = self.resident.birth_date
        if (birth.month, birth.day) == (2, 29):
            birth = birth.replace(day=28)
        return birth.replace(year=birth.year + years)

    def household(self) -> Household:
        name = self.claimed_name
        if self.scenario is Scenario.name_mismatch:
            others = [n for n in OTHER_NAMES if n != self.claimed_name]
            name = others[self.digest[3] % len(others)]
        address = f"{self.resident.region_code} 人民路{self.digest[4] % 300 + 1}号"
        if self.scenario is not Scenario.id_cancelled:
            return Household(self.resident.number, name, address, "active")
        cancelled_on = self.today - timedelta(days=3 * 365)
        return Household(
            self.resident.number, name, address, "cancelled", cancelled_on, "重复登记注销"
        )

    def marriages(self) -> tuple[MaritalEvent, ...]:
        office = f"{self.resident.region_code} 婚姻登记处"
        wed_on = min(self.at_age(26), self.today - timedelta(days=800))
        wedding = MaritalEvent("married", wed_on, self.pick(OTHER_NAMES, 5), office)
        ending = {Scenario.divorced: "divorced", Scenario.widowed: "widowed"}
        if self.scenario is Scenario.married:
            return (wedding,)
        if self.scenario in ending:
            ended_on = wed_on + (self.today - wed_on) / 2
            ended = MaritalEvent(ending[self.scenario], ended_on, wedding.spouse_name, office)
            return (wedding, ended)
        return ()

    def schooling(self) -> tuple[Schooling, ...]:
        drawn = DEGREES.index(self.pick(DEGREE_DRAW, 0))
        path = [lvl for lvl in DEGREES[: drawn + 1] if drawn == 1 or lvl != "associate"]
        courses = tuple(
            Schooling(lvl, self.institution(lvl, 6 + i), self.pick(MAJORS, 7), graduated)
            for i, lvl in enumerate(path)
            if (graduated := self.at_age(GRADUATION_AGE[lvl])) <= self.today
        )
        if self.scenario is not Scenario.degree_unverified:
            return courses
        # A foreign degree above everything verified, still unconfirmed: keep the
        # verified path below doctorate so the pending one is always the highest.
        courses = tuple(c for c in courses if c.level != "doctorate")
        top = max((DEGREES.index(c.level) for c in courses), default=-1)
        level = "doctorate" if top >= DEGREES.index("master") else "master"
        pending = Schooling(level, "境外某大学", "工商管理", self.today - timedelta(days=90), False)
        return (*courses, pending)

    def institution(self, level: str, byte: int) -> str:
        options = {"high_school": HIGH_SCHOOLS, "associate": COLLEGES}.get(level, UNIVERSITIES)
        return self.pick(options, byte)

    def insurance(self) -> tuple[InsuranceSpell, ...]:
        if self.scenario is Scenario.no_insurance_record or self.resident.age_on(self.today) < 18:
            return ()
        latest_start = min(self.at_age(22), self.today - timedelta(days=60))
        first_job = max(self.at_age(18), latest_start, self.today - timedelta(days=6 * 365))
        switched = first_job + (self.today - first_job) / 2
        base = 6000 + self.digest[8] * 40
        return (
            InsuranceSpell(self.pick(EMPLOYERS, 9), first_job, switched, base),
            InsuranceSpell(self.pick(EMPLOYERS, 1), switched, None, base + 1500),
        )

    def judicial(self) -> tuple[JudicialRecord, ...]:
        if self.scenario is not Scenario.community_correction:
            return ()
        start, end = self.today - timedelta(days=120), self.today + timedelta(days=245)
        number = f"({self.today.year - 1})浙0106刑初{self.digest[10] * 7}号"
        return (JudicialRecord("community_correction", "某区人民法院", number, start, end),)

    def debts(self) -> tuple[DebtorListing, ...]:
        if self.scenario is not Scenario.dishonest_debtor:
            return ()
        number = f"({self.today.year - 2})浙0106执{self.digest[11] * 13}号"
        amount = 50_000 + self.digest[12] * 1_000
        return (DebtorListing("某区人民法院", number, amount, self.today - timedelta(days=400)),)
