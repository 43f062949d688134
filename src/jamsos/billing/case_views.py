"""The arrears case page, ``/iuran/tunggakan/<payer>/`` (docs/billing/cases.md).

An officer reads one payer's arrears, reveals a participant's phone with a reason (audited as a
full view, like a worker's page in membership), logs a call or visit, records a promise to pay
and assigns the case to an officer of the payer's office. Every write goes through
:mod:`jamsos.billing.services.cases`; a refusal shows on the page naming the field, and nothing
is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.billing.errors import BillingError
from jamsos.billing.models import ContactChannel, ContactOutcome, PayerKind
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import PromiseState, arrears_case
from jamsos.billing.services.cases import (
    case_assign,
    case_contact_log,
    officers_of_office,
    promise_record,
)
from jamsos.billing.views import BUCKET_LABELS, KIND_LABELS, contact_of, data_stop_text
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language
from jamsos.core.masking import mask_phone
from jamsos.membership.views.display import money
from jamsos.web.common import scope_of, signed_in

CHANNEL_LABELS = {
    ContactChannel.PHONE.value: gettext_lazy("Phone"),
    ContactChannel.MESSAGE.value: gettext_lazy("Message"),
    ContactChannel.VISIT.value: gettext_lazy("Visit"),
    ContactChannel.LETTER.value: gettext_lazy("Letter"),
}
OUTCOME_LABELS = {
    ContactOutcome.REACHED.value: gettext_lazy("Reached"),
    ContactOutcome.NO_ANSWER.value: gettext_lazy("No answer"),
    ContactOutcome.PROMISED.value: gettext_lazy("Promised to pay"),
    ContactOutcome.REFUSED.value: gettext_lazy("Refused"),
    ContactOutcome.WRONG_CONTACT.value: gettext_lazy("Wrong contact"),
}
PROMISE_LABELS = {
    PromiseState.OPEN: gettext_lazy("Open"),
    PromiseState.KEPT: gettext_lazy("Kept"),
    PromiseState.BROKEN: gettext_lazy("Broken"),
}
REVEAL_REASONS = {
    "telepon": gettext_lazy("To call the payer about the arrears"),
    "kunjungan": gettext_lazy("To arrange a visit"),
    "janji": gettext_lazy("To confirm a promise to pay"),
}


class ContactForm(forms.Form):
    contacted_on = forms.DateField(
        label=gettext_lazy("Contact date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=CHANNEL_LABELS.items())
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=OUTCOME_LABELS.items())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class PromiseForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("Promised date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount_idr = forms.IntegerField(
        label=gettext_lazy("Amount (rupiah)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class AssignForm(forms.Form):
    officer = forms.TypedChoiceField(label=gettext_lazy("Officer"), coerce=int)


class RevealForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=REVEAL_REASONS.items())


def _officer_choices(office_id: int | None) -> list[tuple[int, str]]:
    ids = officers_of_office(office_id)
    users = get_user_model().objects.filter(pk__in=ids).order_by("username")
    return [(u.pk, u.get_full_name() or u.get_username()) for u in users]


def _phone(payer: Any, *, full: bool) -> str:
    if payer.kind != PayerKind.PARTICIPANT or not payer.person_id:
        return ""
    phone = payer.person.phone or ""
    return phone if full else mask_phone(phone)


def _context(request: HttpRequest, payer_id: int, **forms_given: Any) -> dict[str, Any]:
    scope = scope_of(request)
    today = today_in_jakarta()
    view = arrears_case(scope, payer_id=payer_id, as_of=today)
    payer = view.payer
    assign = forms_given.get("assign") or AssignForm()
    assign.fields["officer"].choices = _officer_choices(payer.branch_office_id)
    arrears = view.arrears
    return {
        "payer": payer,
        "kind": KIND_LABELS.get(payer.kind, payer.kind),
        "contact": contact_of(payer),
        "phone": _phone(payer, full=bool(forms_given.get("full"))),
        "full": bool(forms_given.get("full")),
        "has_phone": payer.kind == PayerKind.PARTICIPANT and bool(_phone(payer, full=True)),
        "may_reveal": BILLING.allows(scope, "case.reveal_phone"),
        "may_assign": BILLING.allows(scope, "case.assign"),
        "arrears_total": money(arrears.total_idr) if arrears else "",
        "arrears_buckets": (
            [(str(t), money(v)) for t, v in zip(BUCKET_LABELS, arrears.buckets, strict=True)]
            if arrears
            else []
        ),
        "oldest_due": arrears.oldest_due if arrears else None,
        "data_stop": data_stop_text(today),
        "assigned_to": (
            (view.case.assigned_to.get_full_name() or view.case.assigned_to.get_username())
            if view.case and view.case.assigned_to
            else ""
        ),
        "contacts": [
            {
                "on": c.contacted_on,
                "channel": CHANNEL_LABELS.get(c.channel, c.channel),
                "outcome": OUTCOME_LABELS.get(c.outcome, c.outcome),
                "note": c.note,
                "by": c.recorded_by.get_username() if c.recorded_by else "",
            }
            for c in view.contacts
        ],
        "promises": [
            {
                "made": p.promised_on,
                "due": p.due_on,
                "amount": money(p.amount_idr),
                "paid": money(p.paid_idr),
                "state": p.state,
                "state_label": PROMISE_LABELS.get(p.state, p.state),
                "note": p.note,
            }
            for p in view.promises
        ],
        "contact_form": forms_given.get("contact")
        or ContactForm(initial={"contacted_on": today.isoformat()}),
        "promise_form": forms_given.get("promise") or PromiseForm(),
        "assign_form": assign,
        "reveal_form": forms_given.get("reveal") or RevealForm(),
    }


def _refused(form: forms.Form, error: BillingError) -> None:
    """Show a service refusal on the form, at its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message_in(current_language()))


@signed_in
@require_http_methods(["GET", "POST"])
def arrears_case_page(request: HttpRequest, payer_id: int) -> HttpResponse:
    """GET: the case. POST ``action``: ``reveal`` (the phone, with a reason, audited),
    ``contact``, ``promise`` or ``assign``; a success redirects back to the case."""
    scope = scope_of(request)
    BILLING.require(scope, "case.work")
    if request.method == "GET":
        return render(request, "billing/case.html", _context(request, payer_id))
    action = request.POST.get("action", "")
    back = redirect("billing:case", payer_id=payer_id)
    if action == "reveal":
        BILLING.require(scope, "case.reveal_phone")
        reveal = RevealForm(request.POST)
        context = _context(request, payer_id, reveal=reveal)  # 404 before any audit
        if not context["has_phone"]:
            return back  # nothing to reveal: an employer or sponsor, or no number on file
        if not reveal.is_valid():
            return render(request, "billing/case.html", context, status=400)
        payer = context["payer"]
        audit_record(
            scope,
            AuditAction.VIEW_FULL,
            payer.person,
            detail={
                "fields": ["phone"],
                "page": "arrears-case",
                "payer": payer.pk,
                "reason": reveal.cleaned_data["reason"],
            },
        )
        context = _context(request, payer_id, reveal=reveal, full=True)
        return render(request, "billing/case.html", context)
    if action == "contact":
        form: forms.Form = ContactForm(request.POST)
        if form.is_valid():
            try:
                case_contact_log(scope, payer_id=payer_id, **form.cleaned_data)
            except BillingError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Contact logged."))
                return back
        return render(
            request, "billing/case.html", _context(request, payer_id, contact=form), status=400
        )
    if action == "promise":
        form = PromiseForm(request.POST)
        if form.is_valid():
            try:
                promise_record(scope, payer_id=payer_id, **form.cleaned_data)
            except BillingError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Promise to pay recorded."))
                return back
        return render(
            request, "billing/case.html", _context(request, payer_id, promise=form), status=400
        )
    if action == "assign":
        BILLING.require(scope, "case.assign")
        context = _context(request, payer_id)
        form = AssignForm(request.POST)
        form.fields["officer"].choices = context["assign_form"].fields["officer"].choices
        if form.is_valid():
            try:
                case_assign(scope, payer_id=payer_id, officer_id=form.cleaned_data["officer"])
            except BillingError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Case assigned."))
                return back
        return render(
            request, "billing/case.html", _context(request, payer_id, assign=form), status=400
        )
    return back
