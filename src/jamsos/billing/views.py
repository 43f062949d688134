"""Billing pages under ``/iuran/`` (docs/billing/pages.md): runs, payers, invoices, arrears, JHT.

Every page reads through :mod:`jamsos.billing.selectors` with the caller's scope: a payer,
invoice or person outside it is the same 404 page as one that does not exist. Views shape plain
rows (money formatted the reader's way, NIK and phone masked); templates only print them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jamsos.access.audit import ORIGIN_CHANNEL_LABELS, audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.billing.bounds import AS_OF_FIRST, as_of_last
from jamsos.billing.errors import (
    BillingError,
)
from jamsos.billing.lines import ProgramColumn, line_explanations, program_columns
from jamsos.billing.models import (
    BillingRun,
    Invoice,
    InvoiceLine,
    ItemKind,
    JhtKind,
    Payer,
    PayerKind,
    PenaltyCharge,
    RunStatus,
)
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import (
    BUCKET_KEYS,
    ArrearsFilter,
    ArrearsRow,
    arrears_filter_parse,
    arrears_follow_up,
    arrears_iter,
    arrears_totals,
    data_stop_before,
    invoice_get,
    invoice_items,
    invoice_lines,
    invoice_list,
    payer_arrears,
    payer_for_scope,
    payer_get,
    payers_visible,
    payments_visible,
    run_get,
    run_rejects_by_reason,
    runs_visible,
)
from jamsos.billing.services.documents import amount_in_words, invoice_pdf, jht_statement_pdf
from jamsos.billing.services.jht import jht_statement
from jamsos.billing.services.run import billing_run_enqueue
from jamsos.core.clock import today_in_jakarta
from jamsos.core.exports import CSV_TYPE, csv_lines
from jamsos.core.formatting import current_language, format_number, label
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.errors import PersonIdNotFound
from jamsos.membership.models import BranchOffice
from jamsos.membership.selectors import person_get
from jamsos.membership.views.display import money, period_text
from jamsos.web.common import not_found, page_of, scope_of, signed_in
from jamsos.web.error_pages import bad_request_page

View = TypeVar("View", bound=Callable[..., HttpResponse])


LINES_PER_PAGE = 25
ARREARS_PER_PAGE = 50
RUNS_PER_PAGE = 25
#: A running run's page reloads itself every this many seconds.
REFRESH_SECONDS = 5


KIND_LABELS = {
    PayerKind.EMPLOYER.value: gettext_lazy("Employer"),
    PayerKind.PARTICIPANT.value: gettext_lazy("Participant"),
    PayerKind.SPONSOR.value: gettext_lazy("Sponsor"),
}
STATUS_LABELS = {
    "open": gettext_lazy("Unpaid"),
    "partial": gettext_lazy("Partly paid"),
    "paid": gettext_lazy("Paid"),
}
RUN_STATUS_LABELS = {
    RunStatus.RUNNING.value: gettext_lazy("Running"),
    RunStatus.FINISHED.value: gettext_lazy("Finished"),
    RunStatus.FAILED.value: gettext_lazy("Failed"),
    RunStatus.ABANDONED.value: gettext_lazy("Abandoned (the process died)"),
}
INVOICE_KIND_LABELS = {
    "regular": gettext_lazy("monthly"),
    "correction": gettext_lazy("correction"),
}
#: Names of the run's counts and totals (keys of BillingRun.counts / totals); others show as is.
RUN_KEY_LABELS = {
    "memberships_read": gettext_lazy("Memberships read"),
    "projects_read": gettext_lazy("Construction projects read"),
    "already_billed": gettext_lazy("Already billed (skipped)"),
    "rejected": gettext_lazy("Rejected"),
    "payers": gettext_lazy("Payers billed"),
    "payers_new": gettext_lazy("New payers"),
    "invoices": gettext_lazy("Invoices"),
    "correction_invoices": gettext_lazy("Correction invoices"),
    "penalty_only_invoices": gettext_lazy("Invoices of penalties only"),
    "replaced_invoices": gettext_lazy("Unpaid invoices replaced"),
    "kept_invoices": gettext_lazy("Paid invoices kept"),
    "items": gettext_lazy("Invoice items"),
    "lines": gettext_lazy("Participant lines"),
    "postings": gettext_lazy("Ledger postings"),
    "penalties_accrued": gettext_lazy("Penalties accrued"),
    "penalty_charges_billed": gettext_lazy("Penalties carried onto invoices"),
    "credit_payers": gettext_lazy("Payers whose credit was applied"),
    "credit_applied_idr": gettext_lazy("Credit applied"),
    "by_program": gettext_lazy("Program"),
    "by_payer_kind": gettext_lazy("Payer"),
    "by_segment": gettext_lazy("Segment"),
    "employer": gettext_lazy("Employer"),
    "participant": gettext_lazy("Participant"),
    "sponsor": gettext_lazy("Sponsor"),
    "contributions": gettext_lazy("Contributions"),
    "penalties": gettext_lazy("Penalties"),
    "grand_total": gettext_lazy("Grand total"),
    "jkp_government": gettext_lazy("JKP paid by the government (not billed)"),
}
#: The stages of a run (services/run.py), for the stage column and the timings table.
STAGE_LABELS = {
    "start": gettext_lazy("Start"),
    "penalties": gettext_lazy("Penalties"),
    "replace": gettext_lazy("Replacing unpaid drafts"),
    "read": gettext_lazy("Reading memberships"),
    "compute": gettext_lazy("Computing contributions"),
    "payers": gettext_lazy("Payers"),
    "invoices": gettext_lazy("Invoices"),
    "lines": gettext_lazy("Participant lines"),
    "rejects": gettext_lazy("Rejected memberships"),
    "ledger": gettext_lazy("Ledger"),
    "credits": gettext_lazy("Applying credit"),
    "verify": gettext_lazy("Checking references"),
    "done": gettext_lazy("Done"),
}
BUCKET_LABELS = (
    gettext_lazy("1–30 days"),
    gettext_lazy("31–60 days"),
    gettext_lazy("61–90 days"),
    gettext_lazy("Over 90 days"),
)


def _roles(action: str) -> Callable[[View], View]:
    """Refuse the roles BILLING does not allow ``action`` (403) before the page reads
    anything, and answer a billing not-found with the 404 page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            BILLING.require(scope_of(request), action)
            try:
                return view(request, *args, **kwargs)
            except BillingError as error:
                if error.http_status == 404:
                    return not_found(request)
                raise

        return signed_in(wrapper)  # type: ignore[return-value]

    return decorate


def _as_of(request: HttpRequest) -> date | None:
    """``?tanggal=YYYY-MM-DD`` when given, else today in Jakarta; None when the text is not a
    date or the date is outside :data:`AS_OF_FIRST` to a year ahead."""
    text = (request.GET.get("tanggal") or "").strip()
    if not text:
        return today_in_jakarta()
    try:
        as_of = date.fromisoformat(text)
    except ValueError:
        return None
    return as_of if AS_OF_FIRST <= as_of <= _as_of_last() else None


def _as_of_last() -> date:
    return as_of_last()


def _bad_as_of(request: HttpRequest) -> HttpResponse:
    """The 400 page naming the dates the list answers for, with a link back to today's list."""
    message = _("Choose a date from %(first)s to %(last)s (received: %(value)s).") % {
        "first": date_format(AS_OF_FIRST, "j F Y"),
        "last": date_format(_as_of_last(), "j F Y"),
        "value": (request.GET.get("tanggal") or "").strip()[:40],
    }
    return bad_request_page(request, message, back_url=reverse("billing:arrears"))


# --- rows shown on pages -----------------------------------------------------------------------


@dataclass(frozen=True)
class ArrearsLine:
    payer_id: int
    name: str
    kind: str
    virtual_account: str
    contact: str
    buckets: list[str]
    total: str
    oldest_due: date
    months_unpaid: int
    has_old: bool = False
    case_url: str = ""

    @property
    def labelled_buckets(self) -> list[tuple[str, str]]:
        """Each bucket's amount with its title (the label of the cell on a phone)."""
        return list(zip([str(b) for b in BUCKET_LABELS], self.buckets, strict=True))


def contact_of(payer: Payer | None) -> str:
    """Whom to call: the employer's name, a participant's masked phone, the sponsor's name."""
    if payer is None:
        return ""
    if payer.kind == PayerKind.EMPLOYER and payer.employer_id:
        return payer.employer.legal_name
    if payer.kind == PayerKind.PARTICIPANT and payer.person_id:
        return mask_phone(payer.person.phone)
    return payer.name


def arrears_line(row: ArrearsRow) -> ArrearsLine:
    payer = row.payer
    return ArrearsLine(
        payer_id=row.payer_id,
        name=payer.name if payer else "",
        kind=str(KIND_LABELS.get(payer.kind, payer.kind)) if payer else "",
        virtual_account=payer.virtual_account if payer else "",
        contact=contact_of(payer),
        buckets=[money(v) for v in row.buckets],
        total=money(row.total_idr),
        oldest_due=row.oldest_due,
        months_unpaid=row.months_unpaid,
        has_old=row.d90_plus > 0,
    )


def totals_rows(totals: Any) -> list[tuple[str, str]]:
    return [
        (str(name), money(value)) for name, value in zip(BUCKET_LABELS, totals.buckets, strict=True)
    ]


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    period: str
    kind: str
    due_date: date
    total: str
    paid: str
    outstanding: str
    status: str
    status_code: str


def invoice_row(invoice: Invoice) -> InvoiceRow:
    return InvoiceRow(
        number=invoice.number,
        period=period_text(invoice.period),
        kind=str(INVOICE_KIND_LABELS.get(invoice.kind, invoice.kind)),
        due_date=invoice.due_date,
        total=money(invoice.total_idr),
        paid=money(invoice.paid_idr),
        outstanding=money(invoice.total_idr - invoice.paid_idr),
        status=str(STATUS_LABELS.get(invoice.status, invoice.status)),
        status_code=invoice.status,
    )


@dataclass(frozen=True)
class LineRow:
    kpj: str
    name: str
    nik: str
    segment: str
    base: str
    programs: list[str]
    total: str
    paid_on: date | None
    explanations: list[str]  # why each amount is what it is (base, rate, regulation)


def line_row(line: InvoiceLine, columns: tuple[ProgramColumn, ...] | None = None) -> LineRow:
    """A line for the invoice page: one amount per program column of the slot registry."""
    columns = program_columns() if columns is None else columns
    if line.membership_id:
        kpj, name, nik = (
            line.membership.kpj,
            line.membership.person.name,
            mask_nik(line.membership.person.nik),
        )
    else:
        kpj, name, nik = "", line.project.name if line.project_id else "", ""
    return LineRow(
        kpj=kpj,
        name=name,
        nik=nik,
        segment=line.segment,
        base=money(line.base_idr),
        programs=[money(c.amount(line)) if c.amount(line) else "–" for c in columns],
        total=money(line.total_idr),
        paid_on=line.paid_on,
        explanations=[e.text for e in line_explanations(line, current_language())],
    )


# --- pages -------------------------------------------------------------------------------------


@require_GET
@signed_in
def billing_home(request: HttpRequest) -> HttpResponse:
    """What billing means for the caller's role: runs, the office's arrears, their own bills."""
    scope = scope_of(request)
    role = scope.role
    if role in {Role.EMPLOYER_USER, Role.WORKER}:
        own = payer_for_scope(scope)
        if role == Role.EMPLOYER_USER and own is not None:
            return redirect("billing:payer", pk=own.pk)
        return render(
            request,
            "billing/home.html",
            {"role": role.value, "own_payer": own, "jht_url": reverse("billing:jht")},
        )
    as_of = today_in_jakarta()
    context: dict[str, Any] = {
        "role": role.value if role else "",
        "as_of": as_of,
        "bucket_titles": [str(b) for b in BUCKET_LABELS],
    }
    if BILLING.allows(scope, "runs.view"):
        context["runs"] = [_run_row(r) for r in runs_visible(scope)[:5]]
    if role == Role.BRANCH_OFFICER:
        # An office's list is small enough for every visit; the national one is a page of its
        # own (the administrator's home links to it rather than computing it on each visit).
        follow = arrears_follow_up(scope, as_of=as_of, limit=10)
        context["totals"] = totals_rows(follow.totals)
        context["total"] = money(follow.totals.total_idr)
        context["payers_in_arrears"] = format_number(follow.count)
        context["rows"] = [arrears_line(r) for r in follow.rows]
    elif role == Role.ANALYST:
        totals = arrears_totals(scope, as_of=as_of, aggregate=True)
        context["totals"] = totals_rows(totals)
        context["total"] = money(totals.total_idr)
        context["payers_in_arrears"] = format_number(totals.payers)
    if role == Role.PARTNER_USER:
        page = page_of(request, payers_visible(scope).order_by("name", "id"))
        context["payer_page"] = page
    return render(request, "billing/home.html", context)


@dataclass(frozen=True)
class RunRow:
    pk: int
    period: str
    status: str
    status_code: str
    stage: str
    started_at: Any
    finished_at: Any
    invoices: str
    total: str
    percent: int


def _run_row(run: BillingRun) -> RunRow:
    total = run.progress_total or 0
    percent = (
        100
        if run.status == RunStatus.FINISHED
        else (min(100, int(run.progress_done * 100 / total)) if total else 0)
    )
    return RunRow(
        pk=run.pk,
        period=period_text(run.period),
        status=str(RUN_STATUS_LABELS.get(run.status, run.status)),
        status_code=run.status,
        stage=str(STAGE_LABELS.get(run.stage, run.stage)),
        started_at=run.started_at,
        finished_at=run.finished_at,
        invoices=format_number(int((run.counts or {}).get("invoices", 0) or 0)),
        total=money(_grand_total(run)),
        percent=percent,
    )


def _grand_total(run: BillingRun) -> int:
    totals = run.totals or {}
    for key in ("grand_total_idr", "total_idr", "grand_total", "total"):
        value = totals.get(key)
        if isinstance(value, int):
            return value
    return 0


@require_GET
@_roles("runs.view")
def runs_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = page_of(request, runs_visible(scope), RUNS_PER_PAGE)
    rows = [_run_row(r) for r in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "can_start": BILLING.allows(scope, "runs.start"),
        "start_period": f"{today_in_jakarta():%Y-%m}",
    }
    return render(request, "billing/runs.html", context)


@require_POST
@_roles("runs.start")
def run_start(request: HttpRequest) -> HttpResponse:
    """Queue the run of the month in the form for the task worker, and show its job page; a
    refusal (bad month, a run of the month in progress) goes back to the runs page."""
    period = (request.POST.get("period") or "").strip()
    try:
        run = billing_run_enqueue(period, by=scope_of(request))
    except BillingError as error:
        messages.error(request, error.message_in(current_language()))
        return redirect("billing:runs")
    return redirect("jobs:status", pk=run.pk)


def _pairs(
    data: dict[str, Any] | None,
    *,
    amounts: bool = False,
    labels: dict[str, Any] = RUN_KEY_LABELS,
) -> list[tuple[str, str]]:
    """A JSON object of counts, amounts (``amounts=True``, or keys ending in ``idr``) or seconds
    as (name, text) rows, nested objects flattened (``by_program · JKK``)."""
    out: list[tuple[str, str]] = []
    for raw_key, value in (data or {}).items():
        key = str(labels.get(raw_key, raw_key))
        if isinstance(value, dict):
            nested = {f"{key} · {labels.get(k, k)}": v for k, v in value.items()}
            out.extend(_pairs(nested, amounts=amounts, labels=labels))
        elif isinstance(value, bool):
            out.append((key, str(value)))
        elif isinstance(value, int):
            is_money = amounts or raw_key.endswith("idr")
            out.append((key, money(value) if is_money else format_number(value)))
        elif isinstance(value, float):
            out.append(
                (key, f"{value:.2f}".replace(".", "," if current_language() == "id" else "."))
            )
        else:
            out.append((key, str(value)))
    return out


@require_GET
@_roles("runs.view")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run as a job: stage, progress, counts, timings, totals and rejects by reason. While it
    runs the page reloads itself (a ``<meta refresh>``, no script)."""
    scope = scope_of(request)
    run = run_get(scope, pk=pk)
    if run is None:
        return not_found(request)
    context = {
        "run": run,
        "row": _run_row(run),
        "channel": label(ORIGIN_CHANNEL_LABELS, run.channel),
        "running": run.status == RunStatus.RUNNING,
        "refresh": REFRESH_SECONDS,
        "progress_done": format_number(run.progress_done),
        "progress_total": format_number(run.progress_total),
        "counts": _pairs(run.counts),
        "totals": _pairs(run.totals, amounts=True),
        "timings": _pairs(run.timings, labels=STAGE_LABELS),
        "rejects": [{**r, "count": format_number(r["count"])} for r in run_rejects_by_reason(run)],
    }
    return render(request, "billing/run_detail.html", context)


@require_GET
@_roles("invoices.view")
def payer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A payer: facts, arrears by age, invoices (paginated) and the latest payments."""
    scope = scope_of(request)
    payer = payer_get(scope, pk=pk)
    as_of = today_in_jakarta()
    page = page_of(request, invoice_list(scope, payer=payer), 12)
    arrears = payer_arrears(scope, payer=payer, as_of=as_of)
    payments = list(payments_visible(scope).filter(payer=payer).order_by("-paid_on", "-id")[:10])
    context = {
        "payer": payer,
        "kind": str(KIND_LABELS.get(payer.kind, payer.kind)),
        "contact": contact_of(payer),
        "credit": money(payer.credit_idr),
        "office": str(payer.branch_office) if payer.branch_office_id else "",
        "as_of": as_of,
        "arrears": arrears,
        "arrears_buckets": totals_rows(arrears) if arrears else [],
        "arrears_total": money(arrears.total_idr) if arrears else "",
        "page": page,
        "invoices": [invoice_row(i) for i in page.object_list],
        "payments": [
            {
                "paid_on": p.paid_on,
                "bank_ref": p.bank_ref,
                "amount": money(p.amount_idr),
                "allocated": money(p.allocated_idr),
                "to_credit": money(p.to_credit_idr),
                "channel": p.get_channel_display(),
            }
            for p in payments
        ],
        "may_follow_up": BILLING.allows(scope, "arrears.follow_up"),
        "may_work_case": BILLING.allows(scope, "case.work"),
    }
    return render(request, "billing/payer_detail.html", context)


@require_GET
@_roles("invoices.view")
def invoice_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An invoice: items (contributions by program, penalties), penalties carried, and its
    lines one page at a time (masked NIK)."""
    scope = scope_of(request)
    invoice = invoice_get(scope, number=number)
    page = page_of(request, invoice_lines(invoice), LINES_PER_PAGE)
    columns = program_columns()
    items = [
        {
            "kind": _("Penalty") if item.kind == ItemKind.PENALTY else _("Contribution"),
            "segment": item.segment,
            "program": item.program,
            "due_date": item.due_date,
            "amount": money(item.amount_idr),
            "paid": money(item.paid_idr),
            "open": item.paid_idr < item.amount_idr,
        }
        for item in invoice_items(invoice)
    ]
    charges = [
        {
            "source": c.source_item.invoice.number,
            "base": money(c.base_idr),
            "months": c.months,
            "rate": f"{c.rate * 100:.2f}%",
            "amount": money(c.amount_idr),
        }
        for c in PenaltyCharge.objects.filter(billed_on__invoice=invoice)
        .select_related("source_item__invoice")
        .order_by("id")
    ]
    context = {
        "invoice": invoice,
        "row": invoice_row(invoice),
        "payer": invoice.payer,
        "items": items,
        "charges": charges,
        "contribution": money(invoice.contribution_idr),
        "penalty": money(invoice.penalty_idr),
        "words": amount_in_words(invoice.total_idr),
        "page": page,
        "lines": [line_row(line, columns) for line in page.object_list],
        "program_titles": [c.title for c in columns],
        "line_colspan": 7 + len(columns),
        "issued_on": invoice.issued_on,
    }
    return render(request, "billing/invoice_detail.html", context)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@_roles("invoices.view")
def invoice_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    scope = scope_of(request)
    invoice = invoice_get(scope, number=number)
    content = invoice_pdf(invoice, language=current_language())
    return _pdf(content, f"tagihan-{invoice.number}.pdf")


KIND_FILTER_LABELS = {
    "pemberi_kerja": gettext_lazy("Employer"),
    "bpu": gettext_lazy("BPU participant"),
    "penyandang": gettext_lazy("Sponsor"),
}


def arrears_filter(request: HttpRequest, scope: Scope) -> ArrearsFilter:
    """The filters of the query string; a billing refusal naming the field when one is wrong."""
    return arrears_filter_parse(request.GET, user_id=scope.user_id)


FILTER_PARAMS = ("tanggal", "kantor", "jenis", "desa", "min", "maks", "umur", "petugas")


def _filter_query(request: HttpRequest, as_of: date) -> str:
    """The list's filters as a query string (for the pager and the CSV link)."""
    values = {name: (request.GET.get(name) or "").strip() for name in FILTER_PARAMS}
    values["tanggal"] = as_of.isoformat()
    return urlencode({k: v for k, v in values.items() if v})


def data_stop_text(as_of: date) -> str:
    """The banner's text when billing stops before ``as_of``'s month, else empty."""
    last = data_stop_before(as_of)
    if last is None:
        return ""
    return _("Last invoices: %(month)s — the data stop before today") % {
        "month": period_text(str(last))
    }


@require_GET
@_roles("arrears.follow_up")
def arrears_list(request: HttpRequest) -> HttpResponse:
    """The follow-up list: the office's payers in arrears, oldest and largest first, narrowed
    by office, payer kind, village, amount and age."""
    scope = scope_of(request)
    as_of = _as_of(request)
    if as_of is None:
        return _bad_as_of(request)
    try:
        filters = arrears_filter(request, scope)
    except BillingError as error:
        message = error.message_in(current_language())
        return bad_request_page(request, message, back_url=reverse("billing:arrears"))
    number = max(1, _int(request.GET.get("halaman"), 1))
    follow = arrears_follow_up(
        scope,
        as_of=as_of,
        limit=ARREARS_PER_PAGE,
        offset=(number - 1) * ARREARS_PER_PAGE,
        filters=filters,
    )
    pages = max(1, -(-follow.count // ARREARS_PER_PAGE))
    query = _filter_query(request, as_of)
    offices = (
        list(BranchOffice.objects.order_by("code").values_list("code", "name"))
        if scope.role == Role.ADMIN
        else []
    )
    context = {
        "query": query,
        "data_stop": data_stop_text(as_of),
        "offices": offices,
        "office": (request.GET.get("kantor") or "").strip().upper(),
        "kinds": [(key, str(label)) for key, label in KIND_FILTER_LABELS.items()],
        "kind": (request.GET.get("jenis") or "").strip(),
        "bands": list(zip(BUCKET_KEYS, [str(b) for b in BUCKET_LABELS], strict=True)),
        "band": filters.band,
        "mine": filters.assigned_to is not None,
        "village": filters.village_code,
        "min_idr": "" if filters.min_idr is None else filters.min_idr,
        "max_idr": "" if filters.max_idr is None else filters.max_idr,
        "as_of": as_of,
        "rows": [
            replace(arrears_line(r), case_url=reverse("billing:case", args=[r.payer_id]))
            for r in follow.rows
        ],
        "totals": totals_rows(follow.totals),
        "total": money(follow.totals.total_idr),
        "count": format_number(follow.count),
        "bucket_titles": [str(b) for b in BUCKET_LABELS],
        "number": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "csv_url": reverse("billing:arrears-csv") + "?" + query,
    }
    return render(request, "billing/arrears.html", context)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


ARREARS_CSV_HEADER = [
    "payer_id",
    "name",
    "kind",
    "virtual_account",
    "contact",
    "d0_30_idr",
    "d31_60_idr",
    "d61_90_idr",
    "d90_plus_idr",
    "total_idr",
    "oldest_due",
    "months_unpaid",
]
#: The export's column names in the reader's language (the keys stay those of the API).
ARREARS_CSV_TITLES = {
    "payer_id": gettext_lazy("Payer ID"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "virtual_account": gettext_lazy("Virtual account"),
    "contact": gettext_lazy("Contact"),
    "d0_30_idr": gettext_lazy("1–30 days (Rp)"),
    "d31_60_idr": gettext_lazy("31–60 days (Rp)"),
    "d61_90_idr": gettext_lazy("61–90 days (Rp)"),
    "d90_plus_idr": gettext_lazy("Over 90 days (Rp)"),
    "total_idr": gettext_lazy("Total arrears (Rp)"),
    "oldest_due": gettext_lazy("Oldest due date"),
    "months_unpaid": gettext_lazy("Months unpaid"),
}


@require_GET
@_roles("arrears.follow_up")
def arrears_csv(request: HttpRequest) -> HttpResponse:
    """The whole follow-up list as CSV (streamed; audited as an export)."""
    scope = scope_of(request)
    as_of = _as_of(request)
    if as_of is None:
        return _bad_as_of(request)
    try:
        filters = arrears_filter(request, scope)
    except BillingError as error:
        message = error.message_in(current_language())
        return bad_request_page(request, message, back_url=reverse("billing:arrears"))
    audit_record(
        scope,
        AuditAction.EXPORT,
        target_type="billing.arrears",
        target_id=as_of.isoformat(),
        label=f"arrears {as_of.isoformat()}",
        detail={**scope.describe(), "filters": _filter_query(request, as_of)},
    )

    def rows() -> Any:
        for row in arrears_iter(scope, as_of=as_of, filters=filters):
            payer = row.payer
            yield (
                [
                    row.payer_id,
                    payer.name if payer else "",
                    payer.get_kind_display() if payer else "",
                    payer.virtual_account if payer else "",
                    contact_of(payer),
                    *row.buckets,
                    row.total_idr,
                    row.oldest_due.isoformat(),
                    row.months_unpaid,
                ]
            )

    header = [str(ARREARS_CSV_TITLES.get(key, key)) for key in ARREARS_CSV_HEADER]
    response = StreamingHttpResponse(csv_lines(rows(), header), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tunggakan-{as_of.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _year(request: HttpRequest) -> int | None:
    text = (request.GET.get("tahun") or "").strip()
    return int(text) if text.isdigit() and 1900 < int(text) < 3000 else None


def _jht_context(request: HttpRequest, person: Any, *, own: bool) -> dict[str, Any]:
    year = _year(request)
    statement = jht_statement(person, year)
    pdf_url = (
        reverse("billing:jht-pdf") if own else reverse("billing:jht-person-pdf", args=[person.pk])
    )
    if year:
        pdf_url += f"?tahun={year}"
    return {
        "person": person,
        "nik": mask_nik(person.nik),
        "year": year,
        "opening": money(statement.opening_idr),
        "closing": money(statement.closing_idr),
        "contributions": money(statement.contributions_idr),
        "returns": money(statement.returns_idr),
        "words": amount_in_words(statement.closing_idr),
        "entries": [
            {
                "booked_on": e.booked_on,
                "kind": _("Development return")
                if e.kind == JhtKind.RETURN
                else _("JHT contribution"),
                "period": period_text(e.period),
                "amount": money(e.amount_idr),
            }
            for e in statement.entries
        ],
        "pdf_url": pdf_url,
        "own": own,
        "this_year": today_in_jakarta().year,
    }


def _own_person(scope: Scope) -> Any:
    if scope.role != Role.WORKER or not scope.person_id:
        raise PersonIdNotFound(id=0)
    return person_get(scope, pk=scope.person_id)


@require_GET
@_roles("jht.view_own")
def jht_own(request: HttpRequest) -> HttpResponse:
    """The signed-in worker's own JHT account: balance and statement."""
    person = _own_person(scope_of(request))
    return render(request, "billing/jht.html", _jht_context(request, person, own=True))


@require_GET
@_roles("jht.view_own")
def jht_own_pdf(request: HttpRequest) -> HttpResponse:
    person = _own_person(scope_of(request))
    statement = jht_statement(person, _year(request))
    return _pdf(jht_statement_pdf(statement, language=current_language()), "saldo-jht.pdf")


@require_GET
@_roles("jht.view")
def jht_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's JHT account for an officer in scope (NIK masked)."""
    person = person_get(scope_of(request), pk=person_id)
    return render(request, "billing/jht.html", _jht_context(request, person, own=False))


@require_GET
@_roles("jht.view")
def jht_person_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(scope_of(request), pk=person_id)
    statement = jht_statement(person, _year(request))
    return _pdf(
        jht_statement_pdf(statement, language=current_language()), f"saldo-jht-{person.pk}.pdf"
    )


__all__ = [
    "arrears_csv",
    "arrears_list",
    "billing_home",
    "invoice_detail",
    "invoice_pdf_view",
    "jht_own",
    "jht_own_pdf",
    "jht_person",
    "jht_person_pdf",
    "payer_detail",
    "run_detail",
    "runs_list",
]
