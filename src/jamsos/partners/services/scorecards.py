"""The partner scorecard (docs/partners/agreements.md, "Scorecard"): aggregates only, no names.

For each partner, over the memberships whose ``partner_ref`` is the partner's code (started
between ``since`` and ``until`` when given), with ``L`` the latest month whose payments are
known: the latest month of a finished billing run in which at least one line is paid (right
after a new billing run nobody has paid the new month yet, and counting it would show every
partner at 0 active); the latest billed month when nothing is paid at all. The page names
``L``:

- **enrolled**: how many memberships;
- **active**: those whose invoice line for ``L`` is paid (``InvoiceLine.paid_on``, ADR 0104);
- **paying rate after 3 months**: of the memberships that started at least 3 months before
  ``L`` (start month <= L - 3, so their third month, start month + 2, was billed at least a
  month before ``L``), the share whose line for that third month is paid; None when none is
  that old or nothing is billed;
- **cost per enrolment**: over the partner's own agreements with a known budget
  (``budget_idr``), the sum of the budgets divided by the memberships attributed to those
  agreements (agreement rule, :mod:`.attribution`), rounded half up to whole rupiah; None when
  no budget is known or nothing is attributed.

Two queries whatever the number of partners: one grouped over memberships, one over the
budgeted agreements' attributions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth

from jamsos.billing.models import BillingRun, InvoiceLine, RunStatus
from jamsos.legal.periods import Period
from jamsos.membership.models import Membership
from jamsos.partners.models import Agreement, Partner
from jamsos.partners.services.attribution import (
    _rows,
    _t,
    attributed_counts,
    latest_billed_period,
    month_sql,
)

#: A membership's paying rate is read at its third month (start month + 2).
PAYING_MONTH_OFFSET = 2
#: ... once the latest billed month is at least this many months after its start month.
PAYING_MIN_AGE_MONTHS = 3


@dataclass(frozen=True)
class Scorecard:
    partner_id: int
    code: str
    name: str
    kind: str
    period: str | None  # L, the latest month with payments known
    enrolled: int
    active: int
    eligible_3m: int
    paid_3m: int
    budget_idr: int | None
    budget_enrolled: int
    billed_period: str | None = None  # the latest billed month (may be after L)

    @property
    def paying_rate_3m(self) -> Decimal | None:
        if not self.eligible_3m:
            return None
        return Decimal(self.paid_3m) / Decimal(self.eligible_3m)

    @property
    def active_rate(self) -> Decimal | None:
        if not self.enrolled:
            return None
        return Decimal(self.active) / Decimal(self.enrolled)

    @property
    def cost_per_enrolment_idr(self) -> int | None:
        if not self.budget_idr or not self.budget_enrolled:
            return None
        return (2 * self.budget_idr + self.budget_enrolled) // (2 * self.budget_enrolled)

    def as_dict(self) -> dict[str, Any]:
        rate = self.paying_rate_3m
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "period": self.period,
            "enrolled": self.enrolled,
            "active": self.active,
            "eligible_3m": self.eligible_3m,
            "paid_3m": self.paid_3m,
            "paying_rate_3m": None if rate is None else str(rate.quantize(Decimal("0.0001"))),
            "budget_idr": self.budget_idr,
            "budget_enrolled": self.budget_enrolled,
            "cost_per_enrolment_idr": self.cost_per_enrolment_idr,
        }


def latest_settled_period(billed: str | None) -> str | None:
    """The latest month, up to ``billed``, of a finished billing run with at least one paid
    line (one query on the lines' period/paid index); ``billed`` when none is paid."""
    if billed is None:
        return None
    runs = BillingRun.objects.filter(status=RunStatus.FINISHED).values("period")
    known: str | None = InvoiceLine.objects.filter(
        paid_on__isnull=False, period__lte=billed, period__in=runs
    ).aggregate(known=Max("period"))["known"]
    return known or billed


def scorecards(
    partners: Iterable[Partner], *, since: date | None = None, until: date | None = None
) -> list[Scorecard]:
    """The scorecard of each partner, in the order given."""
    partner_list = list(partners)
    if not partner_list:
        return []
    billed = latest_billed_period()
    period = latest_settled_period(billed)
    cutoff = (
        str(Period.from_index(Period.parse(period).index - PAYING_MIN_AGE_MONTHS)) if period else ""
    )
    codes = sorted({p.code for p in partner_list})
    m, line = _t(Membership), _t(InvoiceLine)
    start = month_sql("m.start_date")
    third = month_sql("m.start_date", PAYING_MONTH_OFFSET)
    where = [f"m.partner_ref IN ({', '.join(['%s'] * len(codes))})"]
    params: list[Any] = [period or "", cutoff, cutoff]
    params_where: list[Any] = list(codes)
    if since:
        where.append("m.start_date >= %s")
        params_where.append(since)
    if until:
        where.append("m.start_date <= %s")
        params_where.append(until)
    sql = f"""
        SELECT m.partner_ref, COUNT(*),
               SUM(CASE WHEN EXISTS (SELECT 1 FROM {line} l WHERE l.membership_id = m.id
                                        AND l.period = %s AND l.paid_on IS NOT NULL)
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN {start} <= %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN {start} <= %s AND EXISTS (
                        SELECT 1 FROM {line} l3 WHERE l3.membership_id = m.id
                           AND l3.period = {third} AND l3.paid_on IS NOT NULL)
                        THEN 1 ELSE 0 END)
          FROM {m} m
         WHERE {" AND ".join(where)}
         GROUP BY m.partner_ref
    """
    figures = {
        str(code): (int(n), int(a or 0), int(e or 0), int(p or 0))
        for code, n, a, e, p in _rows(sql, params + params_where)
    }
    budgeted = list(
        Agreement.objects.filter(partner__in=partner_list, budget_idr__isnull=False).values_list(
            "pk", "partner_id", "budget_idr"
        )
    )
    attributed = attributed_counts([pk for pk, _, _ in budgeted]) if budgeted else {}
    budgets: dict[int, int] = {}
    budget_enrolled: dict[int, int] = {}
    for pk, partner_id, budget in budgeted:
        budgets[partner_id] = budgets.get(partner_id, 0) + (budget or 0)  # never null: filtered
        budget_enrolled[partner_id] = budget_enrolled.get(partner_id, 0) + attributed.get(pk, 0)
    out = []
    for p in partner_list:
        n, active, eligible, paid = figures.get(p.code, (0, 0, 0, 0))
        out.append(
            Scorecard(
                partner_id=p.pk,
                code=p.code,
                name=p.name,
                kind=p.kind,
                period=period,
                enrolled=n,
                active=active if period else 0,
                eligible_3m=eligible if period else 0,
                paid_3m=paid if period else 0,
                budget_idr=budgets.get(p.pk),
                budget_enrolled=budget_enrolled.get(p.pk, 0),
                billed_period=billed,
            )
        )
    return out


def partner_enrolments_by_month(partner: Partner) -> list[tuple[str, int]]:
    """``[(YYYY-MM, memberships started)]`` of the partner's memberships, oldest first."""
    rows = (
        Membership.objects.filter(partner_ref=partner.code)
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(r["month"].strftime("%Y-%m"), int(r["n"])) for r in rows]
