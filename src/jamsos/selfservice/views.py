"""The workers' own pages, phone first: the card with what to pay, sign-up and recovery with a
one-time code, sign-in with NIK or KPJ (docs/workers.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.access.limits import client_address
from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.core.errors import ApplicationError, refusal_on_form
from jamsos.core.formatting import current_language
from jamsos.core.masking import mask_nik
from jamsos.membership.models import Person
from jamsos.membership.views.display import membership_card, money, period_text
from jamsos.membership.views.registration import SELF_CARD_SESSION_KEY
from jamsos.selfservice.errors import NoBpuMembership
from jamsos.selfservice.forms import CodeForm, IdentityForm, MonthsForm, SignInForm
from jamsos.selfservice.models import CodePurpose
from jamsos.selfservice.payment import bpu_membership_of, payment_details, qr_svg
from jamsos.selfservice.services import (
    code_request,
    password_set_with_code,
    worker_sign_in,
)
from jamsos.web.common import scope_of

#: The session key holding the ticket of the code last asked for in this browser.
TICKET_SESSION_KEY = "jamsos_worker_code_ticket"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _worker_person(request: HttpRequest) -> tuple[Person | None, Scope | None]:
    """The person this browser may see the card of: the signed-in worker, or the person
    this session has just registered (the public form); with the scope to act for them."""
    if request.user.is_authenticated:
        scope = scope_of(request)
        if scope.role == Role.WORKER and scope.person_id:
            return Person.objects.filter(pk=scope.person_id).first(), scope
        return None, None
    held: Any = request.session.get(SELF_CARD_SESSION_KEY)
    if isinstance(held, dict) and held.get("person"):
        return Person.objects.filter(pk=int(held["person"])).first(), None
    return None, None


@require_http_methods(["GET"])
def worker_card(request: HttpRequest) -> HttpResponse:
    """The membership card with "protected until", the monthly amount, the virtual account,
    the months to pay ahead with their due dates, and the QR code of the payment."""
    person, scope = _worker_person(request)
    if person is None:
        return redirect("worker-sign-in")
    try:
        membership = bpu_membership_of(person)
    except NoBpuMembership as error:
        return render(request, "selfservice/no_membership.html", {"message": error.message})
    context: dict[str, Any] = {
        "membership": membership,
        "card": membership_card(membership),
        "nik": mask_nik(person.nik),
        "income": money(membership.declared_income_idr),
        "signed_in": scope is not None,
    }
    form = MonthsForm(request.GET or None, offered=12)
    months = 1
    try:
        offered = payment_details(membership, months=1, by=scope).months_offered
        form = MonthsForm(request.GET or None, offered=offered)
        if request.GET and form.is_valid():
            months = int(form.cleaned_data["months"])
        details = payment_details(membership, months=months, by=scope)
    except ApplicationError as error:
        context.update({"refusal": error.message_in(current_language()), "form": form})
        details = None
    if details is not None:
        context.update(
            {
                "details": details,
                "form": form,
                "monthly": money(details.monthly_idr),
                "amount": money(details.amount_idr),
                "due": [
                    {
                        "period": period_text(d.period),
                        "date": d.due_date,
                        "amount": money(d.amount_idr),
                    }
                    for d in details.due
                ],
                "qr": qr_svg(details.qr_text),
            }
        )
        context["protected_until"] = details.protected_until
    return render(request, "selfservice/card.html", context)


@require_http_methods(["GET", "POST"])
def account_start(request: HttpRequest, purpose: str = CodePurpose.SIGN_UP) -> HttpResponse:
    """Step 1 of sign-up or recovery: NIK, birth date, KPJ; a code goes to the phone or e-mail
    on record."""
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = code_request(
                purpose=purpose,
                nik=data["nik"],
                birth_date=data["birth_date"],
                kpj=data["kpj"],
                channel=data["channel"],
                address=client_address(request),
            )
        except ApplicationError as error:
            refusal_on_form(form, error, {"identifier": "nik"})
        else:
            request.session[TICKET_SESSION_KEY] = {
                "ticket": sent.ticket,
                "sent_to": sent.sent_to,
                "purpose": sent.purpose,
            }
            return redirect("worker-code")
    recovery = purpose == CodePurpose.RECOVERY
    title = _("Forgot your password") if recovery else _("Create your account")
    return render(
        request,
        "selfservice/account_start.html",
        {"form": form, "title": title, "recovery": recovery},
    )


def account_recover(request: HttpRequest) -> HttpResponse:
    return account_start(request, purpose=CodePurpose.RECOVERY)


@require_http_methods(["GET", "POST"])
def account_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code received and the new password."""
    held: Any = request.session.get(TICKET_SESSION_KEY)
    if not isinstance(held, dict) or not held.get("ticket"):
        return redirect("worker-sign-up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_set_with_code(
                ticket=str(held["ticket"]),
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ApplicationError as error:
            refusal_on_form(form, error)
        else:
            request.session.pop(TICKET_SESSION_KEY, None)
            login(request, user, backend=MODEL_BACKEND)
            return redirect("worker-card")
    return render(
        request,
        "selfservice/account_code.html",
        {"form": form, "sent_to": held.get("sent_to", ""), "start_url": reverse("worker-sign-up")},
    )


@require_http_methods(["GET", "POST"])
def sign_in_page(request: HttpRequest) -> HttpResponse:
    """Sign in with NIK or KPJ and password."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = worker_sign_in(
                request,
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
            )
        except ApplicationError as error:
            refusal_on_form(form, error)
        else:
            login(request, user)
            return redirect("worker-card")
    return render(request, "selfservice/sign_in.html", {"form": form})


# What these forms send is counted in the services, through jamsos.access.limits: codes asked
# and failed identity checks per address and per NIK, sign-ins per address.
account_start.abuse_limit = "code.address"  # type: ignore[attr-defined]
account_recover.abuse_limit = "code.address"  # type: ignore[attr-defined]
sign_in_page.abuse_limit = "signin.address"  # type: ignore[attr-defined]
