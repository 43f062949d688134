"""Finding a worker, a worker's page, and what can be done from it.

Search, person and membership reads go through the scoped selectors of
``jamsos.membership.selectors``; writes through the membership services with the caller's scope,
so that the audit trail records who did it, from which address.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import refusal_on_form
from jamsos.legal.periods import Period
from jamsos.membership.checks import search_name_of
from jamsos.membership.errors import InvalidNik, MembershipError
from jamsos.membership.forms import (
    MembershipEndForm,
    PersonEditForm,
    PersonPhoneForm,
    WageReportForm,
    WorkerSearchForm,
)
from jamsos.membership.forms import village_label as village_path
from jamsos.membership.models import (
    MembershipEvent,
    Person,
    Status,
    WageReport,
    WageSource,
)
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    SEARCH_LIMIT,
    membership_get_by_kpj,
    membership_list_for_person,
    memberships_visible,
    people_visible,
    person_get,
    worker_search,
)
from jamsos.membership.services import membership_end, person_update, wage_report_submit
from jamsos.membership.views.display import (
    SEX_LABELS,
    event_row,
    membership_card,
    money,
    nik_text,
    period_text,
    person_rows,
    phone_text,
    wage_row,
)
from jamsos.web.common import PAGE_PARAM, scope_of, signed_in

#: Wage reports shown per membership on a worker's page (the latest first).
WAGES_SHOWN = 24
_SEPARATORS = re.compile(r"[\s.\-]")


# --- search --------------------------------------------------------------------------------------


#: Where the page keeps the searches typed, by opaque key, so that no NIK or name is ever in an
#: address (server and proxy logs keep addresses): ``{key: text}``, the latest few only.
SEARCHES_SESSION_KEY = "jamsos_worker_searches"
SEARCHES_KEPT = 20
#: The address parameter naming a kept search (``?cari=<key>&halaman=2``).
SEARCH_KEY_PARAM = "cari"
SEARCH_PER_PAGE = 25


def _keep_search(request: HttpRequest, text: str) -> str:
    kept: dict[str, str] = dict(request.session.get(SEARCHES_SESSION_KEY, {}))
    key = secrets.token_urlsafe(12)
    kept[key] = text
    request.session[SEARCHES_SESSION_KEY] = dict(list(kept.items())[-SEARCHES_KEPT:])
    return key


def _kept_search(request: HttpRequest, key: str) -> str | None:
    value = request.session.get(SEARCHES_SESSION_KEY, {}).get(key)
    return value if isinstance(value, str) else None


@signed_in
@require_http_methods(["GET", "POST"])
def worker_search_page(request: HttpRequest) -> HttpResponse:
    """One box: a NIK (16 digits), a KPJ (11 digits) or words of a name, within the scope.

    The box is sent by POST, so the text never appears in an address; the page keeps it in the
    session under an opaque key, and its pages are ``?cari=<key>&halaman=N``. A ``q`` in the
    address is not read.
    """
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "person.search")
    context: dict[str, Any] = {"rows": [], "searched": False, "capped": False, "expired": False}
    key = ""
    if request.method == "POST":
        form = WorkerSearchForm(request.POST)
    elif request.GET.get(SEARCH_KEY_PARAM):
        text = _kept_search(request, request.GET[SEARCH_KEY_PARAM])
        if text is None:
            form = WorkerSearchForm()
            context["expired"] = True
        else:
            key = request.GET[SEARCH_KEY_PARAM]
            form = WorkerSearchForm({"q": text})
    else:
        form = WorkerSearchForm()
    context["form"] = form
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"].strip()
        problem = _search_problem(text)
        if problem:
            form.add_error("q", problem)
        else:
            try:
                found = worker_search(scope, text=text, limit=SEARCH_LIMIT + 1)
            except InvalidNik as error:
                refusal_on_form(form, error, {"nik": "q"})
                return render(request, "web/registry/worker_search.html", context)
            key = key or _keep_search(request, text)
            people = found.people[:SEARCH_LIMIT]
            page = Paginator(people, SEARCH_PER_PAGE).get_page(
                request.GET.get(PAGE_PARAM) if request.method == "GET" else 1
            )
            shown = list(page.object_list)
            counts = dict(
                memberships_visible(scope)
                .filter(person_id__in=[p.pk for p in shown])
                .values("person_id")
                .annotate(n=Count("id"))
                .values_list("person_id", "n")
            )
            context.update(
                rows=person_rows(shown, counts),
                found_count=len(people),
                page=page,
                extra_query=urlencode({SEARCH_KEY_PARAM: key}),
                searched=True,
                kind=found.kind,
                capped=len(found.people) > SEARCH_LIMIT,
                limit=SEARCH_LIMIT,
            )
    return render(request, "web/registry/worker_search.html", context)


def _search_problem(text: str) -> str:
    compact = _SEPARATORS.sub("", text)
    if not text:
        return _("Type a NIK (16 digits), a KPJ card number (11 digits) or a name.")
    if compact.isdigit() and len(compact) not in (11, 16):
        return _(
            "%(count)s digits: a NIK has 16 digits and a KPJ card number 11. Check the number."
        ) % {"count": len(compact)}
    if not compact.isdigit() and len(search_name_of(text)) < 2:
        return _("Type at least two letters of the name.")
    return ""


# --- a worker's page -----------------------------------------------------------------------------


def person_page_context(scope: Scope, person: Person, *, full: bool) -> dict[str, Any]:
    """A person's data (masked unless ``full``) and their visible memberships with history.

    Three queries whatever the number of memberships: the memberships, their events and their
    wage reports, each limited to the memberships the scope may see.
    """
    memberships = list(membership_list_for_person(scope, person=person))
    visible = memberships_visible(scope).filter(person=person).values("pk")
    cards = {m.pk: membership_card(m) for m in memberships}
    events = MembershipEvent.objects.filter(membership__in=visible).order_by(
        "membership_id", "at", "id"
    )
    for event in events:
        cards[event.membership_id].events.append(event_row(event))
    wages = WageReport.objects.filter(membership__in=visible).order_by("membership_id", "-period")
    for report in wages:
        card = cards[report.membership_id]
        card.wages_total += 1
        if len(card.wages) < WAGES_SHOWN:
            card.wages.append(wage_row(report))
    may_end = MEMBERSHIP.allows(scope, "membership.end")
    may_report = MEMBERSHIP.allows(scope, "wage.report")
    for card in cards.values():
        card.may_end = may_end and card.is_active
        card.may_report_wage = may_report and card.is_active and card.membership.segment == "PU"
    return {
        "person": person,
        "full": full,
        "nik": nik_text(person.nik, full=full),
        "phone": phone_text(person.phone, full=full),
        "sex": SEX_LABELS.get(person.sex, person.sex),
        "domicile": village_path(person.domicile),
        "cards": list(cards.values()),
        "may_correct": MEMBERSHIP.allows(scope, "person.correct"),
        "may_correct_all": MEMBERSHIP.allows(scope, "person.correct_name_or_domicile"),
        "self_service": scope.role == Role.WORKER,
        "wages_shown": WAGES_SHOWN,
    }


@signed_in
@require_http_methods(["GET", "POST"])
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker's data, masked; the POST button shows the full NIK and phone once, audited."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "person.view")
    person = person_get(scope, pk=pk)
    full = request.method == "POST" and request.POST.get("action") == "reveal"
    if full:
        audit_record(
            scope,
            AuditAction.VIEW_FULL,
            person,
            detail={"fields": ["nik", "phone"], "page": "worker-detail"},
        )
    context = person_page_context(scope, person, full=full)
    return render(request, "web/registry/worker_detail.html", context)


# --- corrections ---------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a name, phone or village; the change goes to the audit trail, masked.

    An administrator or a branch officer corrects all three; a worker their own phone only (the
    name and the village follow the KTP, which a branch office checks). Employer and partner
    users correct nothing: the page is 403, as :func:`person_update` would refuse.
    """
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "person.correct")
    person = person_get(scope, pk=pk)
    phone_only = not MEMBERSHIP.allows(scope, "person.correct_name_or_domicile")
    form_class = PersonPhoneForm if phone_only else PersonEditForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    person_update(
                        person=person,
                        name=data.get("name"),
                        phone=data["phone"] or None,
                        clear_phone=data["clear_phone"],
                        domicile=data.get("domicile"),
                        by=scope,
                    )
            except MembershipError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The corrections are saved."))
                if people_visible(scope).filter(pk=person.pk).exists():
                    return redirect("worker-detail", pk=person.pk)
                messages.info(request, _("The person now lives outside the records you can see."))
                return redirect("work-home")
    elif phone_only:
        form = PersonPhoneForm()
    else:
        form = PersonEditForm(initial={"name": person.name, "domicile": person.domicile.code})
    context = {
        "form": form,
        "person": person,
        "phone_only": phone_only,
        "nik": nik_text(person.nik, full=False),
        "phone": phone_text(person.phone, full=False),
        "domicile": village_path(person.domicile),
    }
    return render(request, "web/registry/person_edit.html", context)


# --- memberships ---------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def membership_end_page(request: HttpRequest, kpj: str) -> HttpResponse:
    """End a membership (resignation, PHK, death, retirement, end of term) on a date."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "membership.end")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    form = MembershipEndForm(
        request.POST if request.method == "POST" else None,
        initial={"end_date": today_in_jakarta()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                membership_end(
                    membership=membership,
                    end_date=form.cleaned_data["end_date"],
                    reason=form.cleaned_data["reason"],
                    by=scope,
                )
        except MembershipError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Membership KPJ %(kpj)s has ended.") % {"kpj": membership.kpj}
            )
            return redirect("worker-detail", pk=membership.person_id)
    context = {
        "form": form,
        "membership": membership,
        "card": membership_card(membership),
        "ended": membership.status == Status.ENDED,
    }
    return render(request, "web/registry/membership_end.html", context)


def wage_source_for(scope: Scope) -> str:
    return WageSource.EMPLOYER if scope.role == Role.EMPLOYER_USER else WageSource.BRANCH


@signed_in
@require_http_methods(["GET", "POST"])
def wage_report_page(request: HttpRequest, kpj: str) -> HttpResponse:
    """Report one month's wage of one wage earner (PU)."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "wage.report")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    latest = (
        WageReport.objects.filter(
            membership__in=memberships_visible(scope).filter(pk=membership.pk)
        )
        .order_by("-period")
        .first()
    )
    today = today_in_jakarta()
    initial = {"period": str(Period(today.year, today.month))}
    if latest is not None:
        initial["wage"] = str(latest.wage_idr)
    form = WageReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            with transaction.atomic():
                wage_report_submit(
                    membership=membership,
                    period=period,
                    wage_idr=form.cleaned_data["wage"],
                    source=wage_source_for(scope),
                    by=scope,
                )
        except MembershipError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Wage %(wage)s reported for %(period)s.")
                % {"wage": money(form.cleaned_data["wage"]), "period": period_text(str(period))},
            )
            return redirect("worker-detail", pk=membership.person_id)
    context = {
        "form": form,
        "membership": membership,
        "card": membership_card(membership),
        "latest": latest,
        "latest_text": (
            _("%(wage)s for %(period)s") % {"wage": money(latest.wage_idr), "period": latest.period}
            if latest
            else ""
        ),
        "is_pu": membership.segment == "PU",
        "is_active": membership.status == Status.ACTIVE,
        "wage_list_url": reverse("worker-detail", args=[membership.person_id]),
    }
    return render(request, "web/registry/wage_report.html", context)
