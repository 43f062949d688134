"""What a signed-in worker sees of their own records (docs/workers.md "What a worker sees"):
each program's contributions month by month, the months missing or owed, the JHT balance with
each year's development return, JP months and the pension age, JKP eligibility today, claims.

PU months are what the employer paid for the worker (the lines of the employer's invoices for
the worker's membership); BPU months are the worker's own payments. A handful of queries per
page, whatever the length of the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from jamsos.billing.models import InvoiceLine, JhtEntry, JhtKind
from jamsos.claims.models import Claim
from jamsos.claims.services.records import facts_of
from jamsos.legal import parameters
from jamsos.legal.benefits import FIRST_DATE, YearlyReturn, jht_yearly_return, pension_age
from jamsos.legal.periods import Period
from jamsos.membership.models import Membership, Person
from jamsos.selfservice.models import OpeningBalance

PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKP")
JKP_CONDITIONS = "benefits.jkp.claim_conditions"
#: Segments that owe every month (a construction project is billed once, a migrant worker's
#: package for its term).
MONTHLY_SEGMENTS = frozenset({"PU", "BPU"})
#: The oldest pension age looked for (PP 45/2015: 65 from 2043).
LAST_PENSION_AGE = 70


@dataclass(frozen=True)
class MonthRow:
    """One month of one membership: what each program received, and whether it was paid."""

    period: str
    kpj: str
    segment: str
    amounts: dict[str, int]
    total_idr: int
    paid_on: date | None
    due_date: date | None
    overdue: bool


@dataclass(frozen=True)
class JhtYear:
    year: int
    contributions_idr: int
    returns_idr: int
    withdrawals_idr: int
    closing_idr: int
    rate: YearlyReturn


@dataclass(frozen=True)
class Pension:
    contribution_months: int
    age: int
    year: int


@dataclass(frozen=True)
class Jkp:
    covered: bool
    months_in_window: int
    window_months: int
    minimum_months: int
    consecutive_months: int
    minimum_consecutive: int
    eligible: bool


@dataclass
class Overview:
    person: Person
    today: date
    memberships: list[Membership]
    months: list[MonthRow]
    gaps: list[tuple[str, str]] = field(default_factory=list)
    arrears_idr: int = 0
    arrears: list[MonthRow] = field(default_factory=list)
    opening: OpeningBalance | None = None
    jht_years: list[JhtYear] = field(default_factory=list)
    jht_balance_idr: int = 0
    pension: Pension | None = None
    jkp: Jkp | None = None
    claims: list[Claim] = field(default_factory=list)

    @property
    def program_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(PROGRAMS, 0)
        for row in self.months:
            if row.paid_on is not None:
                for program, amount in row.amounts.items():
                    totals[program] += amount
        return totals


def _amounts(line: Mapping[str, Any]) -> dict[str, int]:
    return {
        "JKK": line["jkk_idr"] + line["package_idr"],
        "JKM": line["jkm_idr"],
        "JHT": line["jht_employer_idr"] + line["jht_worker_idr"],
        "JP": line["jp_employer_idr"] + line["jp_worker_idr"],
        "JKP": line["jkp_government_idr"],
    }


def _months(person: Person, today: date) -> list[MonthRow]:
    lines = (
        InvoiceLine.objects.filter(membership__person=person)
        .order_by("-period", "membership_id")
        .values(
            "period",
            "segment",
            "membership__kpj",
            "jkk_idr",
            "jkm_idr",
            "jht_employer_idr",
            "jht_worker_idr",
            "jp_employer_idr",
            "jp_worker_idr",
            "package_idr",
            "jkp_government_idr",
            "total_idr",
            "paid_on",
            "invoice__due_date",
        )
    )
    rows = []
    for line in lines:
        due = line["invoice__due_date"]
        rows.append(
            MonthRow(
                period=line["period"],
                kpj=line["membership__kpj"],
                segment=line["segment"],
                amounts=_amounts(line),
                total_idr=int(line["total_idr"]),
                paid_on=line["paid_on"],
                due_date=due,
                overdue=line["paid_on"] is None and due is not None and due < today,
            )
        )
    return rows


def _gaps(
    memberships: list[Membership], rows: list[MonthRow], today: date
) -> list[tuple[str, str]]:
    """(KPJ, period) of each month a membership ran through with no contribution billed nor
    paid, up to last month."""
    billed = {(r.kpj, r.period) for r in rows}
    last = Period.from_index(Period(today.year, today.month).index - 1)
    gaps = []
    for m in memberships:
        if m.segment not in MONTHLY_SEGMENTS:
            continue
        period = Period(m.start_date.year, m.start_date.month)
        end = last
        if m.end_date is not None:
            end = min(end, Period(m.end_date.year, m.end_date.month))
        while period <= end:
            if (m.kpj, str(period)) not in billed:
                gaps.append((m.kpj, str(period)))
            period = period.next()
    return sorted(gaps, key=lambda g: g[1], reverse=True)


def _jht(person: Person, opening: OpeningBalance | None) -> tuple[list[JhtYear], int]:
    by_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    entries = JhtEntry.objects.filter(person=person)
    if opening is not None:
        entries = entries.filter(booked_on__gt=opening.as_of)
    for year, kind, total in (
        entries.values_list("booked_on__year", "kind")
        .annotate(total=Sum("amount_idr"))
        .order_by("booked_on__year", "kind")
    ):
        by_year[int(year)][str(kind)] += int(total or 0)
    balance = opening.balance_idr if opening is not None else 0
    years = []
    for year in sorted(by_year):
        sums = by_year[year]
        balance += sum(sums.values())
        years.append(
            JhtYear(
                year=year,
                contributions_idr=sums[JhtKind.CONTRIBUTION],
                returns_idr=sums[JhtKind.RETURN],
                withdrawals_idr=-sums[JhtKind.CLAIM],
                closing_idr=balance,
                rate=jht_yearly_return(year),
            )
        )
    return years, balance


def pension_age_of(birth: date) -> tuple[int, int]:
    """(age, calendar year) at which a person born on ``birth`` reaches the JP pension age: the
    first age not below the pension age of the year it is reached (PP 45/2015 Pasal 15; a year
    before the program began reads the age it began with)."""
    for age in range(56, LAST_PENSION_AGE + 1):
        if age >= pension_age(max(birth.year + age, FIRST_DATE.year)):
            return age, birth.year + age
    return LAST_PENSION_AGE, birth.year + LAST_PENSION_AGE


def _jkp(person: Person, today: date) -> Jkp | None:
    found = parameters().find(JKP_CONDITIONS, today)
    if found is None:
        return None
    rule = found.value
    facts = facts_of(person, "JKP", today)
    months = facts.months_in_last_24
    eligible = (
        facts.covered
        and months >= int(rule["min_contribution_months"])
        and facts.consecutive_months >= int(rule["min_consecutive_months"])
    )
    return Jkp(
        covered=facts.covered,
        months_in_window=months,
        window_months=int(rule["window_months"]),
        minimum_months=int(rule["min_contribution_months"]),
        consecutive_months=facts.consecutive_months,
        minimum_consecutive=int(rule["min_consecutive_months"]),
        eligible=eligible,
    )


def worker_overview(person: Person, today: date) -> Overview:
    """Everything the worker's page and statement show, for ``person`` on ``today``."""
    memberships = list(Membership.objects.filter(person=person).order_by("-start_date", "-id"))
    months = _months(person, today)
    opening = OpeningBalance.objects.filter(person=person).first()
    years, balance = _jht(person, opening)
    jp_months = len({r.period for r in months if r.paid_on is not None and r.amounts["JP"] > 0})
    age, year = pension_age_of(person.birth_date)
    arrears = [r for r in months if r.overdue]
    return Overview(
        person=person,
        today=today,
        memberships=memberships,
        months=months,
        gaps=_gaps(memberships, months, today),
        arrears=arrears,
        arrears_idr=sum(r.total_idr for r in arrears),
        opening=opening,
        jht_years=years,
        jht_balance_idr=balance,
        pension=Pension(contribution_months=jp_months, age=age, year=year),
        jkp=_jkp(person, today),
        claims=list(Claim.objects.filter(person=person).order_by("-submitted_at", "-id")[:50]),
    )
