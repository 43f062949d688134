"""A worker's own account: proving who they are with a one-time code, setting a password,
signing in; and asking what to pay (docs/workers.md).

Identity: NIK, birth date and KPJ (or the reference of the partner that registered them), all
three on one record. A one-time code then goes to the phone or e-mail on record: 6 digits, kept
only as a keyed hash (HMAC-SHA256 with the site's secret key and the code's ticket), valid for
:data:`CODE_MINUTES` minutes, :data:`MAX_TRIES` wrong tries, once. The same path sets the first
password (sign-up) and a new one (recovery). Tries are limited per client address and per NIK
(:mod:`jamsos.selfservice.limits`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from jamsos.access.audit import audit_record
from jamsos.access.limits import client_address
from jamsos.access.models import AuditAction, Role, UserAccess
from jamsos.access.scope import Scope
from jamsos.core.identifiers import ascii_digits, compact_identifier
from jamsos.core.masking import mask_email, mask_phone
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Membership, Person
from jamsos.membership.services.accounts import user_access_grant
from jamsos.notifications.services import Recipient, notify
from jamsos.selfservice.errors import (
    AccountExists,
    CodeExpired,
    CodeWrong,
    IdentityNotMatched,
    NoContactOnRecord,
    PasswordRejected,
    SignInFailed,
)
from jamsos.selfservice.limits import attempt_allowed
from jamsos.selfservice.models import CodePurpose, OneTimeCode

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_TRIES = 5
#: The notification kind of one-time codes (jamsos.notifications).
CODE_KIND = "access.one_time_code"


@dataclass(frozen=True)
class CodeSent:
    """What the caller may be told after asking for a code (never the code)."""

    ticket: str
    channel: str
    sent_to: str
    expires_at: Any
    purpose: str


# --- accounts ----------------------------------------------------------------------------------


def worker_account(person: Person) -> UserAccess | None:
    """The person's worker account, if any."""
    return (
        UserAccess.objects.select_related("user")
        .filter(role=Role.WORKER, person=person)
        .order_by("pk")
        .first()
    )


def worker_account_ensure(person: Person, *, by: Scope | None = None) -> UserAccess:
    """The person's worker account, created (without a password) when there is none. Its name
    is the person's first KPJ: the worker signs in with their NIK or any of their KPJs."""
    found = worker_account(person)
    if found is not None:
        return found
    kpj = (
        Membership.objects.filter(person=person)
        .order_by("start_date", "pk")
        .values_list("kpj", flat=True)
    ).first()
    username = f"kpj{kpj}" if kpj else f"peserta{person.pk}"
    return user_access_grant(username=username, role=Role.WORKER.value, person=person, by=by)


# --- proving who one is ------------------------------------------------------------------------


def identity_check(*, nik: str, birth_date: date | None, kpj: str) -> Person:
    """The person whose record holds this NIK, birth date and KPJ (or partner reference);
    :class:`IdentityNotMatched` otherwise, without saying which one is wrong."""
    nik_text = nik_compact(nik or "")
    reference = compact_identifier(kpj or "").upper()
    if not nik_text or birth_date is None or not reference:
        raise IdentityNotMatched()
    person = Person.objects.filter(nik=nik_text, birth_date=birth_date).first()
    if person is None:
        raise IdentityNotMatched()
    memberships = Membership.objects.filter(person=person)
    kpj_digits = ascii_digits(reference)
    by_kpj = kpj_digits is not None and memberships.filter(kpj=kpj_digits).exists()
    by_partner = memberships.filter(partner_ref__iexact=reference).exists()
    if not (by_kpj or by_partner):
        raise IdentityNotMatched()
    return person


def _code_hash(ticket: str, code: str) -> str:
    return salted_hmac(
        "jamsos.selfservice.code", f"{ticket}:{code}", algorithm="sha256"
    ).hexdigest()


def _destination(person: Person, user: Any, channel: str) -> tuple[str, str, str]:
    """(channel, address, masked address) the code goes to: the phone on record unless the
    e-mail is asked for (or there is no phone)."""
    phone, email = person.phone or "", (user.email or "") if user else ""
    if channel == "email" and email:
        return "email", email, mask_email(email)
    if phone and channel != "email":
        return "phone", phone, mask_phone(phone)
    if email:
        return "email", email, mask_email(email)
    raise NoContactOnRecord()


def code_request(
    *,
    purpose: str,
    nik: str,
    birth_date: date | None,
    kpj: str,
    channel: str = "",
    address: str = "",
) -> CodeSent:
    """Check who asks, then send a new one-time code (a previous one of the same purpose stops
    being valid). Refuses :class:`TooManyAttempts`, :class:`IdentityNotMatched`,
    :class:`AccountExists` (sign-up with a password set already), :class:`NoContactOnRecord`."""
    purpose = CodePurpose(purpose).value
    attempt_allowed("code.address", address)
    attempt_allowed("code.nik", nik_compact(nik or ""))
    person = identity_check(nik=nik, birth_date=birth_date, kpj=kpj)
    with transaction.atomic():
        access = worker_account_ensure(person)
        user = access.user
        if purpose == CodePurpose.SIGN_UP and user.has_usable_password():
            raise AccountExists()
        kind, where, masked = _destination(person, user, channel)
        OneTimeCode.objects.filter(person=person, purpose=purpose, used_at__isnull=True).update(
            replaced=True
        )
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        row = OneTimeCode(
            person=person,
            user=user,
            purpose=purpose,
            channel=kind,
            sent_to=masked,
            expires_at=timezone.now() + timedelta(minutes=CODE_MINUTES),
        )
        row.code_hash = _code_hash(str(row.ticket), code)
        row.save()
        otp_send(row, code, address=where)
        audit_record(
            Scope(role=None, actor_name="anonymous"),
            AuditAction.CREATE,
            target_type="selfservice.onetimecode",
            target_id=str(row.pk),
            label=masked,
            detail={"purpose": purpose, "channel": kind, "person": str(person.pk)},
        )
    return CodeSent(
        ticket=str(row.ticket),
        channel=kind,
        sent_to=masked,
        expires_at=row.expires_at,
        purpose=purpose,
    )


def otp_send(row: OneTimeCode, code: str, *, address: str) -> None:
    """Send the code by the notifications outbox (kind ``access.one_time_code``), to the one
    address chosen; the message is queued with the caller's transaction."""
    person = row.person
    phone = address if row.channel == "phone" else ""
    email = address if row.channel == "email" else ""
    notify(
        CODE_KIND,
        recipient=Recipient(
            name=person.name,
            phone=phone,
            email=email,
            person_id=None if email else person.pk,
            user_id=row.user_id if email else None,
        ),
        context={"code": code, "minutes": CODE_MINUTES},
        idempotency_key=f"otp:{row.ticket}",
        channels=("email",) if email else ("sms", "whatsapp"),
    )


def _ticket_row(ticket: str) -> OneTimeCode:
    try:
        return OneTimeCode.objects.select_for_update().select_related("user").get(ticket=ticket)
    except (OneTimeCode.DoesNotExist, ValidationError, ValueError):
        raise CodeExpired() from None


def password_set_with_code(*, ticket: str, code: str, password: str) -> Any:
    """Use the code of ``ticket`` to set the account's password; returns the user.

    Refuses :class:`CodeExpired` (unknown ticket, expired, used, replaced, tried
    :data:`MAX_TRIES` times), :class:`CodeWrong` (counts a try) and
    :class:`PasswordRejected` (the site's password validators; the code stays valid)."""
    code = ascii_digits(code or "") or ""
    wrong: CodeWrong | None = None
    with transaction.atomic():
        row = _ticket_row(ticket)
        if (
            row.used_at is not None
            or row.replaced
            or row.tries >= MAX_TRIES
            or row.expires_at <= timezone.now()
        ):
            raise CodeExpired()
        if len(code) != CODE_DIGITS or not constant_time_compare(
            _code_hash(str(row.ticket), code), row.code_hash
        ):
            row.tries += 1
            row.save(update_fields=["tries"])
            left = MAX_TRIES - row.tries
            # After the last try: "no longer valid" rather than "0 tries left".
            wrong = CodeWrong(left=left) if left > 0 else None
        else:
            user = row.user
            try:
                validate_password(password or "", user)
            except ValidationError as error:
                raise PasswordRejected(problems=" ".join(error.messages)) from None
            user.set_password(password)
            user.save(update_fields=["password"])
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            audit_record(
                Scope(role=Role.WORKER, user_id=user.pk, actor_name=user.get_username()),
                AuditAction.UPDATE,
                target_type="auth.user",
                target_id=str(user.pk),
                label=user.get_username(),
                detail={"password": row.purpose},
            )
            return user
    if wrong is not None:
        raise wrong
    raise CodeExpired()


# --- signing in --------------------------------------------------------------------------------


def worker_sign_in(request: HttpRequest, *, identifier: str, password: str) -> Any:
    """The worker's user for a NIK or KPJ and password (the site's authentication backends,
    so sign-in failures lock out as everywhere); :class:`SignInFailed` otherwise."""
    attempt_allowed("signin.address", client_address(request))
    digits = ascii_digits(identifier or "") or ""
    person: Person | None = None
    if len(digits) == 16:
        person = Person.objects.filter(nik=digits).first()
    elif digits:
        membership = Membership.objects.filter(kpj=digits).select_related("person").first()
        person = membership.person if membership else None
    access = worker_account(person) if person is not None else None
    username = access.user.get_username() if access else f"unknown:{digits[-4:]}"
    user = authenticate(request, username=username, password=password or "")
    if user is None or access is None or user.pk != access.user_id:
        raise SignInFailed()
    return user


def worker_scope(user: Any) -> Scope:
    """The scope of a signed-in worker account."""
    access = UserAccess.objects.get(user=user, role=Role.WORKER)
    return Scope(
        role=Role.WORKER,
        user_id=user.pk,
        actor_name=user.get_username(),
        person_id=access.person_id,
    )
