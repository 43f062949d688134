"""What the records say about a claim: coverage, paid months, wage, age, balance, earlier
claims (docs/claims.md "Eligibility"). These facts feed the legal engine's ``BenefitRequest``.

Paid months are billing's: an :class:`~jamsos.billing.models.InvoiceLine` (one member, one
month) with ``paid_on`` set is a month paid; a month counts once whatever the number of
memberships. Everything here is a handful of aggregate queries per claim.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce

from jamsos.billing.models import InvoiceLine
from jamsos.billing.services.jht import jht_balance
from jamsos.claims.rules import add_months
from jamsos.membership.models import Membership, Person, WageReport, programs_from_text

#: JKP covers PU members who hold these programs (PP 37/2021 Ps. 2; jkp.required_programs).
JKP_NEEDS = frozenset({"JKK", "JKM", "JHT"})


def covers(membership: Membership, program: str) -> bool:
    programs = {str(p) for p in programs_from_text(membership.programs)}
    if program == "JKP":
        return membership.segment == "PU" and programs >= JKP_NEEDS
    return program in programs


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass
class Facts:
    """The record-based facts of one claim, kept on the claim (``Claim.eligibility``)."""

    membership_id: int | None
    kpj: str
    segment: str
    covered: bool
    membership_start: str | None
    membership_months: int
    contribution_months: int
    months_in_last_24: int
    wage_idr: int
    average_wage_idr: int
    age: int
    birth_date: str
    balance_idr: int
    jp_balance_idr: int = 0
    consecutive_months: int = 0
    employer_id: int | None = None
    branch_office_id: int | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def membership_for(person: Person, program: str, on: date) -> Membership | None:
    """The membership that covers ``program`` for ``person`` on ``on`` (JHT and an old-age
    pension: any membership begun by then, the savings and the years stay after it ends)."""
    rows = list(
        Membership.objects.filter(person=person, start_date__lte=on)
        .select_related("employer")
        .order_by("-start_date", "-id")
    )
    lasting = program == "JHT" or program == "JP"
    for m in rows:
        if not covers(m, program):
            continue
        if lasting or m.end_date is None or m.end_date >= on:
            return m
    return None


def facts_of(person: Person, program: str, on: date) -> Facts:
    """Facts for a claim of ``program`` for an event on ``on``."""
    membership = membership_for(person, program, on)
    paid = InvoiceLine.objects.filter(
        membership__person=person, paid_on__isnull=False, period__lte=period_of(on)
    )
    months = paid.aggregate(
        n=Count("period", distinct=True),
        avg=Avg(Coalesce("capped_base_idr", "base_idr")),
        jp=Sum(F("jp_employer_idr") + F("jp_worker_idr")),
    )
    periods = sorted(set(paid.values_list("period", flat=True)), reverse=True)
    window_start = period_of(add_months(on, -24))
    in_24 = paid.filter(period__gt=window_start).aggregate(n=Count("period", distinct=True))["n"]
    wage = 0
    start: date | None = None
    employer_id = office_id = None
    if membership is not None:
        report = (
            WageReport.objects.filter(membership=membership, period__lte=period_of(on))
            .order_by("-period", "-reported_at")
            .first()
        )
        if report is not None:
            wage = report.wage_idr
        elif membership.declared_income_idr:
            wage = membership.declared_income_idr
        else:
            last = paid.filter(membership=membership).order_by("-period").first()
            wage = last.base_idr if last else 0
        start = (
            Membership.objects.filter(person=person, start_date__lte=on)
            .order_by("start_date")
            .values_list("start_date", flat=True)
            .first()
        )
        employer_id = membership.employer_id
        office_id = membership.branch_office_id or (
            membership.employer.branch_office_id if membership.employer else None
        )
    since = 0
    if start is not None:
        since = (on.year - start.year) * 12 + on.month - start.month + 1
    return Facts(
        membership_id=membership.pk if membership else None,
        kpj=membership.kpj if membership else "",
        segment=membership.segment if membership else "",
        covered=membership is not None,
        membership_start=start.isoformat() if start else None,
        membership_months=max(since, 0),
        contribution_months=int(months["n"] or 0),
        months_in_last_24=int(in_24 or 0),
        wage_idr=int(wage),
        average_wage_idr=round(months["avg"] or 0),
        age=age_on(person.birth_date, on),
        birth_date=person.birth_date.isoformat(),
        balance_idr=jht_balance(person) if program == "JHT" else 0,
        jp_balance_idr=int(months["jp"] or 0),
        consecutive_months=consecutive_before(periods, on),
        employer_id=employer_id,
        branch_office_id=office_id,
    )


def consecutive_before(periods_desc: list[str], on: date) -> int:
    """Months paid in a row up to the month of ``on`` (or the month before it)."""
    if not periods_desc:
        return 0
    expected = period_of(on)
    if periods_desc[0] != expected:
        expected = period_of(add_months(date(on.year, on.month, 1), -1))
    count = 0
    for period in periods_desc:
        if period != expected:
            break
        count += 1
        year, month = int(period[:4]), int(period[5:])
        expected = period_of(add_months(date(year, month, 1), -1))
    return count


def earlier_claims(person: Person, program: str) -> Q:
    """Claims of the person for the program that count (anything not rejected)."""
    return Q(person=person, program=program) & ~Q(status="rejected")
