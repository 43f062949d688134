"""Pages of the regional policy register under /mitra/regional/ (docs/partners/regional.md):
instruments (regulations, budget lines, circulars, instructions) and follow-up commitments per
region, with filters; an instrument's page; recording and changing an instrument; recording a
commitment and marking it done. Every page reads through the scoped selectors and writes through
the services the API and the command line use."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import format_money
from jamsos.partners.models import (
    Agreement,
    CommitmentStatus,
    InstrumentKind,
    InstrumentStatus,
    OutreachEvent,
)
from jamsos.partners.policy import PARTNERS
from jamsos.partners.regional_errors import BadRegionalValue
from jamsos.partners.selectors.partners import agreements_visible, events_visible
from jamsos.partners.selectors.regional import (
    commitment_get,
    commitments_visible,
    instrument_get,
    instruments_visible,
    region_names,
)
from jamsos.partners.services.regional import (
    commitment_create,
    commitment_done,
    instrument_save,
)
from jamsos.web.common import page_of, scope_of, signed_in

T = "partners/regional/"


def _may_record(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "regional.record")


def _date(data: QueryDict | dict[str, Any], name: str) -> date | None:
    text = (data.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRegionalValue(
            field=name,
            value=text[:20],
            reason_id="tanggal ditulis TTTT-BB-HH",
            reason_en="a date is written YYYY-MM-DD",
        ) from None


def _int(data: QueryDict | dict[str, Any], name: str) -> int | None:
    text = (data.get(name) or "").replace(".", "").replace(",", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadRegionalValue(
            field="budget", value=text[:20], reason_id="bukan angka", reason_en="not a number"
        )
    return int(text)


def _agreement(scope: Scope, number: str) -> Agreement | None:
    number = number.strip()
    if not number:
        return None
    found = agreements_visible(scope, today=today_in_jakarta()).filter(number=number).first()
    if found is None:
        raise BadRegionalValue(
            field="agreement",
            value=number[:40],
            reason_id="tidak ada dalam wilayah kerja Anda",
            reason_en="not among the agreements you see",
        )
    return found


def _event(scope: Scope, raw: str) -> OutreachEvent | None:
    if not raw.strip():
        return None
    found = events_visible(scope).filter(pk=int(raw)).first() if raw.isdigit() else None
    if found is None:
        raise BadRegionalValue(
            field="event",
            value=raw[:20],
            reason_id="acara tidak dikenal",
            reason_en="unknown event",
        )
    return found


@signed_in
@require_http_methods(["GET"])
def register_list(request: HttpRequest) -> HttpResponse:
    """Instruments and commitments of a region (``wilayah``), by kind (``jenis``) and status
    (``status``, ``komitmen``)."""
    scope = scope_of(request)
    region = (request.GET.get("wilayah") or "").strip()
    kind = request.GET.get("jenis", "")
    kind = kind if kind in InstrumentKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in InstrumentStatus.values else ""
    open_only = request.GET.get("komitmen", "open")
    open_only = open_only if open_only in ("open", "done", "all") else "open"
    instruments = list(instruments_visible(scope, region=region, kind=kind, status=status))
    commitments = commitments_visible(
        scope, region=region, status="" if open_only == "all" else open_only
    )
    page = page_of(request, commitments, per_page=50)
    names = region_names(
        {i.region_code for i in instruments} | {c.region_code for c in page.object_list}
    )
    today = today_in_jakarta()
    return render(
        request,
        T + "list.html",
        {
            "instruments": [
                {"i": i, "region": names.get(i.region_code, i.region_code)} for i in instruments
            ],
            "commitments": [
                {
                    "c": c,
                    "region": names.get(c.region_code, c.region_code),
                    "late": c.status == CommitmentStatus.OPEN and c.due_on and c.due_on < today,
                }
                for c in page.object_list
            ],
            "page": page,
            "region": region,
            "kind": kind,
            "status": status,
            "open_only": open_only,
            "kinds": InstrumentKind.choices,
            "statuses": InstrumentStatus.choices,
            "may_record": _may_record(scope),
            "today": today.isoformat(),
        },
    )


@signed_in
@require_http_methods(["GET"])
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    instrument = instrument_get(scope, pk)
    names = region_names({instrument.region_code})
    return render(
        request,
        T + "instrument_detail.html",
        {
            "i": instrument,
            "region": names.get(instrument.region_code, instrument.region_code),
            "budget": format_money(instrument.budget_idr) if instrument.budget_idr else "",
            "commitments": list(instrument.commitments.all()),
            "may_record": _may_record(scope),
            "today": today_in_jakarta().isoformat(),
        },
    )


def _instrument_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    scope = scope_of(request)
    PARTNERS.require(scope, "regional.record")
    instrument = instrument_get(scope, pk) if pk is not None else None
    error = None
    if request.method == "POST":
        data: Any = request.POST
        try:
            saved = instrument_save(
                scope,
                instrument=instrument,
                kind=data.get("kind", ""),
                number=data.get("number", ""),
                title=data.get("title", ""),
                region_code=data.get("region_code", ""),
                issuer=data.get("issuer", ""),
                status=data.get("status", ""),
                signed_on=_date(data, "signed_on"),
                in_force_from=_date(data, "in_force_from"),
                in_force_until=_date(data, "in_force_until"),
                budget_idr=_int(data, "budget_idr"),
                link=data.get("link", ""),
                agreement=_agreement(scope, data.get("agreement", "")),
                event=_event(scope, data.get("event", "")),
                note=data.get("note", ""),
                source=data.get("source", ""),
            )
        except ApplicationError as exc:
            if exc.http_status == 403:
                raise
            error = exc
        else:
            messages.success(request, _("Instrument saved."))
            return redirect("partners:regional-instrument", pk=saved.pk)
    elif instrument is not None:
        data = {
            **{
                f: getattr(instrument, f) or ""
                for f in ("kind", "number", "title", "region_code", "issuer", "status", "link")
            },
            **{
                f: (getattr(instrument, f).isoformat() if getattr(instrument, f) else "")
                for f in ("signed_on", "in_force_from", "in_force_until")
            },
            "budget_idr": instrument.budget_idr or "",
            "agreement": instrument.agreement.number if instrument.agreement else "",
            "event": str(instrument.event_id or ""),
            "note": instrument.note,
            "source": instrument.source,
        }
    else:
        data = {"region_code": request.GET.get("wilayah", "")}
    return render(
        request,
        T + "instrument_form.html",
        {
            "data": data,
            "error": error,
            "instrument": instrument,
            "kinds": InstrumentKind.choices,
            "statuses": InstrumentStatus.choices,
            "events": list(events_visible(scope)[:100]),
        },
        status=400 if error else 200,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def instrument_add(request: HttpRequest) -> HttpResponse:
    return _instrument_form(request, None)


@signed_in
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _instrument_form(request, pk)


@signed_in
@require_http_methods(["GET", "POST"])
def commitment_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    PARTNERS.require(scope, "regional.record")
    error = None
    data: Any = (
        request.POST
        if request.method == "POST"
        else {
            "region_code": request.GET.get("wilayah", ""),
            "instrument": request.GET.get("instrumen", ""),
        }
    )
    if request.method == "POST":
        try:
            instrument_pk = data.get("instrument", "")
            commitment = commitment_create(
                scope,
                what=data.get("what", ""),
                who=data.get("who", ""),
                region_code=data.get("region_code", ""),
                made_on=_date(data, "made_on"),
                made_at=data.get("made_at", ""),
                due_on=_date(data, "due_on"),
                event=_event(scope, data.get("event", "")),
                agreement=_agreement(scope, data.get("agreement", "")),
                instrument=instrument_get(scope, int(instrument_pk))
                if instrument_pk.isdigit()
                else None,
                source=data.get("source", ""),
            )
        except ApplicationError as exc:
            if exc.http_status == 403:
                raise
            error = exc
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect("/mitra/regional/?wilayah=" + commitment.region_code + "#komitmen")
    return render(
        request,
        T + "commitment_form.html",
        {"data": data, "error": error, "events": list(events_visible(scope)[:100])},
        status=400 if error else 200,
    )


@signed_in
@require_POST
def commitment_mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    commitment = commitment_get(scope, pk)
    try:
        commitment_done(
            scope,
            commitment,
            done_on=_date(request.POST, "done_on") or today_in_jakarta(),
            note=request.POST.get("done_note", ""),
        )
    except ApplicationError as exc:
        if exc.http_status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Commitment marked done."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/mitra/regional/") else "/mitra/regional/")


urlpatterns: list[URLPattern] = [
    path("regional/", register_list, name="regional-list"),
    path("regional/instrumen/tambah/", instrument_add, name="regional-instrument-add"),
    path("regional/instrumen/<int:pk>/", instrument_detail, name="regional-instrument"),
    path("regional/instrumen/<int:pk>/ubah/", instrument_edit, name="regional-instrument-edit"),
    path("regional/komitmen/tambah/", commitment_add, name="regional-commitment-add"),
    path("regional/komitmen/<int:pk>/selesai/", commitment_mark_done, name="regional-done"),
]
