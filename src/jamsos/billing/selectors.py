"""Reading billing within the caller's scope: payers, invoices, payments, arrears, lapsed members.

Every function takes the caller's :class:`~jamsos.access.scope.Scope` first, like
:mod:`jamsos.membership.selectors`, and returns only what that scope may see:

- administrator: everything;
- branch officer: payers whose ``branch_office`` is theirs, and what belongs to them;
- employer user: their employer's payer;
- worker: their own payer (a participant paying for themselves);
- partner user: the participant payers of the people they registered, and the sponsor payer
  whose reference is their own;
- analyst and a user without a role: no payer (the analyst reads aggregates: run totals).

A record outside the scope raises the same not-found error as a missing one, so that a guessed
invoice number or payer id tells nothing. Arrears and lapsed members are computed set-based:
one grouped query, never a loop over payers or memberships (docs/billing/pages.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.billing.errors import (
    BadChoice,
    FilterBadVillage,
    FilterNotNumber,
    FilterRange,
    InvoiceNotFound,
    PayerNotFound,
    PeriodNotBilled,
    VirtualAccountUnknown,
)
from jamsos.billing.models import (
    ArrearsCase,
    BillingRun,
    CaseContact,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    Payer,
    PayerKind,
    Payment,
    PaymentPromise,
    RunReject,
    RunStatus,
)
from jamsos.billing.policy import BILLING
from jamsos.legal import parameters
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice, Membership, Status
from jamsos.membership.selectors import memberships_visible

#: Arrears buckets by days past the due date: (key, first day, last day or None).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("d0_30", 1, 30),
    ("d31_60", 31, 60),
    ("d61_90", 61, 90),
    ("d90_plus", 91, None),
)
BUCKET_KEYS = tuple(key for key, _first, _last in BUCKETS)


@dataclass(frozen=True)
class ArrearsFilter:
    """What the follow-up list is narrowed to. Office, payer kind and village narrow the payers
    (a village is the employer's address or the participant's domicile, by Kemendagri code);
    the amount range (whole rupiah, inclusive) and the age band (a :data:`BUCKETS` key: the age
    of the payer's oldest overdue amount) narrow the grouped rows. Empty: no narrowing."""

    office_id: int | None = None
    kind: str = ""
    village_code: str = ""
    min_idr: int | None = None
    max_idr: int | None = None
    band: str = ""
    #: Only the cases assigned to this user.
    assigned_to: int | None = None

    def payer_q(self) -> Q:
        q = Q()
        if self.assigned_to is not None:
            q &= Q(arrears_case__assigned_to_id=self.assigned_to)
        if self.office_id is not None:
            q &= Q(branch_office_id=self.office_id)
        if self.kind:
            q &= Q(kind=self.kind)
        if self.village_code:
            q &= Q(employer__address_village__code=self.village_code) | Q(
                person__domicile__code=self.village_code
            )
        return q

    @property
    def narrows_payers(self) -> bool:
        return (
            self.office_id is not None
            or bool(self.kind)
            or bool(self.village_code)
            or self.assigned_to is not None
        )

    @property
    def narrows_rows(self) -> bool:
        return self.min_idr is not None or self.max_idr is not None or bool(self.band)

    def having(self, as_of: date) -> tuple[str, list[Any]]:
        """The HAVING conditions (after ``SUM(amount) > 0``) and their parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.min_idr is not None:
            parts.append("SUM(amount) >= %s")
            params.append(self.min_idr)
        if self.max_idr is not None:
            parts.append("SUM(amount) <= %s")
            params.append(self.max_idr)
        for key, first, last in BUCKETS:
            if key != self.band:
                continue
            parts.append("MIN(due) <= %s")
            params.append(_as_sql_date(as_of - timedelta(days=first)))
            if last is not None:
                parts.append("MIN(due) >= %s")
                params.append(_as_sql_date(as_of - timedelta(days=last)))
        return "".join(f" AND {part}" for part in parts), params


NO_FILTER = ArrearsFilter()

#: The payer kinds of the follow-up list's filter, by the word the pages, the API and the CLI use.
KIND_FILTER = {
    "pemberi_kerja": PayerKind.EMPLOYER.value,
    "bpu": PayerKind.PARTICIPANT.value,
    "penyandang": PayerKind.SPONSOR.value,
}

#: The filter's fields by their query-string names (the pages' words; the API and CLI map theirs).
FILTER_FIELDS = ("kantor", "jenis", "desa", "min", "maks", "umur", "petugas")


def _filter_amount(text: str | None, field: str) -> int | None:
    value = (text or "").strip().replace(".", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 15:
        raise FilterNotNumber(field=field, value=value[:20])
    return int(value)


def arrears_filter_parse(values: Mapping[str, str | None], *, user_id: int | None) -> ArrearsFilter:
    """The follow-up list's filter from text values keyed by :data:`FILTER_FIELDS`: the query
    string of the page, or the API's and the CLI's options under those names. A wrong value is
    a billing refusal naming the field; nothing else is read."""
    office_id: int | None = None
    office = (values.get("kantor") or "").strip()
    if office:
        found = BranchOffice.objects.filter(code=office.upper()).values_list("pk", flat=True)
        if not found:
            raise BadChoice(field="office", value=office[:12])
        office_id = found[0]
    kind_text = (values.get("jenis") or "").strip()
    if kind_text and kind_text not in KIND_FILTER:
        raise BadChoice(field="payer_kind", value=kind_text[:20])
    band = (values.get("umur") or "").strip()
    if band and band not in BUCKET_KEYS:
        raise BadChoice(field="age_band", value=band[:20])
    village = (values.get("desa") or "").strip()
    if village and not all(part.isdigit() for part in village.split(".")):
        raise FilterBadVillage(value=village[:20])
    low = _filter_amount(values.get("min"), "min_amount")
    high = _filter_amount(values.get("maks"), "max_amount")
    if low is not None and high is not None and low > high:
        raise FilterRange()
    return ArrearsFilter(
        office_id=office_id,
        kind=KIND_FILTER.get(kind_text, ""),
        village_code=village,
        min_idr=low,
        max_idr=high,
        band=band,
        assigned_to=user_id if values.get("petugas") == "saya" else None,
    )


# --- scope filters -----------------------------------------------------------------------------


def payers_visible(scope: Scope) -> QuerySet[Payer]:
    """The payers the scope may see."""
    query = Payer.objects.all()
    role = scope.role
    if role == Role.ADMIN:
        return query
    if role == Role.BRANCH_OFFICER and scope.branch_office_id:
        return query.filter(branch_office_id=scope.branch_office_id)
    if role == Role.EMPLOYER_USER and scope.employer_id:
        return query.filter(kind=PayerKind.EMPLOYER, employer_id=scope.employer_id)
    if role == Role.WORKER and scope.person_id:
        return query.filter(kind=PayerKind.PARTICIPANT, person_id=scope.person_id)
    if role == Role.PARTNER_USER and scope.partner_ref:
        registered = Membership.objects.filter(
            person_id=OuterRef("person_id"), partner_ref=scope.partner_ref
        )
        return query.filter(
            Q(kind=PayerKind.PARTICIPANT, person__isnull=False) & Exists(registered)
            | Q(kind=PayerKind.SPONSOR, sponsor_ref=scope.partner_ref)
        )
    return query.none()


def invoices_visible(scope: Scope) -> QuerySet[Invoice]:
    """The invoices of the payers the scope may see."""
    if scope.role == Role.ADMIN:
        return Invoice.objects.all()
    return Invoice.objects.filter(payer__in=payers_visible(scope).values("pk"))


def payments_visible(scope: Scope) -> QuerySet[Payment]:
    """The payments of the payers the scope may see."""
    if scope.role == Role.ADMIN:
        return Payment.objects.all()
    return Payment.objects.filter(payer__in=payers_visible(scope).values("pk"))


def payments_of_virtual_account(
    scope: Scope, virtual_account: str, *, limit: int = 50
) -> list[Payment]:
    """The latest payments (newest value date first, at most ``limit``, 1 to 500) of the payer
    of ``virtual_account`` (compact, checked by the caller), for those who post payments
    (BILLING's ``payment.post``). A payer outside the scope is :class:`VirtualAccountUnknown`,
    as a virtual account of no payer is."""
    BILLING.require(scope, "payment.post")
    payer = payers_visible(scope).filter(virtual_account=virtual_account).first()
    if payer is None:
        raise VirtualAccountUnknown(value=virtual_account)
    return list(payer.payments.order_by("-paid_on", "-id")[: max(1, min(limit, 500))])


def runs_visible(scope: Scope) -> QuerySet[BillingRun]:
    """Billing runs: BILLING's ``runs.view`` (aggregate figures, no personal data); 403 else."""
    BILLING.require(scope, "runs.view")
    return BillingRun.objects.all()


# --- single records ----------------------------------------------------------------------------


def payer_get(scope: Scope, *, pk: int) -> Payer:
    BILLING.require(scope, "invoices.view")
    payer = (
        payers_visible(scope)
        .select_related("employer", "person", "branch_office")
        .filter(pk=pk)
        .first()
    )
    if payer is None:
        raise PayerNotFound()
    return payer


def payer_for_scope(scope: Scope) -> Payer | None:
    """The caller's own payer: an employer user's company, a worker paying for themselves."""
    if scope.role == Role.EMPLOYER_USER or scope.role == Role.WORKER:
        return payers_visible(scope).select_related("employer", "person").first()
    return None


def invoice_get(scope: Scope, *, number: str) -> Invoice:
    BILLING.require(scope, "invoices.view")
    invoice = (
        invoices_visible(scope)
        .select_related("payer", "payer__employer", "payer__person", "run")
        .filter(number=(number or "").strip())
        .first()
    )
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


def run_get(scope: Scope, *, pk: int) -> BillingRun | None:
    return runs_visible(scope).filter(pk=pk).first()


def run_rejects_by_reason(run: BillingRun) -> list[dict[str, Any]]:
    """How many memberships the run rejected, by field and code, largest first."""
    return list(
        RunReject.objects.filter(run=run)
        .values("field", "code")
        .annotate(count=Count("id"))
        .order_by("-count", "field", "code")
    )


def invoice_items(invoice: Invoice) -> QuerySet[InvoiceItem]:
    return invoice.items.order_by("due_date", "rank", "id")


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """The invoice's lines with the participant (KPJ, name, NIK) or project, in KPJ order."""
    return (
        InvoiceLine.objects.filter(invoice=invoice)
        .select_related("membership", "membership__person", "project")
        .order_by("membership__kpj", "project_id", "id")
    )


def invoice_list(
    scope: Scope, *, payer: Payer | None = None, period: str | None = None
) -> QuerySet[Invoice]:
    query = invoices_visible(scope)
    if payer is not None:
        query = query.filter(payer=payer)
    if period:
        query = query.filter(period=period)
    return query.select_related("payer").order_by("-period", "-id")


# --- arrears aging -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrearsRow:
    """One payer's arrears on a date: outstanding by age bucket, oldest due date, months unpaid."""

    payer_id: int
    d0_30: int
    d31_60: int
    d61_90: int
    d90_plus: int
    total_idr: int
    oldest_due: date
    months_unpaid: int
    payer: Payer | None = None

    @property
    def buckets(self) -> list[int]:
        return [self.d0_30, self.d31_60, self.d61_90, self.d90_plus]


@dataclass(frozen=True)
class ArrearsTotals:
    """The sum of the arrears of every payer in scope, by bucket."""

    payers: int = 0
    d0_30: int = 0
    d31_60: int = 0
    d61_90: int = 0
    d90_plus: int = 0
    total_idr: int = 0

    @property
    def buckets(self) -> list[int]:
        return [self.d0_30, self.d31_60, self.d61_90, self.d90_plus]


def _cutoffs(as_of: date) -> list[date]:
    """Due dates on or after ``cutoff[i]`` are at most ``BUCKETS[i]``'s last day late."""
    return [as_of - timedelta(days=last) for _key, _first, last in BUCKETS if last is not None]


def _as_sql_date(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _arrears_source(
    scope: Scope, as_of: date, *, national: bool = False, filters: ArrearsFilter = NO_FILTER
) -> tuple[str, list[Any]]:
    """What was overdue on ``as_of``, one row per amount: (payer, due date, amount, kind, period).

    Three parts: the unpaid rest of every item due before ``as_of``; allocations applied after
    ``as_of`` to such items (they were still owed on that day); and penalties accrued up to
    ``as_of`` not yet carried onto an invoice, aged from the due date of the item they fine.
    """
    day = _as_sql_date(as_of)
    item, invoice, penalty, allocation = (
        InvoiceItem._meta.db_table,
        Invoice._meta.db_table,
        "billing_penaltycharge",
        "billing_allocation",
    )
    scoped = ""
    scoped_params: tuple[Any, ...] = ()
    if (scope.role != Role.ADMIN and not national) or filters.narrows_payers:
        visible = (
            (Payer.objects.all() if national else payers_visible(scope))
            .filter(filters.payer_q())
            .values("pk")
        )
        if visible.query.is_empty():
            scoped = " AND 1 = 0"
        else:
            payer_sql, scoped_params = visible.query.sql_with_params()
            scoped = f" AND i.payer_id IN ({payer_sql})"
    sql = f"""
        SELECT i.payer_id AS payer_id, it.due_date AS due, it.amount_idr - it.paid_idr AS amount,
               it.kind AS kind, i.period AS period
          FROM {item} it JOIN {invoice} i ON i.id = it.invoice_id
         WHERE it.due_date < %s AND it.paid_idr < it.amount_idr{scoped}
        UNION ALL
        SELECT i.payer_id, it.due_date, a.amount_idr, it.kind, i.period
          FROM {allocation} a JOIN {item} it ON it.id = a.item_id
          JOIN {invoice} i ON i.id = it.invoice_id
         WHERE it.due_date < %s AND a.applied_on > %s{scoped}
        UNION ALL
        SELECT pc.payer_id, it.due_date, pc.amount_idr, 'penalty', NULL
          FROM {penalty} pc JOIN {item} it ON it.id = pc.source_item_id
          JOIN {invoice} i ON i.id = it.invoice_id
         WHERE pc.billed_on_id IS NULL AND pc.accrued_on <= %s AND it.due_date < %s{scoped}
    """
    params = [day, *scoped_params, day, day, *scoped_params, day, day, *scoped_params]
    return sql, params


def _bucket_columns(as_of: date, *, named: bool = False) -> tuple[str, list[Any]]:
    """The four bucket sums and the total; ``named`` gives them the names b0..b3 and total."""
    c30, c60, c90 = (_as_sql_date(d) for d in _cutoffs(as_of))
    b0, b1, b2, b3, total = (
        (" AS b0", " AS b1", " AS b2", " AS b3", " AS total") if named else ("",) * 5
    )
    sql = f"""
        SUM(CASE WHEN due >= %s THEN amount ELSE 0 END){b0},
        SUM(CASE WHEN due < %s AND due >= %s THEN amount ELSE 0 END){b1},
        SUM(CASE WHEN due < %s AND due >= %s THEN amount ELSE 0 END){b2},
        SUM(CASE WHEN due < %s THEN amount ELSE 0 END){b3},
        SUM(amount){total}
    """
    return sql, [c30, c30, c60, c60, c90, c90]


def _to_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def arrears_by_payer(
    scope: Scope,
    *,
    as_of: date,
    limit: int | None = None,
    offset: int = 0,
    payer_ids: list[int] | None = None,
    filters: ArrearsFilter = NO_FILTER,
) -> list[ArrearsRow]:
    """Each payer's arrears on ``as_of``, oldest due date first, then the largest: one grouped
    query with CASE buckets. Days late count from each item's due date; an item not yet due is
    not arrears; a payer with nothing overdue is not listed."""
    source, params = _arrears_source(scope, as_of, filters=filters)
    having, having_params = filters.having(as_of)
    buckets, bucket_params = _bucket_columns(as_of)
    where = ""
    where_params: list[Any] = []
    if payer_ids is not None:
        if not payer_ids:
            return []
        where = f" WHERE payer_id IN ({', '.join(['%s'] * len(payer_ids))})"
        where_params = list(payer_ids)
    sql = f"""
        SELECT payer_id, {buckets}, MIN(due),
               COUNT(DISTINCT CASE WHEN kind = 'contribution' THEN period END)
          FROM ({source}) overdue{where}
         GROUP BY payer_id
        HAVING SUM(amount) > 0{having}
         ORDER BY MIN(due), SUM(amount) DESC, payer_id
    """
    all_params = [*bucket_params, *params, *where_params, *having_params]
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        all_params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    return [
        ArrearsRow(
            payer_id=r[0],
            d0_30=int(r[1]),
            d31_60=int(r[2]),
            d61_90=int(r[3]),
            d90_plus=int(r[4]),
            total_idr=int(r[5]),
            oldest_due=_to_date(r[6]),
            months_unpaid=int(r[7]),
        )
        for r in rows
    ]


def arrears_totals(
    scope: Scope, *, as_of: date, aggregate: bool = False, filters: ArrearsFilter = NO_FILTER
) -> ArrearsTotals:
    """The arrears of every payer in scope on ``as_of``, summed by bucket (one query).

    ``aggregate=True`` lets an analyst (aggregates only, no payer) read the national totals.
    With an amount range or age band, the payers' grouped rows are summed (still one query).
    """
    national = aggregate and scope.role == Role.ANALYST
    source, params = _arrears_source(scope, as_of, national=national, filters=filters)
    buckets, bucket_params = _bucket_columns(as_of)
    if filters.narrows_rows:
        having, having_params = filters.having(as_of)
        sql = f"""
            SELECT COUNT(*), SUM(b0), SUM(b1), SUM(b2), SUM(b3), SUM(total) FROM (
                SELECT payer_id, {_bucket_columns(as_of, named=True)[0]} FROM ({source}) overdue
                 GROUP BY payer_id HAVING SUM(amount) > 0{having}
            ) rows_in_band
        """
        all_params = [*bucket_params, *params, *having_params]
    else:
        sql = f"SELECT COUNT(DISTINCT payer_id), {buckets} FROM ({source}) overdue"
        all_params = [*bucket_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        row = cursor.fetchone()
    if not row or not row[5]:
        return ArrearsTotals()
    return ArrearsTotals(*(int(value or 0) for value in row))


def arrears_count(scope: Scope, *, as_of: date, filters: ArrearsFilter = NO_FILTER) -> int:
    """How many payers in scope have arrears on ``as_of``."""
    source, params = _arrears_source(scope, as_of, filters=filters)
    having, having_params = filters.having(as_of)
    sql = f"""SELECT COUNT(*) FROM (SELECT payer_id FROM ({source}) overdue
               GROUP BY payer_id HAVING SUM(amount) > 0{having}) payers"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *having_params])
        return int(cursor.fetchone()[0])


@dataclass
class ArrearsPage:
    """A page of the follow-up list: rows with their payers, and the count for the pager."""

    rows: list[ArrearsRow]
    count: int
    totals: ArrearsTotals = field(default_factory=ArrearsTotals)


def arrears_follow_up(
    scope: Scope,
    *,
    as_of: date,
    limit: int = 50,
    offset: int = 0,
    filters: ArrearsFilter = NO_FILTER,
) -> ArrearsPage:
    """The follow-up list of a branch officer (their office's payers; everything for an
    administrator): payers with arrears, oldest and largest first, each with its payer
    (employer or person selected), plus the office's totals by bucket. Three queries a page.
    Other roles: 403 (BILLING's ``arrears.follow_up``)."""
    BILLING.require(scope, "arrears.follow_up")
    rows = arrears_by_payer(scope, as_of=as_of, limit=limit, offset=offset, filters=filters)
    payers = Payer.objects.select_related("employer", "person").in_bulk([r.payer_id for r in rows])
    filled = [_with_payer(r, payers.get(r.payer_id)) for r in rows]
    totals = arrears_totals(scope, as_of=as_of, filters=filters)
    return ArrearsPage(rows=filled, count=totals.payers, totals=totals)


def arrears_iter(
    scope: Scope, *, as_of: date, chunk: int = 2000, filters: ArrearsFilter = NO_FILTER
) -> Iterator[ArrearsRow]:
    """Every row of the follow-up list, with payers, a chunk at a time (for CSV exports)."""
    offset = 0
    while True:
        rows = arrears_by_payer(scope, as_of=as_of, limit=chunk, offset=offset, filters=filters)
        if not rows:
            return
        payers = Payer.objects.select_related("employer", "person").in_bulk(
            [r.payer_id for r in rows]
        )
        for row in rows:
            yield _with_payer(row, payers.get(row.payer_id))
        if len(rows) < chunk:
            return
        offset += chunk


def payer_arrears(scope: Scope, *, payer: Payer, as_of: date) -> ArrearsRow | None:
    """One payer's arrears on ``as_of`` (None when nothing is overdue)."""
    rows = arrears_by_payer(scope, as_of=as_of, payer_ids=[payer.pk])
    return _with_payer(rows[0], payer) if rows else None


def last_billed_period() -> str:
    """The latest month any invoice bills (``YYYY-MM``), empty when nothing is billed."""
    return Invoice.objects.aggregate(last=Max("period"))["last"] or ""


def data_stop_before(as_of: date) -> Period | None:
    """The last billed month when billing stops before ``as_of``'s month (the month before it
    is not billed yet, so ages grow with no new invoices), else None. A page shows a banner."""
    text = last_billed_period()
    if not text:
        return None
    last = Period.parse(text)
    return last if last.index + 1 < Period(as_of.year, as_of.month).index else None


def _with_payer(row: ArrearsRow, payer: Payer | None) -> ArrearsRow:
    return ArrearsRow(**{**row.__dict__, "payer": payer})


# --- active status and lapsed memberships ------------------------------------------------------


def active_months(membership: Membership) -> list[str]:
    """The months (``YYYY-MM``) the membership is active: its line for the month is paid."""
    return list(
        InvoiceLine.objects.filter(membership=membership, paid_on__isnull=False)
        .order_by("period")
        .values_list("period", flat=True)
        .distinct()
    )


def protected_until(membership: Membership, *, today: date) -> date | None:
    """The last day of protection paid for: the end of the last month of the unbroken run of
    paid months that holds ``today``'s month; None when ``today``'s month is not paid."""
    paid = set(active_months(membership))
    month = Period(today.year, today.month)
    if str(month) not in paid:
        return None
    while str(Period.from_index(month.index + 1)) in paid:
        month = Period.from_index(month.index + 1)
    return month.last_day


def lapse_months(as_of_period: Period) -> dict[str, int]:
    """``status.lapse_months`` in force for the month, by segment (PU, BPU)."""
    value = parameters().get("status.lapse_months", as_of_period.legal_date).value
    return {str(segment): int(months) for segment, months in dict(value).items()}


def lapsed_memberships(
    scope: Scope, as_of_period: Period | str, *, office_codes: list[str] | None = None
) -> QuerySet[Any]:
    """Open memberships whose last ``status.lapse_months`` billed months, up to
    ``as_of_period``, are all unpaid: listed for reactivation (ADR 0104).

    One grouped query: the lines billed after the membership's last paid month (up to the
    period) are counted per membership, and a membership is lapsed when that count reaches its
    segment's threshold. Rows are dicts: ``membership_id``, ``kpj``, ``segment``, ``name``,
    ``office``, ``months_unpaid``, ``first_unpaid``, ``last_billed``; oldest first.
    """
    period = Period.parse(as_of_period) if isinstance(as_of_period, str) else as_of_period
    text = str(period)
    if not BillingRun.objects.filter(period=text, status=RunStatus.FINISHED).exists():
        raise PeriodNotBilled(period=text)
    thresholds = lapse_months(period)
    open_memberships = memberships_visible(scope).filter(
        status=Status.ACTIVE, segment__in=list(thresholds)
    )
    if office_codes:
        open_memberships = open_memberships.filter(
            branch_office__code__in=[c.strip().upper() for c in office_codes]
        )
    last_paid = (
        InvoiceLine.objects.filter(
            membership_id=OuterRef("membership_id"), period__lte=text, paid_on__isnull=False
        )
        .order_by("-period")
        .values("period")[:1]
    )
    threshold = Case(
        *(When(segment=segment, then=Value(months)) for segment, months in thresholds.items()),
        output_field=IntegerField(),
    )
    return (
        InvoiceLine.objects.filter(
            membership__in=open_memberships.values("pk"), period__lte=text, paid_on__isnull=True
        )
        .annotate(last_paid=Coalesce(Subquery(last_paid), Value("")))
        .filter(period__gt=F("last_paid"))
        .values(
            "membership_id",
            "segment",
            kpj=F("membership__kpj"),
            name=F("membership__person__name"),
            office=F("membership__branch_office__code"),
        )
        .annotate(
            months_unpaid=Count("period", distinct=True),
            first_unpaid=Min("period"),
            last_billed=Max("period"),
            threshold=Max(threshold),
        )
        .filter(months_unpaid__gte=F("threshold"))
        .order_by("first_unpaid", "kpj")
    )


# --- arrears cases -------------------------------------------------------------------------------


class PromiseState:
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


def promises_with_state(query: QuerySet[PaymentPromise], *, today: date) -> QuerySet[Any]:
    """Promises annotated with ``paid_idr`` (the payer's payments valued from the day the
    promise was made to its date) and ``state`` (kept, broken: its date passed unpaid, open):
    one query, a correlated sum, never a query per promise."""
    paid = (
        Payment.objects.filter(
            payer_id=OuterRef("payer_id"),
            paid_on__gte=OuterRef("promised_on"),
            paid_on__lte=OuterRef("due_on"),
        )
        .order_by()
        .values("payer_id")
        .annotate(total=Sum("amount_idr"))
        .values("total")
    )
    return query.annotate(
        paid_idr=Coalesce(Subquery(paid, output_field=IntegerField()), Value(0))
    ).annotate(
        state=Case(
            When(paid_idr__gte=F("amount_idr"), then=Value(PromiseState.KEPT)),
            When(due_on__lt=today, then=Value(PromiseState.BROKEN)),
            default=Value(PromiseState.OPEN),
            output_field=CharField(),
        )
    )


@dataclass
class ArrearsCaseView:
    """What an officer sees of one payer's case: the payer, its arrears, the assignment, the
    contacts logged and the promises with their state."""

    payer: Payer
    arrears: ArrearsRow | None
    case: ArrearsCase | None
    contacts: list[CaseContact]
    promises: list[Any]


def arrears_case(scope: Scope, *, payer_id: int, as_of: date) -> ArrearsCaseView:
    """One payer's case within the scope (BILLING's ``case.work``); a payer outside the scope
    is not found. Five queries whatever the number of contacts and promises."""
    BILLING.require(scope, "case.work")
    payer = (
        payers_visible(scope)
        .select_related("employer", "person", "branch_office")
        .filter(pk=payer_id)
        .first()
    )
    if payer is None:
        raise PayerNotFound()
    case = ArrearsCase.objects.select_related("assigned_to").filter(payer=payer).first()
    contacts = list(
        CaseContact.objects.filter(payer=payer).select_related("recorded_by")[:CASE_ROWS]
    )
    promises = list(
        promises_with_state(PaymentPromise.objects.filter(payer=payer), today=as_of)[:CASE_ROWS]
    )
    return ArrearsCaseView(
        payer=payer,
        arrears=payer_arrears(scope, payer=payer, as_of=as_of),
        case=case,
        contacts=contacts,
        promises=promises,
    )


#: The latest contacts and promises a case page shows.
CASE_ROWS = 100


@dataclass(frozen=True)
class CaseCounts:
    """An officer's cases for the work home page."""

    assigned: int = 0
    promises_open: int = 0
    promises_broken: int = 0
    promises_due_soon: int = 0


def my_cases(scope: Scope, *, today: date) -> CaseCounts:
    """The signed-in officer's assigned cases within the scope, with their promises by state
    (two queries). Not an officer who works cases: all zero."""
    if not BILLING.allows(scope, "case.work") or scope.user_id is None:
        return CaseCounts()
    payers = payers_visible(scope).filter(arrears_case__assigned_to_id=scope.user_id)
    assigned = payers.count()
    states = (
        promises_with_state(
            PaymentPromise.objects.filter(payer__in=payers.values("pk")), today=today
        )
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_state = {row["state"]: row["n"] for row in states}
    soon = (
        promises_with_state(
            PaymentPromise.objects.filter(
                payer__in=payers.values("pk"),
                due_on__gte=today,
                due_on__lte=today + timedelta(days=7),
            ),
            today=today,
        )
        .filter(state=PromiseState.OPEN)
        .count()
    )
    return CaseCounts(
        assigned=assigned,
        promises_open=by_state.get(PromiseState.OPEN, 0),
        promises_broken=by_state.get(PromiseState.BROKEN, 0),
        promises_due_soon=soon,
    )


def assigned_payer_ids(scope: Scope, payer_ids: list[int]) -> dict[int, int]:
    """For the payers of a page: the officer each case is assigned to (one query)."""
    return dict(
        ArrearsCase.objects.filter(payer_id__in=payer_ids).values_list("payer_id", "assigned_to_id")
    )
