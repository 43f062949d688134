"""Reading billing through the API (mounted at /api/v1/billing; docs/billing/pages.md).

Interface only: every operation calls :mod:`jamsos.billing.selectors` with the caller's scope,
so a payer, invoice or person outside it is 404 like one that does not exist, and a role that
may not read something at all is 403. Money is whole rupiah (integers); NIKs are masked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import ApiError
from jamsos.api.pagination import DEFAULT_LIMIT, Key, Keyset, page_fields, page_of
from jamsos.billing.bounds import AS_OF_FIRST, JHT_FIRST_YEAR, as_of_last, jht_last_year
from jamsos.billing.errors import BadDate, BadPeriod, DateOutOfRange, YearOutOfRange
from jamsos.billing.lines import line_explanations, line_fields
from jamsos.billing.models import BillingRun, Invoice, InvoiceLine, Payer
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import (
    ArrearsRow,
    arrears_by_payer,
    arrears_filter_parse,
    arrears_totals,
    invoice_get,
    invoice_items,
    invoice_lines,
    invoice_list,
    payer_arrears,
    payer_get,
    run_get,
    run_rejects_by_reason,
    runs_visible,
)
from jamsos.billing.services.documents import invoice_pdf
from jamsos.billing.services.jht import jht_statement
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language
from jamsos.core.masking import mask_nik
from jamsos.legal.periods import Period
from jamsos.legal.slots import Registry, registry
from jamsos.membership.api.common import READ_ERRORS, Cursor, Limit, WithCount
from jamsos.membership.selectors import person_get

router = Router(tags=["billing"], auth=SIGNED_IN)


Offset = Query[int, {"ge": 0, "description": "Rows to skip"}]
RUN_ORDER = Keyset("billing-runs", (Key("id", int, descending=True),))
INVOICE_ORDER = Keyset("billing-invoices", (Key("period", str, True), Key("id", int, True)))


class RunNotFound(ApiError):
    code = "billing.run_not_found"
    http_status = 404
    text = {
        "id": "Proses penagihan {id} tidak ditemukan.",
        "en": "Billing run {id} not found.",
    }


# --- schemas -----------------------------------------------------------------------------------


class RunOut(Schema):
    id: int
    period: str
    as_of: date
    status: str
    stage: str
    started_at: datetime
    finished_at: datetime | None
    progress_done: int
    progress_total: int
    counts: dict[str, Any]
    totals: dict[str, Any]
    timings: dict[str, Any]
    error: str


class RejectCountOut(Schema):
    field: str
    code: str
    count: int


class RunDetailOut(RunOut):
    rejects: list[RejectCountOut]


class RunListOut(Schema):
    items: list[RunOut]
    next_cursor: str | None
    next: str | None
    limit: int
    has_more: bool
    count: int | None
    count_capped: bool


class ArrearsOut(Schema):
    d0_30_idr: int
    d31_60_idr: int
    d61_90_idr: int
    d90_plus_idr: int
    total_idr: int
    oldest_due: date | None = None
    months_unpaid: int = 0


class PayerOut(Schema):
    id: int
    kind: str
    name: str
    virtual_account: str
    branch_office: str | None
    credit_idr: int


class PayerDetailOut(PayerOut):
    arrears: ArrearsOut | None
    as_of: date


class InvoiceOut(Schema):
    number: str
    payer_id: int
    period: str
    kind: str
    issued_on: date
    due_date: date
    contribution_idr: int
    penalty_idr: int
    total_idr: int
    paid_idr: int
    outstanding_idr: int
    status: str
    participants: int


class InvoiceListOut(Schema):
    items: list[InvoiceOut]
    next_cursor: str | None
    next: str | None
    limit: int
    has_more: bool
    count: int | None
    count_capped: bool


class ItemOut(Schema):
    kind: str
    segment: str
    program: str
    due_date: date
    amount_idr: int
    paid_idr: int


class LineExplanationOut(Schema):
    """Why one amount of a line is what it is."""

    slot: str
    label: str
    amount_idr: int
    base_idr: int | None = Field(description="The base the rate was applied to (after caps)")
    rate: str | None = Field(description="Exact decimal; null where it depends on the payer")
    references: list[str]
    text: str


class LineBaseOut(Schema):
    kpj: str | None
    name: str
    nik: str | None
    segment: str
    period: str
    base_idr: int
    capped_base_idr: int | None = Field(
        description="JP capped wage (PU), income bracket (BPU), contract value (Jakon)"
    )
    parameters_ref: str = Field(description="Date and version of the legal parameters applied")
    paid_on: date | None
    explanations: list[LineExplanationOut]


def line_schema(reg: Registry | None = None) -> type[Schema]:
    """The line schema: the fixed fields and one amount per invoice line column of the slot
    registry (``jkk_idr``, ..., ``jkp_government_idr``), then ``total_idr``."""
    columns = (reg or registry()).line_columns()
    fields: dict[str, Any] = dict.fromkeys((*columns, "total_idr"), (int, ...))
    model: type[Schema] = create_model("LineOut", __base__=LineBaseOut, **fields)
    return model


LineOut = line_schema()


class InvoiceDetailOut(InvoiceOut):
    payer: PayerOut
    items: list[ItemOut]
    lines: list[LineOut]
    lines_total: int
    lines_offset: int
    lines_limit: int


class ArrearsRowOut(ArrearsOut):
    payer: PayerOut


class ArrearsListOut(Schema):
    as_of: date
    totals: ArrearsOut
    payers: int
    items: list[ArrearsRowOut]
    offset: int
    limit: int


class JhtEntryOut(Schema):
    kind: str
    period: str
    amount_idr: int
    booked_on: date
    reference: str


class JhtStatementOut(Schema):
    person_id: int
    name: str
    nik: str
    year: int | None
    opening_idr: int
    contributions_idr: int
    returns_idr: int
    closing_idr: int
    entries: list[JhtEntryOut]


def run_out(run: BillingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "period": run.period,
        "as_of": run.as_of,
        "status": run.status,
        "stage": run.stage,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "progress_done": run.progress_done,
        "progress_total": run.progress_total,
        "counts": run.counts or {},
        "totals": run.totals or {},
        "timings": run.timings or {},
        "error": run.error,
    }


def payer_out(payer: Payer) -> dict[str, Any]:
    return {
        "id": payer.pk,
        "kind": payer.kind,
        "name": payer.name,
        "virtual_account": payer.virtual_account,
        "branch_office": payer.branch_office.code if payer.branch_office_id else None,
        "credit_idr": payer.credit_idr,
    }


def arrears_out(row: Any) -> dict[str, Any]:
    out = {
        "d0_30_idr": row.d0_30,
        "d31_60_idr": row.d31_60,
        "d61_90_idr": row.d61_90,
        "d90_plus_idr": row.d90_plus,
        "total_idr": row.total_idr,
    }
    if isinstance(row, ArrearsRow):
        out |= {"oldest_due": row.oldest_due, "months_unpaid": row.months_unpaid}
    return out


def invoice_out(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "payer_id": invoice.payer_id,
        "period": invoice.period,
        "kind": invoice.kind,
        "issued_on": invoice.issued_on,
        "due_date": invoice.due_date,
        "contribution_idr": invoice.contribution_idr,
        "penalty_idr": invoice.penalty_idr,
        "total_idr": invoice.total_idr,
        "paid_idr": invoice.paid_idr,
        "outstanding_idr": invoice.total_idr - invoice.paid_idr,
        "status": invoice.status,
        "participants": invoice.participants,
    }


def line_out(line: InvoiceLine) -> dict[str, Any]:
    member = line.membership if line.membership_id else None
    return {
        "kpj": member.kpj if member else None,
        "name": member.person.name if member else (line.project.name if line.project_id else ""),
        "nik": mask_nik(member.person.nik) if member else None,
        "segment": line.segment,
        "period": line.period,
        "base_idr": line.base_idr,
        **{column: getattr(line, column) for column in line_fields()},
        "capped_base_idr": line.capped_base_idr,
        "parameters_ref": line.parameters_ref,
        "paid_on": line.paid_on,
        "explanations": [e.to_json() for e in line_explanations(line, current_language())],
    }


def _date(value: str | None) -> date:
    """``as_of`` as a date from :data:`AS_OF_FIRST` to a year ahead (today in Jakarta when not
    given); :class:`BadDate` or :class:`DateOutOfRange` (400) otherwise."""
    if not value:
        return today_in_jakarta()
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(field="as_of", value=value) from None
    last = as_of_last()
    if not AS_OF_FIRST <= day <= last:
        raise DateOutOfRange(field="as_of", value=day, first=AS_OF_FIRST, last=last)
    return day


def _year(value: int | None) -> int | None:
    """A JHT statement's year from :data:`JHT_FIRST_YEAR` to this year, or None (everything);
    :class:`YearOutOfRange` (400) otherwise."""
    if value is None:
        return None
    last = jht_last_year()
    if not JHT_FIRST_YEAR <= value <= last:
        raise YearOutOfRange(value=value, first=JHT_FIRST_YEAR, last=last)
    return value


# --- runs --------------------------------------------------------------------------------------


@router.get(
    "/runs",
    response={200: RunListOut, **READ_ERRORS},
    summary="Billing runs",
    url_name="billing-runs",
)
def runs_list(
    request: HttpRequest,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    with_count: WithCount = False,
) -> dict[str, Any]:
    """The billing runs, newest first: administrators and analysts (aggregates only)."""
    scope = caller_scope(request)
    BILLING.require(scope, "runs.view")
    page = page_of(
        runs_visible(scope), RUN_ORDER, cursor=cursor, limit=limit, with_count=with_count
    )
    return {"items": [run_out(r) for r in page.items], **page_fields(request, page)}


@router.get(
    "/runs/{run_id}",
    response={200: RunDetailOut, **READ_ERRORS},
    summary="One billing run (a job: stage, progress, counts, totals, rejects)",
    url_name="billing-run",
)
def run_detail(request: HttpRequest, run_id: int) -> Any:
    scope = caller_scope(request)
    BILLING.require(scope, "runs.view")
    run = run_get(scope, pk=run_id)
    if run is None:
        raise RunNotFound(id=run_id)
    return {**run_out(run), "rejects": run_rejects_by_reason(run)}


# --- payers and invoices -----------------------------------------------------------------------


@router.get(
    "/payers/{payer_id}",
    response={200: PayerDetailOut, **READ_ERRORS},
    summary="One payer with its arrears",
    url_name="billing-payer",
)
def payer_detail(request: HttpRequest, payer_id: int, as_of: str | None = None) -> dict[str, Any]:
    """A payer in the caller's scope (404 otherwise) and its arrears on ``as_of`` (today)."""
    scope = caller_scope(request)
    BILLING.require(scope, "invoices.view")
    payer = payer_get(scope, pk=payer_id)
    day = _date(as_of)
    arrears = payer_arrears(scope, payer=payer, as_of=day)
    return {**payer_out(payer), "arrears": arrears_out(arrears) if arrears else None, "as_of": day}


@router.get(
    "/invoices",
    response={200: InvoiceListOut, **READ_ERRORS},
    summary="Invoices, newest month first",
    url_name="billing-invoices",
)
def invoices_list(
    request: HttpRequest,
    payer: int | None = None,
    period: str | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    with_count: WithCount = False,
) -> dict[str, Any]:
    """The invoices the caller may see, optionally of one payer and one period (YYYY-MM)."""
    scope = caller_scope(request)
    BILLING.require(scope, "invoices.view")
    if period:
        try:
            period = str(Period.parse(period))
        except ValueError:
            raise BadPeriod(value=period) from None
    payer_obj = payer_get(scope, pk=payer) if payer is not None else None
    query = invoice_list(scope, payer=payer_obj, period=period)
    page = page_of(query, INVOICE_ORDER, cursor=cursor, limit=limit, with_count=with_count)
    return {"items": [invoice_out(i) for i in page.items], **page_fields(request, page)}


@router.get(
    "/invoices/{number}.pdf",
    response={200: None, **READ_ERRORS},
    summary="One invoice as PDF",
    url_name="billing-invoice-pdf",
)
def invoice_pdf_get(request: HttpRequest, number: str) -> HttpResponse:
    scope = caller_scope(request)
    BILLING.require(scope, "invoices.view")
    invoice = invoice_get(scope, number=number)
    response = HttpResponse(
        invoice_pdf(invoice, language=current_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="tagihan-{invoice.number}.pdf"'
    return response


@router.get(
    "/invoices/{number}",
    response={200: InvoiceDetailOut, **READ_ERRORS},
    summary="One invoice with its items and a page of its lines",
    url_name="billing-invoice",
)
def invoice_detail(
    request: HttpRequest,
    number: str,
    lines_offset: Offset = 0,
    lines_limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """An invoice in the caller's scope (404 otherwise): items, and lines ``lines_offset`` to
    ``lines_offset + lines_limit`` (NIK masked)."""
    scope = caller_scope(request)
    BILLING.require(scope, "invoices.view")
    invoice = invoice_get(scope, number=number)
    lines = invoice_lines(invoice)
    return {
        **invoice_out(invoice),
        "payer": payer_out(invoice.payer),
        "items": [
            {
                "kind": i.kind,
                "segment": i.segment,
                "program": i.program,
                "due_date": i.due_date,
                "amount_idr": i.amount_idr,
                "paid_idr": i.paid_idr,
            }
            for i in invoice_items(invoice)
        ],
        "lines": [line_out(x) for x in lines[lines_offset : lines_offset + lines_limit]],
        "lines_total": invoice.participants,
        "lines_offset": lines_offset,
        "lines_limit": lines_limit,
    }


# --- arrears and JHT ---------------------------------------------------------------------------


@router.get(
    "/arrears",
    response={200: ArrearsListOut, **READ_ERRORS},
    summary="Arrears by payer and age (follow-up list)",
    url_name="billing-arrears",
)
def arrears_list(
    request: HttpRequest,
    as_of: str | None = None,
    office: str | None = None,
    kind: str | None = None,
    village: str | None = None,
    min_idr: str | None = None,
    max_idr: str | None = None,
    age: str | None = None,
    mine: bool = False,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Payers in arrears on ``as_of`` (today), oldest due date first then the largest, with
    amounts by days past due (1-30, 31-60, 61-90, over 90) and the totals. Branch officers see
    their office's payers, administrators every payer. Narrowed as the page's list is: ``office``
    (branch office code), ``kind`` (``pemberi_kerja``, ``bpu``, ``penyandang``), ``village``
    (Kemendagri code), ``min_idr``/``max_idr`` (total, inclusive), ``age`` (``d0_30``,
    ``d31_60``, ``d61_90``, ``d90_plus``: the oldest overdue amount), ``mine`` (the caller's
    cases)."""
    scope = caller_scope(request)
    BILLING.require(scope, "arrears.follow_up")
    day = _date(as_of)
    filters = arrears_filter_parse(
        {
            "kantor": office,
            "jenis": kind,
            "desa": village,
            "min": min_idr,
            "maks": max_idr,
            "umur": age,
            "petugas": "saya" if mine else None,
        },
        user_id=scope.user_id,
    )
    rows = arrears_by_payer(scope, as_of=day, limit=limit, offset=offset, filters=filters)
    payers = Payer.objects.select_related("branch_office").in_bulk([r.payer_id for r in rows])
    totals = arrears_totals(scope, as_of=day, filters=filters)
    return {
        "as_of": day,
        "totals": arrears_out(totals),
        "payers": totals.payers,
        "items": [{**arrears_out(r), "payer": payer_out(payers[r.payer_id])} for r in rows],
        "offset": offset,
        "limit": limit,
    }


@router.get(
    "/jht/{person_id}",
    response={200: JhtStatementOut, **READ_ERRORS},
    summary="A person's JHT statement",
    url_name="billing-jht",
)
def jht_statement_get(
    request: HttpRequest, person_id: int, year: int | None = None
) -> dict[str, Any]:
    """Opening balance, entries and closing balance of ``year`` (the whole history without a
    year), for a person in the caller's scope (404 otherwise; NIK masked)."""
    scope = caller_scope(request)
    BILLING.require(scope, "jht.view")
    year = _year(year)
    person = person_get(scope, pk=person_id)
    statement = jht_statement(person, year)
    return {
        "person_id": person.pk,
        "name": person.name,
        "nik": mask_nik(person.nik),
        "year": year,
        "opening_idr": statement.opening_idr,
        "contributions_idr": statement.contributions_idr,
        "returns_idr": statement.returns_idr,
        "closing_idr": statement.closing_idr,
        "entries": [
            {
                "kind": e.kind,
                "period": e.period,
                "amount_idr": e.amount_idr,
                "booked_on": e.booked_on,
                "reference": e.reference,
            }
            for e in statement.entries
        ],
    }
