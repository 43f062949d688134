"""Employer self-registration: the public application, the branch officer's verification (the
employer registered by the membership service, with its NPP; the contact's employer account
and an e-mail with a one-time link to set its password) or rejection with a reason.

The application answers the same whatever the NPWP: an NPWP already registered is not told to
the applicant (no oracle), only to the officer who verifies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.employer_signup.errors import (
    AlreadyDecided,
    ApplicationNotFound,
    FieldInvalid,
    NoOfficeForAddress,
    NpwpRegistered,
    ReasonRequired,
)
from jamsos.employer_signup.models import ApplicationStatus, EmployerApplication
from jamsos.employer_signup.notices import REJECTED, VERIFIED
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP
from jamsos.employer_signup.selectors import applications_visible
from jamsos.membership.checks import clean_name
from jamsos.membership.identifiers import nik_compact, nik_parse, npwp_normalise, phone_normalise
from jamsos.membership.models import Employer, EmployerSizeChoice, Sector
from jamsos.membership.services import branch_office_for_village, employer_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.notifications.services import Recipient, notify
from jamsos.registry.models import Level, Region


@dataclass(frozen=True)
class ApplicationData:
    legal_name: str
    npwp: str
    address_village: Region
    sector: str
    risk_class: int
    size: str
    contact_name: str
    contact_email: str
    contact_phone: str
    pic_nik: str
    address: str = ""


def _checked(data: ApplicationData) -> dict[str, object]:
    """The application's fields, each checked and normalised; the first fault refused."""
    name = clean_name(data.legal_name)[:200]
    if not name:
        raise FieldInvalid(field="legal_name")
    npwp = npwp_normalise(data.npwp or "")
    if npwp is None:
        raise FieldInvalid(field="npwp")
    village = data.address_village
    if village is None or village.level != Level.VILLAGE:
        raise FieldInvalid(field="address_village")
    sector = str(data.sector or "").strip().upper()
    if sector not in Sector.values:
        raise FieldInvalid(field="sector")
    if isinstance(data.risk_class, bool) or data.risk_class not in range(1, 6):
        raise FieldInvalid(field="risk_class")
    if data.size not in EmployerSizeChoice.values:
        raise FieldInvalid(field="size")
    contact = clean_name(data.contact_name)[:120]
    if not contact:
        raise FieldInvalid(field="contact_name")
    email = (data.contact_email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise FieldInvalid(field="contact_email") from None
    phone, _phone_problem = phone_normalise(data.contact_phone)
    if phone is None:
        raise FieldInvalid(field="contact_phone")
    nik = nik_compact(data.pic_nik or "")
    parts, _problem = nik_parse(nik)
    if parts is None:
        raise FieldInvalid(field="pic_nik")
    office = branch_office_for_village(village)
    if office is None:
        raise NoOfficeForAddress()
    return {
        "legal_name": name,
        "npwp": npwp,
        "address_village": village,
        "address": clean_name(data.address)[:250],
        "sector": sector,
        "risk_class": data.risk_class,
        "size": data.size,
        "contact_name": contact,
        "contact_email": email.lower(),
        "contact_phone": phone,
        "pic_nik": nik,
        "branch_office": office,
    }


def _reference() -> str:
    return "PK-" + secrets.token_hex(5).upper()


@transaction.atomic
def application_submit(
    data: ApplicationData, *, now: datetime | None = None
) -> EmployerApplication:
    """A company's application from the public form (or API): checked, then pending at the
    office serving its address. The same answer whether the NPWP is registered or not."""
    fields = _checked(data)
    application = EmployerApplication.objects.create(
        reference=_reference(), submitted_at=now or timezone.now(), **fields
    )
    audit_record(
        None,
        AuditAction.CREATE,
        application,
        label=f"permohonan {application.reference}",
        detail={"office": application.branch_office.code},
    )
    return application


def _pending(scope: Scope, application_id: int) -> EmployerApplication:
    application = (
        applications_visible(scope)
        .select_for_update()
        .select_related("address_village", "branch_office")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise ApplicationNotFound(value=application_id)
    if application.status != ApplicationStatus.PENDING:
        raise AlreadyDecided(value=application.reference)
    return application


def password_link(user: object, *, base_url: str | None = None) -> str:
    """The one-time link that lets the account set its password (Django's reset token: it
    stops working once the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))  # type: ignore[attr-defined]
    token = default_token_generator.make_token(user)  # type: ignore[arg-type]
    path = reverse("employer_signup:set-password", args=[uid, token])
    base = (base_url or getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return base + path


@dataclass(frozen=True)
class Verified:
    application: EmployerApplication
    employer: Employer
    username: str


@transaction.atomic
def application_verify(
    *, scope: Scope, application_id: int, base_url: str | None = None
) -> Verified:
    """Verify a pending application: the employer registered with its NPP (membership's
    ``employer_register``), the contact's employer account, and the e-mail with the link."""
    EMPLOYER_SIGNUP.require(scope, "applications.decide")
    application = _pending(scope, application_id)
    taken = Employer.objects.filter(npwp=application.npwp).first()
    if taken is not None:
        raise NpwpRegistered(npp=taken.npp)
    employer = employer_register(
        npwp=application.npwp,
        legal_name=application.legal_name,
        size=application.size,
        sector=application.sector,
        risk_class=application.risk_class,
        address_village=application.address_village,
        branch_office=application.branch_office,
        by=scope,
    )
    username = f"pk-{employer.npp}"
    access = user_access_grant(
        username=username,
        role=Role.EMPLOYER_USER.value,
        employer=employer,
        email=application.contact_email,
        by=scope,
    )
    user = get_user_model().objects.get(pk=access.user_id)
    application.status = ApplicationStatus.VERIFIED
    application.employer = employer
    application.account = user
    application.decided_by_id = scope.user_id
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "employer", "account", "decided_by", "decided_at"])
    notify(
        VERIFIED,
        recipient=Recipient(
            name=application.contact_name,
            email=application.contact_email,
            user_id=user.pk,
            branch_office_id=application.branch_office_id,
        ),
        context={
            "name": application.contact_name,
            "reference": application.reference,
            "legal_name": employer.legal_name,
            "npp": employer.npp,
            "username": username,
            "link": password_link(user, base_url=base_url),
        },
        idempotency_key=application.reference,
    )
    audit_record(
        scope,
        AuditAction.UPDATE,
        application,
        changes={"status": [ApplicationStatus.PENDING, ApplicationStatus.VERIFIED]},
        detail={"npp": employer.npp, "account": username},
    )
    return Verified(application, employer, username)


@transaction.atomic
def application_reject(*, scope: Scope, application_id: int, reason: str) -> EmployerApplication:
    """Reject a pending application with a reason, which the contact receives by e-mail."""
    EMPLOYER_SIGNUP.require(scope, "applications.decide")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReasonRequired()
    application = _pending(scope, application_id)
    application.status = ApplicationStatus.REJECTED
    application.reason = reason[:1000]
    application.decided_by_id = scope.user_id
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    notify(
        REJECTED,
        recipient=Recipient(
            name=application.contact_name,
            email=application.contact_email,
            branch_office_id=application.branch_office_id,
        ),
        context={
            "name": application.contact_name,
            "reference": application.reference,
            "legal_name": application.legal_name,
            "reason": application.reason,
        },
        idempotency_key=application.reference,
    )
    audit_record(
        scope,
        AuditAction.UPDATE,
        application,
        changes={"status": [ApplicationStatus.PENDING, ApplicationStatus.REJECTED]},
        detail={"reason": application.reason[:200]},
    )
    return application
