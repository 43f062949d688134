"""A branch officer's pages for construction projects (Jakon) and migrant workers (PMI).

``kerja/daftar/jakon/`` registers a contractor's project; ``kerja/daftar/pmi/`` a migrant
worker's placement before departure. The same services as ``POST /api/v1/projects`` and
``POST /api/v1/registrations/pmi``; the billing run of the start month invoices them, and the
page says how much (docs/registry/segments.md).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language, format_money
from jamsos.legal.types import Segment
from jamsos.membership.errors import EmployerNotFound, MembershipError
from jamsos.membership.forms import PmiRegisterForm, ProjectRegisterForm, village_label
from jamsos.membership.models import Channel
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    employer_get_by_npp,
    employers_visible,
    segment_contribution_idr,
)
from jamsos.membership.services import construction_project_register, pmi_register
from jamsos.membership.views.registration import (
    EMPLOYER_CHOICES_SHOWN,
    add_refusal,
    person_for_registration,
)
from jamsos.web.common import scope_of, signed_in


@signed_in
@require_http_methods(["GET", "POST"])
def register_project(request: HttpRequest) -> HttpResponse:
    """A construction project of one of the office's contractors."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "jakon.register")
    initial = {"start_date": today_in_jakarta(), "npp": request.GET.get("npp")}
    form = ProjectRegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contractor = employer_get_by_npp(scope, npp=data["npp"])
        except EmployerNotFound as error:
            form.add_error("npp", error.message_in(current_language()))
        else:
            try:
                with transaction.atomic():
                    project = construction_project_register(
                        contractor=contractor,
                        name=data["name"],
                        contract_value_idr=data["contract_value"],
                        village=data["village"],
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        by=scope,
                    )
            except MembershipError as error:
                form.add_service_error(error)
            else:
                billed = segment_contribution_idr(
                    Segment.JAKON, project.start_date, contract_value_idr=project.contract_value_idr
                )
                messages.success(
                    request,
                    _("Registered: project %(name)s of %(contractor)s.")
                    % {"name": project.name, "contractor": contractor.legal_name},
                )
                if billed is not None:
                    messages.info(
                        request,
                        _(
                            "JKK and JKM on the contract value: %(amount)s, invoiced to the "
                            "contractor by the billing run of %(month)s."
                        )
                        % {
                            "amount": format_money(billed),
                            "month": project.start_date.strftime("%Y-%m"),
                        },
                    )
                return redirect("employer-detail", npp=contractor.npp)
    employers = list(
        employers_visible(scope)
        .order_by("legal_name", "npp")
        .values_list("npp", "legal_name")[:EMPLOYER_CHOICES_SHOWN]
    )
    village = ""
    if form.is_bound and not form.errors.get("village"):
        village = village_label(form.cleaned_data.get("village"))
    context = {"form": form, "employers": employers, "village": village}
    return render(request, "web/registry/register_jakon.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def register_pmi(request: HttpRequest) -> HttpResponse:
    """A migrant worker living in the office's area, before departure."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "pmi.register")
    initial = {"start_date": today_in_jakarta()}
    form = PmiRegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        form.is_valid()
        person = person_for_registration(form, scope, public=False)
        if person is not None and not form.errors:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    membership = pmi_register(
                        person=person,
                        destination_country=data["destination_country"],
                        placement_months=data["placement_months"],
                        start_date=data["start_date"],
                        channel=Channel.BRANCH,
                        by=scope,
                    )
            except MembershipError as error:
                add_refusal(form, error, person, scope)
            else:
                package = segment_contribution_idr(
                    Segment.PMI, data["start_date"], placement_months=data["placement_months"]
                )
                messages.success(
                    request,
                    _("Registered: membership KPJ %(kpj)s for %(name)s.")
                    % {"kpj": membership.kpj, "name": membership.person.name},
                )
                if package is not None:
                    messages.info(
                        request,
                        _(
                            "Protection package: %(amount)s, invoiced to the worker by the "
                            "billing run of %(month)s."
                        )
                        % {
                            "amount": format_money(package),
                            "month": data["start_date"].strftime("%Y-%m"),
                        },
                    )
                return redirect("worker-detail", pk=membership.person_id)
    village = ""
    if form.is_bound and not form.errors.get("domicile"):
        village = village_label(form.cleaned_data.get("domicile"))
    return render(request, "web/registry/register_pmi.html", {"form": form, "village": village})
