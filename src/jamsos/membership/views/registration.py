"""Registering workers: PU with an employer, BPU by an officer or a partner, and BPU by oneself.

Checks come in three passes, and nothing is written unless all pass:

1. the form's syntax (required fields, dates, whole rupiah, an existing village);
2. :func:`jamsos.membership.services.validate_people` on the person's data, which reports every
   problem of the NIK, birth date, sex and phone at once, each next to its field;
3. the service itself (``pu_worker_register``, ``bpu_self_register``), in one transaction; its
   refusal is shown next to the field it names.

A NIK that is registered already is handled by who asks. Anonymous callers (the public form) are
checked as a new person, every other problem first; a registered NIK then gets "already
registered" only with the record's name and birth date, and otherwise a refusal that says
nothing of the record, not even that it exists (docs/security-abuse.md). The public form is
limited per address and per NIK. Staff who type the same name and birth date as the record add
the membership to that person; otherwise they learn the name only if the person is within
their scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.access import limits
from jamsos.access.errors import TooManyRequests
from jamsos.access.models import RefusalReason, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language
from jamsos.core.masking import mask_nik
from jamsos.membership.checks import search_name_of
from jamsos.membership.errors import (
    DuplicateNik,
    EmployerNotFound,
    MembershipAlreadyActive,
    MembershipError,
    PersonNotFound,
)
from jamsos.membership.forms import (
    BpuRegisterForm,
    BpuSelfRegisterForm,
    ExistingOrNewPersonForm,
    PersonFieldsForm,
    PuRegisterForm,
    village_label,
)
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Channel, Membership, Person
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    employer_get_by_npp,
    employers_visible,
    people_visible,
    person_get_by_nik,
    registered_identity_proven,
)
from jamsos.membership.services import (
    PersonData,
    bpu_self_register,
    pu_worker_register,
    validate_people,
)
from jamsos.web.common import (
    scope_of,
    signed_in,
    upload_url,
)
from jamsos.web.error_pages import too_many_requests_page

#: The session key that lets the public form's caller see the card they just made.
SELF_CARD_SESSION_KEY = "jamsos_bpu_self_card"
#: Employers offered in the branch officer's list (more: type the NPP).
EMPLOYER_CHOICES_SHOWN = 300


def same_person(*, nik: str, name: str, birth_date: date | None) -> Person | None:
    """The registered person with this NIK if the name and birth date given match the record.

    Whoever knows a person's NIK, name and birth date may add a membership to that person (an
    employer taking on a worker who was registered elsewhere); nothing of the record is shown
    when they do not match.
    """
    person = Person.objects.filter(nik=nik).first()
    if person is None or birth_date is None:
        return None
    if person.birth_date == birth_date and person.search_name == search_name_of(name or ""):
        return person
    return None


def _public_duplicate_message() -> str:
    return _(
        "This NIK is already registered. To add a membership to it, visit a branch office or "
        "one of its partners with your identity card (KTP)."
    )


def _public_not_confirmed_message() -> str:
    return _(
        "Self-registration cannot be completed with these data. Check the NIK, name and birth "
        "date against your identity card (KTP); if they are right, visit the nearest branch "
        "office with your KTP."
    )


#: The public form's name in the counts of refused requests (jamsos.access.limits).
SELF_ROUTE = "web:daftar-bpu"


def _public_registered_nik(form: PersonFieldsForm) -> None:
    """The public form's NIK is registered (every other check passed): "already registered"
    only with the record's name and birth date, else a refusal naming nothing; both counted."""
    data = form.cleaned_data
    if registered_identity_proven(
        nik=data["nik"], name=data.get("name"), birth_date=data.get("birth_date")
    ):
        limits.record(SELF_ROUTE, RefusalReason.NIK_PROVEN)
        form.add_error("nik", _public_duplicate_message())
    else:
        limits.record(SELF_ROUTE, RefusalReason.NIK_UNPROVEN)
        form.add_error(None, _public_not_confirmed_message())


def person_for_registration(
    form: PersonFieldsForm, scope: Scope, *, public: bool
) -> Person | PersonData | None:
    """The person the form names, or None after putting every problem next to its field.

    Runs on a form that has been validated (even if some fields failed), so that the NIK's
    problems show up together with the other fields'.
    """
    data = form.cleaned_data
    nik = data.get("nik")
    if not nik:
        return None
    language = current_language()
    if isinstance(form, ExistingOrNewPersonForm) and not form.wants_new_person():
        try:
            return person_get_by_nik(scope, nik=nik)
        except PersonNotFound:
            form.add_error(
                "nik",
                _(
                    "No person with NIK %(nik)s among the records you can see. Choose “New "
                    "person” and fill in their data."
                )
                % {"nik": mask_nik(nik)},
            )
            return None
    check = validate_people([form.person_row()])
    duplicate = False
    for reason in check.reasons.get(1, []):
        if reason.code == DuplicateNik.code:
            duplicate = True
        elif reason.field not in form.errors:
            form.add_message(reason.field, reason.message(language))
    if duplicate and not form.errors and not public:
        # (The public form goes on with the data as a new person's: the service looks the NIK
        # up after every other check, and the page answers without naming the record.)
        known = same_person(nik=nik, name=data.get("name", ""), birth_date=data.get("birth_date"))
        if known is not None:
            return known
        visible = people_visible(scope).filter(nik=nik).first()
        if visible is not None:
            form.add_error(
                "nik",
                _(
                    "NIK %(nik)s is already registered to %(name)s. Choose “Already registered” "
                    "to use this record."
                )
                % {"nik": mask_nik(nik), "name": visible.name},
            )
        else:
            form.add_error(
                "nik",
                _(
                    "NIK %(nik)s is already registered with another name or birth date. Check "
                    "the identity card; the branch office corrects a wrong record."
                )
                % {"nik": mask_nik(nik)},
            )
        return None
    if form.errors:
        return None
    return PersonData(
        nik=nik,
        name=data["name"],
        birth_date=data["birth_date"],
        sex=data["sex"],
        domicile=data["domicile"],
        phone=data.get("phone") or None,
    )


def add_refusal(
    form: PersonFieldsForm, error: MembershipError, person: Person | PersonData, scope: Scope
) -> None:
    """The service's refusal next to its field, unless it would name what the scope cannot see
    (the active membership of a person found by NIK, name and birth date outside the scope)."""
    hidden = (
        isinstance(error, MembershipAlreadyActive)
        and isinstance(person, Person)
        and not people_visible(scope).filter(pk=person.pk).exists()
    )
    if hidden:
        form.add_error(
            None,
            _(
                "This person already has an active membership of this kind. The branch office "
                "serving them can tell you more."
            ),
        )
    else:
        form.add_service_error(error)


def _registered_message(request: HttpRequest, membership: Membership, reused: bool) -> None:
    messages.success(
        request,
        _("Registered: membership KPJ %(kpj)s for %(name)s.")
        % {"kpj": membership.kpj, "name": membership.person.name},
    )
    if reused:
        messages.info(
            request,
            _(
                "The NIK was registered already with the same name and birth date: the "
                "membership was added to that record, whose phone and village were kept."
            ),
        )


# --- PU ------------------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def register_pu(request: HttpRequest) -> HttpResponse:
    """A wage earner with an employer: the employer user's own company, or one of the office's."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "pu.register")
    own = employers_visible(scope).first() if scope.role == Role.EMPLOYER_USER else None
    initial = {"start_date": today_in_jakarta(), "npp": own.npp if own else request.GET.get("npp")}
    form = PuRegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    if own is not None:
        form.fields["npp"].disabled = True
    if request.method == "POST":
        form.is_valid()
        employer = None
        if form.cleaned_data.get("npp"):
            try:
                employer = employer_get_by_npp(scope, npp=form.cleaned_data["npp"])
            except EmployerNotFound as error:
                form.add_error("npp", error.message_in(current_language()))
        person = person_for_registration(form, scope, public=False)
        if employer is not None and person is not None and not form.errors:
            try:
                with transaction.atomic():
                    membership = pu_worker_register(
                        employer=employer,
                        person=person,
                        wage_idr=form.cleaned_data["wage"],
                        start_date=form.cleaned_data["start_date"],
                        programs=form.programs(),
                        channel=Channel.EMPLOYER
                        if scope.role == Role.EMPLOYER_USER
                        else Channel.BRANCH,
                        by=scope,
                    )
            except MembershipError as error:
                add_refusal(form, error, person, scope)
            else:
                _registered_message(request, membership, reused=isinstance(person, Person))
                return redirect("worker-detail", pk=membership.person_id)
    employers: list[tuple[str, str]] = []
    if scope.role == Role.BRANCH_OFFICER:
        employers = list(
            employers_visible(scope)
            .order_by("legal_name", "npp")
            .values_list("npp", "legal_name")[:EMPLOYER_CHOICES_SHOWN]
        )
    context = {
        "form": form,
        "own_employer": own,
        "employers": employers,
        "employers_capped": len(employers) >= EMPLOYER_CHOICES_SHOWN,
        "upload_url": upload_url(),
        "village": _village_of(form),
    }
    return render(request, "web/registry/register_pu.html", context)


def _village_of(form: PersonFieldsForm) -> str:
    """The village chosen, in words, shown under its code after a failed submit."""
    if not form.is_bound or form.errors.get("domicile"):
        return ""
    return village_label(form.cleaned_data.get("domicile"))


# --- BPU by an officer or a partner --------------------------------------------------------------


def _outside_office(scope: Scope, person: Person | PersonData) -> bool:
    """A branch officer registers BPU members living in the office's service area only: the
    membership belongs to the office serving the member's village, and another office's member
    would drop out of the officer's sight."""
    if scope.role != Role.BRANCH_OFFICER:
        return False
    return person.domicile.regency_code not in scope.regency_codes


@signed_in
@require_http_methods(["GET", "POST"])
def register_bpu(request: HttpRequest) -> HttpResponse:
    """A self-employed or informal worker (BPU), registered by a branch officer or a partner."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "bpu.register")
    initial = {"start_date": today_in_jakarta(), "ecosystem": "none"}
    form = BpuRegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        form.is_valid()
        person = person_for_registration(form, scope, public=False)
        if person is not None and _outside_office(scope, person):
            field = "domicile" if isinstance(person, PersonData) else "nik"
            form.add_error(
                field,
                _(
                    "%(village)s is outside the service area of your office: the office serving "
                    "it registers this person."
                )
                % {"village": person.domicile.name},
            )
        if person is not None and not form.errors:
            data = form.cleaned_data
            partner = scope.role == Role.PARTNER_USER
            try:
                with transaction.atomic():
                    membership = bpu_self_register(
                        person=person,
                        declared_income_idr=data["declared_income"],
                        programs=form.programs(),
                        ecosystem=data.get("ecosystem") or "none",
                        channel=Channel.PARTNER if partner else Channel.BRANCH,
                        sponsor_name=data.get("sponsor_name") or None,
                        sponsor_kind=data.get("sponsor_kind") or None,
                        sponsor_ref=data.get("sponsor_ref") or None,
                        partner_ref=scope.partner_ref if partner else None,
                        start_date=data["start_date"],
                        by=scope,
                    )
            except MembershipError as error:
                add_refusal(form, error, person, scope)
            else:
                _registered_message(request, membership, reused=isinstance(person, Person))
                return redirect("worker-detail", pk=membership.person_id)
    context = {"form": form, "village": _village_of(form), "upload_url": upload_url()}
    return render(request, "web/registry/register_bpu.html", context)


# --- BPU by oneself (public) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def bpu_self_register_page(request: HttpRequest) -> HttpResponse:
    """The public form: anyone registers themselves as a BPU member, starting today. Each form
    sent counts against the limits per address and per NIK (429 page past either)."""
    form = BpuSelfRegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            limits.enforce_address(request, route=SELF_ROUTE, limit="register.address")
            limits.enforce_nik(nik_compact(request.POST.get("nik", "")), route=SELF_ROUTE)
        except TooManyRequests as error:
            return too_many_requests_page(request, error, back_url=request.path)
        form.is_valid()
        anonymous = Scope.nobody()
        person = person_for_registration(form, anonymous, public=True)
        if person is not None and not form.errors:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    membership = bpu_self_register(
                        person=person,
                        declared_income_idr=data["declared_income"],
                        programs=form.programs(),
                        channel=Channel.SELF,
                        by=anonymous,
                    )
            except DuplicateNik:
                _public_registered_nik(form)
            except MembershipError as error:
                form.add_service_error(error)
            else:
                request.session[SELF_CARD_SESSION_KEY] = {
                    "kpj": membership.kpj,
                    "person": membership.person_id,
                }
                # The worker's card with what to pay (jamsos.selfservice, an app above).
                return redirect("worker-card")
    context = {"form": form, "village": _village_of(form), "public": True}
    return render(request, "web/registry/bpu_self_register.html", context)


# The form itself writes nothing: what it sends is counted above, per address and per NIK.
bpu_self_register_page.abuse_limit = "register.address"  # type: ignore[attr-defined]


@require_http_methods(["GET"])
def bpu_self_card(request: HttpRequest) -> HttpResponse:
    """The card this browser session just registered now lives with what to pay on the
    worker's page (``worker-card``); this address stays for links already given out."""
    held: Any = request.session.get(SELF_CARD_SESSION_KEY)
    if not isinstance(held, dict) or not held.get("kpj") or not held.get("person"):
        return redirect("bpu-self-register")
    return redirect("worker-card")
