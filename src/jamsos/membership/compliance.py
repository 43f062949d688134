"""Employers held to the law: the list a branch officer follows (docs/registry/compliance.md).

One selector, :func:`employer_compliance`, called by the page, the API and the CLI. For one
contribution month and the months before it, it finds in the caller's scope the employers that

- ``few_workers``: report fewer active wage earners than their declared size implies
  (``legal/parameters/compliance/size_min_workers.yaml``);
- ``programs_missing``: have active wage earners without a program their size makes mandatory
  (``legal/parameters/programs/mandatory.yaml``, Perpres 109/2013 Pasal 6);
- ``below_minimum``: reported wages below the regional minimum for the month (UMK of the
  employer's regency, else UMP of its province; micro and small enterprises exempt), and those
  whose region has no known minimum (``minimum_unknown``, never a pass);
- ``months_not_reported``: had active wage earners in a month of the window and reported no
  wage for it.

Every count is one grouped query over all the employers in scope (a handful of queries in all,
whatever their number); only the assembly per employer is Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q, QuerySet

from jamsos.access.scope import Scope
from jamsos.legal.minimum_wage import Basis, exempt_sizes, minimum_wage, minimum_wage_spans
from jamsos.legal.params import parameters
from jamsos.legal.periods import Period
from jamsos.legal.types import Segment
from jamsos.membership.models import Employer, Membership, Status, WageReport
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import employers_visible

#: The most months looked back for months not reported.
MONTHS_MAX = 12


class Problem(StrEnum):
    FEW_WORKERS = "few_workers"
    PROGRAMS_MISSING = "programs_missing"
    BELOW_MINIMUM = "below_minimum"
    MINIMUM_UNKNOWN = "minimum_unknown"
    MONTHS_NOT_REPORTED = "months_not_reported"


@dataclass
class ComplianceRow:
    """One employer and what it falls short of."""

    employer_id: int
    npp: str
    legal_name: str
    size: str
    branch_office: str
    province_code: str
    regency_code: str
    workers: int = 0
    workers_expected: int = 0
    programs_missing: dict[str, int] = field(default_factory=dict)
    below_minimum: int = 0
    minimum_basis: str = ""
    months_not_reported: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ComplianceFilter:
    period: Period
    months: int = 3
    problem: str = ""
    search: str = ""
    branch_office: str = ""


def latest_reported_period(scope: Scope) -> Period | None:
    """The latest month with a wage reported by an employer in scope (the list's default)."""
    MEMBERSHIP.require(scope, "compliance.view")
    latest = (
        WageReport.objects.filter(membership__employer__in=employers_visible(scope))
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.parse(latest) if latest else None


def _employers(scope: Scope, f: ComplianceFilter) -> QuerySet[Employer]:
    query = employers_visible(scope)
    if f.search:
        query = query.filter(Q(legal_name__icontains=f.search) | Q(npp__startswith=f.search))
    if f.branch_office:
        query = query.filter(branch_office__code=f.branch_office)
    return query


def _active_in(period: Period) -> Q:
    return Q(
        segment=Segment.PU.value,
        start_date__lte=period.last_day,
    ) & (Q(end_date__isnull=True) | Q(end_date__gte=period.first_day))


def _below_minimum_q(period: Period, exempt: tuple[str, ...]) -> Q | None:
    """Wage reports under the minimum of their employer's region in ``period``, as one filter."""
    on = period.first_day
    umk: dict[str, object] = {}
    ump: dict[str, object] = {}
    for span in minimum_wage_spans():
        if span.since <= on < span.until:
            (umk if span.basis is Basis.UMK else ump)[span.region_code] = span.amount
    village = "membership__employer__address_village__"
    parts = [
        Q(**{f"{village}regency_code": code, "wage_idr__lt": amount})
        for code, amount in umk.items()
    ]
    parts += [
        Q(**{f"{village}province_code": code, "wage_idr__lt": amount})
        & ~Q(**{f"{village}regency_code__in": list(umk)})
        for code, amount in ump.items()
    ]
    if not parts:
        return None
    below = parts[0]
    for part in parts[1:]:
        below |= part
    return below & ~Q(membership__employer__size__in=exempt)


def employer_compliance(scope: Scope, f: ComplianceFilter) -> list[ComplianceRow]:
    """The employers in scope with at least one problem (``f.problem`` keeps one kind)."""
    MEMBERSHIP.require(scope, "compliance.view")
    period = f.period
    on = period.first_day
    params = parameters()
    employers = _employers(scope, f)
    rows: dict[int, ComplianceRow] = {
        pk: ComplianceRow(pk, npp, name, size, office, province, regency)
        for pk, npp, name, size, office, province, regency in employers.values_list(
            "pk",
            "npp",
            "legal_name",
            "size",
            "branch_office__code",
            "address_village__province_code",
            "address_village__regency_code",
        )
    }
    if not rows:
        return []
    in_scope = Q(employer__in=employers)
    active = Membership.objects.filter(in_scope, _active_in(period), status=Status.ACTIVE)
    # Workers, and those without each program their employer's size makes mandatory.
    mandatory = params.get("programs.mandatory", on).value
    required = sorted(
        {p for size in ("micro", "small", "medium", "large") for p in mandatory[f"PU_{size}"]}
    )
    counts = {"workers": Count("pk")}
    counts |= {f"without_{p}": Count("pk", filter=~Q(programs__contains=p)) for p in required}
    for values in active.values("employer_id").annotate(**counts):
        row = rows[values["employer_id"]]
        row.workers = values["workers"]
        for program in mandatory[f"PU_{row.size}"]:
            if values[f"without_{program}"]:
                row.programs_missing[program] = values[f"without_{program}"]
    # Wages below the minimum in the month.
    exempt = exempt_sizes(on, params)
    below_q = _below_minimum_q(period, exempt)
    if below_q is not None:
        below = (
            WageReport.objects.filter(
                Q(membership__employer__in=employers),
                period=str(period),
                membership__segment=Segment.PU.value,
            )
            .filter(below_q)
            .values("membership__employer_id")
            .annotate(n=Count("pk"))
        )
        for values in below:
            rows[values["membership__employer_id"]].below_minimum = values["n"]
    # Months not reported: active wage earners in the month, and no wage reported for it.
    months = max(1, min(f.months, MONTHS_MAX))
    window = [Period.from_index(period.index - k) for k in range(months - 1, -1, -1)]
    reported: dict[str, set[int]] = defaultdict(set)
    for employer_id, month in (
        WageReport.objects.filter(
            membership__employer__in=employers, period__in=[str(p) for p in window]
        )
        .values_list("membership__employer_id", "period")
        .distinct()
    ):
        reported[month].add(employer_id)
    for month in window:
        with_workers = set(
            Membership.objects.filter(in_scope, _active_in(month))
            .values_list("employer_id", flat=True)
            .distinct()
        )
        for employer_id in with_workers - reported[str(month)]:
            rows[employer_id].months_not_reported.append(str(month))
    # Size expectations and the verdicts.
    expected = params.get("compliance.size_min_workers", on).value
    found: list[ComplianceRow] = []
    for row in rows.values():
        row.workers_expected = expected[row.size]
        if row.workers < row.workers_expected:
            row.problems.append(Problem.FEW_WORKERS)
        if row.programs_missing:
            row.problems.append(Problem.PROGRAMS_MISSING)
        if row.size in exempt:
            row.minimum_basis = Basis.EXEMPT.value
        else:
            minimum = minimum_wage(
                province_code=row.province_code, regency_code=row.regency_code, on=on
            )
            row.minimum_basis = minimum.basis.value
            if minimum.basis is Basis.UNKNOWN and row.workers:
                row.problems.append(Problem.MINIMUM_UNKNOWN)
        if row.below_minimum:
            row.problems.append(Problem.BELOW_MINIMUM)
        if row.months_not_reported:
            row.problems.append(Problem.MONTHS_NOT_REPORTED)
        if row.problems and (not f.problem or f.problem in row.problems):
            found.append(row)
    found.sort(key=lambda r: (-len(r.problems), r.legal_name, r.npp))
    return found


def compliance_rows_for_export(rows: list[ComplianceRow]) -> list[tuple[object, ...]]:
    """The rows as an export writes them (numbers stay numbers)."""
    return [
        (
            r.npp,
            r.legal_name,
            r.size,
            r.branch_office,
            r.regency_code,
            r.workers,
            r.workers_expected,
            ", ".join(f"{p} ({n})" for p, n in r.programs_missing.items()),
            r.below_minimum,
            r.minimum_basis,
            ", ".join(r.months_not_reported),
            ", ".join(p.value for p in r.problems),
        )
        for r in rows
    ]


EXPORT_HEADER = (
    "npp",
    "legal_name",
    "size",
    "branch_office",
    "regency_code",
    "workers",
    "workers_expected",
    "programs_missing",
    "wages_below_minimum",
    "minimum_basis",
    "months_not_reported",
    "problems",
)

__all__ = [
    "EXPORT_HEADER",
    "ComplianceFilter",
    "ComplianceRow",
    "Problem",
    "compliance_rows_for_export",
    "employer_compliance",
    "latest_reported_period",
]
