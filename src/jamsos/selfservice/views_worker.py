"""The signed-in worker's own records (docs/workers.md "What a worker sees"): contributions
month by month, the JHT account, JP and JKP, the claims, the digital card with its verification
QR code, and all of it as a PDF. The card's public verification page shows only a masked name,
a masked KPJ and whether the membership is active."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import format_money
from jamsos.core.masking import mask_nik
from jamsos.membership.models import Membership, Person
from jamsos.membership.views.display import period_text
from jamsos.selfservice.documents import card_pdf, statement_pdf
from jamsos.selfservice.overview import PROGRAMS, worker_overview
from jamsos.selfservice.payment import qr_svg
from jamsos.selfservice.verification import card_token, verify
from jamsos.web.common import scope_of
from jamsos.web.error_pages import limited


def _signed_in_worker(request: HttpRequest) -> tuple[Person, Scope] | None:
    if not request.user.is_authenticated:
        return None
    scope = scope_of(request)
    if scope.role != Role.WORKER or not scope.person_id:
        return None
    person = Person.objects.filter(pk=scope.person_id).first()
    return (person, scope) if person is not None else None


def _card_membership(person: Person) -> Membership | None:
    """The membership the card shows: the active one begun last, else the last one."""
    rows = Membership.objects.filter(person=person).order_by("-start_date", "-id")
    return rows.filter(status="active").first() or rows.first()


def _verify_url(request: HttpRequest, membership: Membership) -> str:
    return request.build_absolute_uri(reverse("card-verify", args=[card_token(membership)]))


@require_http_methods(["GET"])
def overview_page(request: HttpRequest) -> HttpResponse:
    found = _signed_in_worker(request)
    if found is None:
        return redirect("worker-sign-in")
    person, _scope = found
    overview = worker_overview(person, today_in_jakarta())
    membership = _card_membership(person)
    verify_url = _verify_url(request, membership) if membership else ""
    months = [
        {
            "period": period_text(r.period),
            "kpj": r.kpj,
            "segment": r.segment,
            "amounts": [(p, format_money(r.amounts[p])) for p in PROGRAMS],
            "total": format_money(r.total_idr),
            "paid_on": r.paid_on,
            "overdue": r.overdue,
        }
        for r in overview.months
    ]
    context: dict[str, Any] = {
        "o": overview,
        "membership": membership,
        "nik": mask_nik(person.nik),
        "programs": PROGRAMS,
        "months": months,
        "totals": [(p, format_money(v)) for p, v in overview.program_totals.items()],
        "gaps": [period_text(p) for _kpj, p in overview.gaps],
        "arrears": format_money(overview.arrears_idr),
        "jht_balance": format_money(overview.jht_balance_idr),
        "opening_balance": (
            format_money(overview.opening.balance_idr) if overview.opening is not None else ""
        ),
        "jht_years": [
            {
                "year": y.year,
                "contributions": format_money(y.contributions_idr),
                "returns": format_money(y.returns_idr),
                "withdrawals": format_money(y.withdrawals_idr),
                "closing": format_money(y.closing_idr),
                "rate": f"{y.rate.rate * 100:.2f} %" if y.rate.rate is not None else "",
            }
            for y in overview.jht_years
        ],
        "verify_url": verify_url,
        "qr": qr_svg(verify_url) if verify_url else "",
    }
    return render(request, "selfservice/overview.html", context)


@require_http_methods(["GET"])
def card_pdf_view(request: HttpRequest) -> HttpResponse:
    found = _signed_in_worker(request)
    if found is None:
        return redirect("worker-sign-in")
    person, scope = found
    membership = _card_membership(person)
    if membership is None:
        return redirect("worker-overview")
    content = card_pdf(
        membership, verify_url=_verify_url(request, membership), printed=today_in_jakarta()
    )
    audit_record(scope, AuditAction.EXPORT, membership, detail={"document": "card"})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kartu-{membership.kpj}.pdf"'
    return response


@require_http_methods(["GET"])
def statement_pdf_view(request: HttpRequest) -> HttpResponse:
    found = _signed_in_worker(request)
    if found is None:
        return redirect("worker-sign-in")
    person, scope = found
    membership = _card_membership(person)
    today = today_in_jakarta()
    overview = worker_overview(person, today)
    kpj = membership.kpj if membership else "-"
    verify_url = _verify_url(request, membership) if membership else ""
    content = statement_pdf(overview, kpj=kpj, verify_url=verify_url)
    audit_record(scope, AuditAction.EXPORT, person, detail={"document": "statement"})
    response = HttpResponse(content, content_type="application/pdf")
    name = f"ringkasan-{kpj}-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET"])
@limited("card-verify", "public.address")
def verify_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what a card's QR code opens. Only a masked name, a masked KPJ, active or not."""
    verified = verify(token)
    response = render(
        request,
        "selfservice/verify.html",
        {"verified": verified},
        status=200 if verified is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
