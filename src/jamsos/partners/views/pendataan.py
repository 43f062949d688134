"""Pages of door-to-door listing (pendataan), under /mitra/pendataan/: campaigns with their
funnel, the phone form for one listed worker, the file import with its per-row report, and the
follow-up list with its "contacted" and "register" actions. Same services as the API and CLI."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language, format_number
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.models import Ecosystem
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.pendataan import (
    campaign_get,
    campaigns_visible,
    follow_up_list,
    sees_prospects,
)
from jamsos.partners.services.funnel import (
    STEP_LABELS,
    STEPS,
    funnel,
    prospect_contacted,
    prospect_register,
)
from jamsos.partners.services.matching import match_reason_text
from jamsos.partners.services.prospects import prospect_record, prospects_import, report_csv

FORM_FIELDS = (
    "nik",
    "name",
    "birth_date",
    "consent_contact",
    "phone",
    "occupation",
    "estimated_income",
    "ecosystem",
    "village_code",
    "address",
    "cadre_code",
)


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _denied(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(
        request,
        "partners/pendataan/denied.html",
        {"message": exc.message},
        status=exc.http_status,
    )


def _lang() -> str:
    return "en" if current_language().startswith("en") else "id"


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        campaigns = list(campaigns_visible(scope).order_by("-starts_on", "code"))
        totals = {r.key: r for r in funnel(scope, by="campaign")[1:]}
    except ApplicationError as exc:
        return _denied(request, exc)
    rows = [
        {
            "campaign": c,
            "listed": format_number(totals[c.code].listed) if c.code in totals else "0",
            "registered": format_number(totals[c.code].registered) if c.code in totals else "0",
        }
        for c in campaigns
    ]
    return render(request, "partners/pendataan/campaign_list.html", {"rows": rows})


def _bars(rows: list[Any]) -> list[dict[str, Any]]:
    total = rows[0]
    top = max(total.listed, 1)
    lang = _lang()
    return [
        {
            "label": STEP_LABELS[s][lang],
            "value": format_number(getattr(total, s)),
            "pct": round(100 * getattr(total, s) / top),
        }
        for s in STEPS
    ]


def _dimensions() -> list[tuple[str, str]]:
    """The funnel's breakdowns, with their labels in the active language."""
    return [("cadre", _("Cadre")), ("village", _("Village")), ("ecosystem", _("Ecosystem"))]


@login_required
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    by = request.GET.get("by", "cadre")
    try:
        campaign = campaign_get(scope, code)
        rows = funnel(scope, campaign=campaign, by=by)
    except ApplicationError as exc:
        return _denied(request, exc)
    lang = _lang()
    return render(
        request,
        "partners/pendataan/campaign_detail.html",
        {
            "campaign": campaign,
            "bars": _bars(rows),
            "by": by,
            "by_label": dict(_dimensions()).get(by, by),
            "dimensions": _dimensions(),
            "steps": [STEP_LABELS[s][lang] for s in STEPS],
            "table": [
                {
                    "key": r.key or "–",
                    "values": [format_number(getattr(r, s)) for s in STEPS],
                }
                for r in rows[1:]
            ],
            "cadres": list(campaign.cadres.all()),
            "may_record": sees_prospects(scope),
            "total": rows[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prospect_form(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    try:
        campaign = campaign_get(scope, code)
        PARTNERS.require(scope, "prospects.record")
    except ApplicationError as exc:
        return _denied(request, exc)
    error = None
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in FORM_FIELDS}
        values["consent_contact"] = "yes" if request.POST.get("consent_contact") else "no"
        try:
            prospect = prospect_record(scope=scope, campaign=campaign, values=values)
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Saved: %(name)s (%(status)s).")
                % {
                    "name": prospect.name,
                    "status": match_reason_text(prospect.match_reason, _lang()),
                },
            )
            return redirect("partners:pendataan-prospect-add", code=campaign.code)
    return render(
        request,
        "partners/pendataan/prospect_form.html",
        {
            "campaign": campaign,
            "values": values,
            "error": error,
            "error_field": getattr(error, "field", ""),
            "ecosystems": [(v, label) for v, label in Ecosystem.choices if v != "none"],
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prospect_import(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    try:
        campaign = campaign_get(scope, code)
    except ApplicationError as exc:
        return _denied(request, exc)
    result = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file.")
        else:
            from jamsos.uploads.parsing import read_capped

            try:
                result = prospects_import(
                    scope=scope,
                    campaign=campaign,
                    content=read_capped(upload, file_name=upload.name or ""),
                    file_name=upload.name or "",
                    file_format=request.POST.get("format") or None,
                    accept_valid=bool(request.POST.get("accept_valid")),
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                if request.POST.get("download"):
                    audit_record(
                        scope, AuditAction.EXPORT, campaign, detail={"report": upload.name}
                    )
                    response = HttpResponse(
                        report_csv(result, _lang()), content_type="text/csv; charset=utf-8"
                    )
                    response["Content-Disposition"] = 'attachment; filename="laporan.csv"'
                    return response
    lang = _lang()
    rows = []
    if result is not None:
        for r in result.rows:
            rows.append(
                {
                    "line": r.line,
                    "nik": mask_nik(r.nik) if len(r.nik) == 16 else r.nik,
                    "name": r.name,
                    "status": r.status,
                    "reasons": [f"{p.field}: {p.message(lang)}" for p in r.problems],
                    "match": match_reason_text(r.match_reason, lang) if r.match_status else "",
                }
            )
    return render(
        request,
        "partners/pendataan/import.html",
        {
            "campaign": campaign,
            "result": result,
            "counts": result.counts if result else {},
            "rows": rows,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def follow_up(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    try:
        campaign = campaign_get(scope, code)
        leads = follow_up_list(scope, campaign)
    except ApplicationError as exc:
        return _denied(request, exc)
    audit_record(scope, AuditAction.VIEW_FULL, campaign, detail={"follow_up": len(leads)})
    lang = _lang()
    return render(
        request,
        "partners/pendataan/follow_up.html",
        {
            "campaign": campaign,
            "leads": [
                {
                    "p": p,
                    "nik": mask_nik(p.nik),
                    "phone": mask_phone(p.phone),
                    "reason": match_reason_text(p.match_reason, lang),
                }
                for p in leads
            ],
        },
    )


@login_required
@require_POST
def prospect_action(request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
    scope = _scope(request)
    if action not in {"contacted", "register"}:
        raise Http404
    try:
        if action == "contacted":
            prospect_contacted(scope=scope, prospect=pk)
            messages.success(request, _("Marked as contacted."))
        else:
            income = request.POST.get("declared_income_idr", "").replace(".", "").strip()
            p = prospect_register(
                scope=scope,
                prospect=pk,
                declared_income_idr=int(income) if income.isdigit() else None,
            )
            messages.success(
                request,
                _("Registered: KPJ %(kpj)s.") % {"kpj": p.registered_membership.kpj},
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("partners:pendataan-follow-up", code=code)


urlpatterns: list[URLPattern] = [
    path("pendataan/", campaign_list, name="pendataan-campaign-list"),
    path("pendataan/<slug:code>/", campaign_detail, name="pendataan-campaign-detail"),
    path("pendataan/<slug:code>/catat/", prospect_form, name="pendataan-prospect-add"),
    path("pendataan/<slug:code>/impor/", prospect_import, name="pendataan-import"),
    path("pendataan/<slug:code>/tindak-lanjut/", follow_up, name="pendataan-follow-up"),
    path(
        "pendataan/<slug:code>/calon/<int:pk>/<str:action>/",
        prospect_action,
        name="pendataan-prospect-action",
    ),
]
