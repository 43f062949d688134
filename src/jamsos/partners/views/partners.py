"""Pages of partners, agreements (PKS), ecosystems and outreach events under /mitra/
(docs/partners/agreements.md, docs/partners/events.md). Every page reads through the scoped
selectors; the forms call the same services as the CLI and the API."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.core.charts import PLOTLY_VERSION, allows_plotly_styles
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import format_money, format_number, format_rate
from jamsos.core.masking import mask_phone
from jamsos.membership.models import BranchOffice, Ecosystem, SegmentChoice
from jamsos.partners.models import EcosystemKind, EventKind, PartnerKind
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.partners import (
    ENDING_SOON_DAYS,
    agreement_get,
    agreements_ending_soon,
    agreements_visible,
    ecosystem_list,
    event_get,
    events_visible,
    partner_get,
    partners_visible,
    require_writer,
    sees_contacts,
)
from jamsos.partners.services.agreements import (
    agreement_create,
    agreement_sign,
    agreement_target_add,
)
from jamsos.partners.services.attribution import (
    attributed_by_month,
    attributed_counts,
    targets_progress,
)
from jamsos.partners.services.events import event_record, events_yield
from jamsos.partners.services.partners import ContactData, partner_create
from jamsos.partners.services.scorecards import partner_enrolments_by_month, scorecards
from jamsos.web.common import page_of, scope_of, signed_in

T = "partners/core/"


def _page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first; a role that may not read partner work gets 403, a record outside the
    scope 404 (:func:`~jamsos.web.common.signed_in`)."""
    return signed_in(view)


def _may_write(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "partners.record")


def _pct(value: Any) -> str:
    return "–" if value is None else format_rate(value.quantize(Decimal("0.001")))


def _card_view(card: Any) -> dict[str, Any]:
    return {
        "card": card,
        "enrolled": format_number(card.enrolled),
        "active": format_number(card.active),
        "paying_rate": _pct(card.paying_rate_3m),
        "paying_detail": f"{format_number(card.paid_3m)}/{format_number(card.eligible_3m)}",
        "cost": format_money(card.cost_per_enrolment_idr)
        if card.cost_per_enrolment_idr is not None
        else "–",
        "budget": format_money(card.budget_idr) if card.budget_idr else "–",
    }


def _bars(rows: list[tuple[str, int]]) -> dict[str, Any]:
    top = max((n for _, n in rows), default=0) or 1
    return {
        "rows": [
            {"month": m, "n": n, "label": format_number(n), "pct": max(2, n * 100 // top)}
            for m, n in rows
        ],
        "chart": {"x": [m for m, _ in rows], "y": [n for _, n in rows]},
    }


# ---------------------------------------------------------------------------------------------
# Partners
# ---------------------------------------------------------------------------------------------


@_page
def partner_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    query = partners_visible(scope).select_related("region", "branch_office")
    kind = request.GET.get("jenis", "")
    if kind in PartnerKind.values:
        query = query.filter(kind=kind)
    page = page_of(request, query)
    cards = {c.partner_id: c for c in scorecards(list(page.object_list))}
    rows = [{"partner": p, **_card_view(cards[p.pk])} for p in page.object_list]
    return render(
        request,
        T + "partner_list.html",
        {
            "page": page,
            "rows": rows,
            "kinds": PartnerKind.choices,
            "kind": kind,
            "may_write": _may_write(scope),
        },
    )


@allows_plotly_styles
@_page
def partner_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_of(request)
    partner = partner_get(scope, code)
    today = today_in_jakarta()
    agreements = list(agreements_visible(scope, today=today).filter(partner=partner))
    counts = attributed_counts([a.pk for a in agreements]) if agreements else {}
    contacts = []
    if sees_contacts(scope):
        contacts = [{"c": c, "phone": mask_phone(c.phone)} for c in partner.contacts.all()]
    return render(
        request,
        T + "partner_detail.html",
        {
            "partner": partner,
            "contacts": contacts,
            "sees_contacts": sees_contacts(scope),
            "agreements": [
                {"a": a, "attributed": format_number(counts.get(a.pk, 0))} for a in agreements
            ],
            **_card_view(scorecards([partner])[0]),
            "bars": _bars(partner_enrolments_by_month(partner)),
            "plotly_url": _plotly_url(),
            "may_write": _may_write(scope),
        },
    )


def _plotly_url() -> str | None:
    """The bar bundle of Plotly (bars and lines), served by the coverage app."""
    try:
        return reverse("coverage:plotly", args=["basic"]) + f"?v={PLOTLY_VERSION}"
    except NoReverseMatch:  # the coverage app may be absent
        return None


def _offices(scope: Scope) -> list[BranchOffice]:
    if scope.role == Role.BRANCH_OFFICER:
        return list(BranchOffice.objects.filter(pk=scope.branch_office_id))
    return list(BranchOffice.objects.order_by("code"))


@_page
@require_http_methods(["GET", "POST"])
def partner_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_writer(scope)
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            partner = partner_create(
                scope=scope,
                code=data.get("code", ""),
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                region=data.get("region") or None,
                branch_office=data.get("branch_office") or None,
                note=data.get("note", ""),
                contacts=[
                    ContactData(
                        name=data.get("contact_name", ""),
                        position=data.get("contact_position", ""),
                        phone=data.get("contact_phone", ""),
                        email=data.get("contact_email", ""),
                        is_primary=True,
                    )
                ],
            )
        except ApplicationError as exc:
            if exc.http_status == 403:
                raise
            error = exc
        else:
            messages.success(request, _("Partner recorded."))
            return redirect("partners:partner-detail", code=partner.code)
    return render(
        request,
        T + "partner_form.html",
        {
            "data": data,
            "error": error,
            "kinds": PartnerKind.choices,
            "offices": _offices(scope),
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------


@_page
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    today = today_in_jakarta()
    agreement = agreement_get(scope, pk, today=today)
    progress = targets_progress([agreement.pk])
    by_month = attributed_by_month(agreement.pk)
    return render(
        request,
        T + "agreement_detail.html",
        {
            "a": agreement,
            "status": agreement.effective_status,
            "regions": list(agreement.regions.all()),
            "others": list(agreement.other_partners.all()),
            "budget": format_money(agreement.budget_idr) if agreement.budget_idr else "–",
            "attributed": format_number(sum(n for _, n in by_month)),
            "targets": [
                {
                    "p": p,
                    "enrolled": format_number(p.enrolled),
                    "goal": format_number(p.target.enrolments),
                    "active": format_number(p.active),
                    "active_goal": format_number(p.target.active) if p.target.active else "",
                }
                for p in progress
            ],
            "bars": _bars(by_month),
            "may_write": _may_write(scope),
            "segments": SegmentChoice.values,
            "is_draft": agreement.status == "draft",
        },
    )


@_page
@require_POST
def agreement_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    agreement = agreement_get(scope, pk)
    try:
        agreement_sign(scope=scope, agreement=agreement, signed_on=request.POST.get("signed_on"))
    except ApplicationError as exc:
        if exc.http_status in {403, 404}:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Agreement signed."))
    return redirect("partners:agreement-detail", pk=agreement.pk)


@_page
@require_POST
def agreement_target_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    agreement = agreement_get(scope, pk)
    data = request.POST
    try:
        agreement_target_add(
            scope=scope,
            agreement=agreement,
            period_from=data.get("period_from", ""),
            period_to=data.get("period_to", ""),
            enrolments=data.get("enrolments", ""),
            active=data.get("active") or None,
            segment=data.get("segment", ""),
        )
    except ApplicationError as exc:
        if exc.http_status in {403, 404}:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Target added."))
    return redirect("partners:agreement-detail", pk=agreement.pk)


@_page
@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_writer(scope)
    data = request.POST if request.method == "POST" else request.GET
    error = None
    if request.method == "POST":
        try:
            agreement = agreement_create(
                scope=scope,
                number=data.get("number", ""),
                title=data.get("title", ""),
                partner=data.get("partner", ""),
                starts_on=data.get("starts_on", ""),
                ends_on=data.get("ends_on", ""),
                branch_office=data.get("branch_office") or None,
                regions=[r.strip() for r in data.get("regions", "").split(",") if r.strip()],
                segments=data.getlist("segments"),
                ecosystems=data.getlist("ecosystems"),
                budget_idr=data.get("budget_idr") or None,
                sponsored_workers=data.get("sponsored_workers") or None,
                reporting_duty=data.get("reporting_duty", ""),
            )
        except ApplicationError as exc:
            if exc.http_status == 403:
                raise
            error = exc
        else:
            messages.success(request, _("Agreement recorded as a draft."))
            return redirect("partners:agreement-detail", pk=agreement.pk)
    return render(
        request,
        T + "agreement_form.html",
        {
            "data": data,
            "error": error,
            "partners": list(partners_visible(scope).filter(is_active=True)),
            "offices": _offices(scope),
            "segments": SegmentChoice.values,
            "ecosystems": [e for e in Ecosystem.choices if e[0] != Ecosystem.NONE],
        },
        status=400 if error else 200,
    )


@_page
def agreement_ending(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    rows = agreements_ending_soon(scope, today=today_in_jakarta())
    return render(request, T + "agreement_ending.html", {"rows": rows, "days": ENDING_SOON_DAYS})


# ---------------------------------------------------------------------------------------------
# Ecosystems and events
# ---------------------------------------------------------------------------------------------


@_page
def ecosystem_list_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    region = request.GET.get("wilayah", "").strip()
    kind = request.GET.get("jenis", "")
    sites = ecosystem_list(
        scope, region_code=region, kind=kind if kind in EcosystemKind.values else ""
    )
    return render(
        request,
        T + "ecosystem_list.html",
        {"sites": sites, "region": region, "kind": kind, "kinds": EcosystemKind.choices},
    )


@_page
def event_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = page_of(request, events_visible(scope).prefetch_related("partners"))
    yields = events_yield([e.pk for e in page.object_list])
    rows = [{"e": e, "y": yields.get(e.pk)} for e in page.object_list]
    return render(
        request, T + "event_list.html", {"page": page, "rows": rows, "may_write": _may_write(scope)}
    )


@_page
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    event = event_get(scope, pk)
    y = events_yield([event.pk]).get(event.pk)
    return render(
        request,
        T + "event_detail.html",
        {
            "e": event,
            "partners": list(event.partners.all()),
            "attributed": format_number(y.attributed if y else 0),
            "on_site": format_number(y.on_site if y else 0),
            "after_event": format_number(y.after_event if y else 0),
            "paid": format_number(y.paid if y else 0),
        },
    )


@_page
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_writer(scope)
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            event = event_record(
                scope=scope,
                kind=data.get("kind", ""),
                title=data.get("title", ""),
                held_on=data.get("held_on", ""),
                region=data.get("region", ""),
                branch_office=data.get("branch_office") or None,
                partners=data.getlist("partners"),
                agreement=data.get("agreement") or None,
                ecosystem=data.get("ecosystem") or None,
                attendance=data.get("attendance") or 0,
                registrations_on_site=data.get("registrations_on_site") or 0,
                note=data.get("note", ""),
            )
        except ApplicationError as exc:
            if exc.http_status == 403:
                raise
            error = exc
        else:
            messages.success(request, _("Event recorded."))
            return redirect("partners:event-detail", pk=event.pk)
    return render(
        request,
        T + "event_form.html",
        {
            "data": data,
            "error": error,
            "kinds": EventKind.choices,
            "partners": list(partners_visible(scope).filter(is_active=True)),
            "offices": _offices(scope),
            "chosen": data.getlist("partners") if data else [],
        },
        status=400 if error else 200,
    )


urlpatterns: list[URLPattern] = [
    path("", partner_list, name="partner-list"),
    path("tambah/", partner_add, name="partner-add"),
    path("m/<slug:code>/", partner_detail, name="partner-detail"),
    path("pks/tambah/", agreement_add, name="agreement-add"),
    path("pks/berakhir/", agreement_ending, name="agreement-ending"),
    path("pks/<int:pk>/", agreement_detail, name="agreement-detail"),
    path("pks/<int:pk>/tandatangan/", agreement_sign_view, name="agreement-sign"),
    path("pks/<int:pk>/target/", agreement_target_view, name="agreement-target-add"),
    path("ekosistem/", ecosystem_list_view, name="ecosystem-list"),
    path("acara/", event_list, name="event-list"),
    path("acara/tambah/", event_add, name="event-add"),
    path("acara/<int:pk>/", event_detail, name="event-detail"),
]
