"""JHT accounts: balances, yearly statements, and the yearly development return (ADR 0104).

Each paid month's JHT is credited to the person's account by the payments side
(:class:`~jamsos.billing.models.JhtEntry` of kind ``contribution``, one per line). Once a year the
declared development return (``jht.development_return``) is credited here, to every account at
once: ``rate x opening balance + rate x each contribution booked in the year x (12 - m) / 12``,
``m`` being the month it was booked, rounded half up once per person. BPJS's crediting rules
(PERDIR 3/PERDIR.03/022023) were not read; this method is the documented assumption
(docs/billing/jht.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.errors import JhtReturnDone, JhtReturnUnknown
from jamsos.billing.models import JhtEntry, JhtKind
from jamsos.billing.policy import BILLING
from jamsos.legal import parameters
from jamsos.legal.money import rate_ppm
from jamsos.legal.params import RATE_SCALE
from jamsos.membership.models import Person

RETURN_PARAMETER = "jht.development_return"
CREDIT_RETURN = {"id": "mengkreditkan hasil pengembangan JHT", "en": "credit the JHT return"}


def development_return_idr(*, opening_idr: int, weighted_idr_months: int, rate: Decimal) -> int:
    """The year's return of one account, whole rupiah, rounded half up once.

    ``weighted_idr_months`` is the sum over the year's contributions of ``amount x (12 - m)``
    (``m`` = 1..12, the month booked): a contribution booked in March earns nine twelfths of
    the rate, one booked in December none. Exact integer arithmetic: the rate in millionths,
    one division at the end.

    >>> rate = Decimal("0.0719")
    >>> development_return_idr(opening_idr=10_000_000, weighted_idr_months=0, rate=rate)
    719000
    >>> development_return_idr(opening_idr=0, weighted_idr_months=285_000 * 9, rate=rate)
    15369
    """
    numerator = rate_ppm(rate) * (12 * opening_idr + weighted_idr_months)
    denominator = 12 * RATE_SCALE
    return (numerator + denominator // 2) // denominator


def return_rate(year: int) -> tuple[Decimal, str]:
    """The declared return for ``year`` and its source; refuses a year with no figure."""
    found = parameters().find(RETURN_PARAMETER, date(year, 1, 1))
    if found is None or found.value is None:
        raise JhtReturnUnknown(year=year)
    return Decimal(found.value), found.reference_text


# --- balances and statements -------------------------------------------------------------------


def jht_balance(person: Person | int, on: date | None = None) -> int:
    """The person's JHT balance: everything credited up to ``on`` (everything, by default)."""
    entries = JhtEntry.objects.filter(person=person)
    if on is not None:
        entries = entries.filter(booked_on__lte=on)
    return int(entries.aggregate(total=Coalesce(Sum("amount_idr"), 0))["total"])


@dataclass(frozen=True)
class JhtStatement:
    """A person's JHT account over a year (or over its whole life when ``year`` is None)."""

    person: Person
    year: int | None
    opening_idr: int
    entries: list[JhtEntry]
    closing_idr: int
    contributions_idr: int
    returns_idr: int

    @property
    def first_day(self) -> date | None:
        return date(self.year, 1, 1) if self.year else None


def jht_statement(person: Person, year: int | None = None) -> JhtStatement:
    """Opening balance, the entries booked in ``year``, and the closing balance (three queries:
    the opening sum, the entries, nothing else)."""
    entries = JhtEntry.objects.filter(person=person)
    opening = 0
    if year is not None:
        opening = int(
            entries.filter(booked_on__lt=date(year, 1, 1)).aggregate(
                total=Coalesce(Sum("amount_idr"), 0)
            )["total"]
        )
        entries = entries.filter(booked_on__gte=date(year, 1, 1), booked_on__lte=date(year, 12, 31))
    rows = list(entries.order_by("booked_on", "id"))
    contributions = sum(e.amount_idr for e in rows if e.kind == JhtKind.CONTRIBUTION)
    returns = sum(e.amount_idr for e in rows if e.kind == JhtKind.RETURN)
    return JhtStatement(
        person=person,
        year=year,
        opening_idr=opening,
        entries=rows,
        closing_idr=opening + sum(e.amount_idr for e in rows),
        contributions_idr=contributions,
        returns_idr=returns,
    )


# --- the yearly return -------------------------------------------------------------------------


@dataclass(frozen=True)
class JhtReturnSummary:
    year: int
    rate: Decimal
    reference: str
    accounts: int
    credited: int
    amount_idr: int


@transaction.atomic
def jht_return_credit(year: int, *, by: Scope) -> JhtReturnSummary:
    """Credit ``year``'s declared return to every JHT account, booked on 31 December.

    Refuses a year with no declared figure (:class:`JhtReturnUnknown`) and a year already
    credited (:class:`JhtReturnDone`; the unique (person, period) of returns backs this up).
    Set-based: one ``INSERT .. SELECT`` aggregates each person's opening balance and weighted
    contributions and writes the return entries, with the arithmetic of
    :func:`development_return_idr` in SQL integers (no row goes through Python). Administrators
    only; audited.
    """
    BILLING.require(by, "jht.credit_return")
    rate, reference = return_rate(year)
    period = f"{year:04d}-12"
    if JhtEntry.objects.filter(kind=JhtKind.RETURN, period=period).exists():
        raise JhtReturnDone(year=year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_year = Q(booked_on__gte=first, kind=JhtKind.CONTRIBUTION)
    weight = Case(
        When(in_year, then=F("amount_idr") * (Value(12) - ExtractMonth("booked_on"))),
        default=Value(0),
        output_field=BigIntegerField(),
    )
    accounts = (
        JhtEntry.objects.filter(booked_on__lte=last)
        .values("person_id")
        .annotate(
            opening=Coalesce(Sum("amount_idr", filter=Q(booked_on__lt=first)), 0),
            weighted=Coalesce(Sum(weight), 0),
        )
        .order_by()
    )
    select_sql, select_params = accounts.query.sql_with_params()
    denominator = 12 * RATE_SCALE
    text = f"{reference}: {rate * 100}%"[:200]
    table = JhtEntry._meta.db_table
    # (ppm x (12 x opening + weighted) + den / 2) div den: round half up, every term >= 0. The
    # sums are cast to BIGINT so that PostgreSQL divides integers, as SQLite does.
    sql = f"""
        INSERT INTO {table} (person_id, kind, period, line_id, amount_idr, booked_on, reference)
        SELECT person_id, %s, %s, NULL, amount, %s, %s FROM (
            SELECT a.person_id AS person_id,
                   (%s * (12 * CAST(a.opening AS BIGINT) + CAST(a.weighted AS BIGINT)) + %s)
                   / %s AS amount
              FROM ({select_sql}) a
        ) returns
         WHERE amount > 0
    """
    day = connection.ops.adapt_datefield_value(last)
    params = [JhtKind.RETURN.value, period, day, text, rate_ppm(rate), denominator // 2]
    params += [denominator, *select_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    credited = JhtEntry.objects.filter(kind=JhtKind.RETURN, period=period).aggregate(
        n=Count("id"), total=Coalesce(Sum("amount_idr"), 0)
    )
    seen = JhtEntry.objects.filter(booked_on__lte=last).values("person_id").distinct().count()
    audit_record(
        by,
        AuditAction.CREATE,
        target_type="billing.jhtentry",
        target_id=period,
        label=f"JHT return {year}",
        detail={"rate": str(rate), "accounts": credited["n"], "amount_idr": credited["total"]},
    )
    return JhtReturnSummary(
        year=year,
        rate=rate,
        reference=reference,
        accounts=seen,
        credited=int(credited["n"]),
        amount_idr=int(credited["total"]),
    )
