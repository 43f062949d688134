"""A person's or a user's choices: language, an e-mail address for messages, channels off."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.notifications.errors import EmailInvalid, LanguageUnknown
from jamsos.notifications.models import Preference
from jamsos.notifications.policy import NOTIFICATIONS


@dataclass(frozen=True)
class Choices:
    language: str = "id"
    email: str = ""
    email_off: bool = False
    sms_off: bool = False
    whatsapp_off: bool = False


def _owner(scope: Scope) -> dict[str, int]:
    """The record the caller's choices belong to: its person (a worker), else its account."""
    if scope.person_id is not None:
        return {"person_id": scope.person_id}
    if scope.user_id is None:  # an operator at the command line has no choices of its own
        raise LookupError("a caller without a user account has no message choices")
    return {"user_id": scope.user_id}


def preference_of(scope: Scope) -> Preference:
    """The caller's choices (defaults when none are on file; not saved)."""
    NOTIFICATIONS.require(scope, "preferences.own")
    owner = _owner(scope)
    return Preference.objects.filter(**owner).first() or Preference(**owner)


def preference_set(scope: Scope, choices: Choices) -> Preference:
    """Record the caller's own choices (audited: what changed)."""
    NOTIFICATIONS.require(scope, "preferences.own")
    language = (choices.language or "").strip().lower()
    if language not in {"id", "en"}:
        raise LanguageUnknown()
    email = (choices.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise EmailInvalid() from None
    owner = _owner(scope)
    with transaction.atomic():
        pref = Preference.objects.select_for_update().filter(**owner).first()
        pref = pref or Preference(**owner)
        new = {
            "language": language,
            "email": email,
            "email_off": bool(choices.email_off),
            "sms_off": bool(choices.sms_off),
            "whatsapp_off": bool(choices.whatsapp_off),
        }
        changes = {
            name: [getattr(pref, name), value]
            for name, value in new.items()
            if getattr(pref, name) != value or pref.pk is None
        }
        for name, value in new.items():
            setattr(pref, name, value)
        pref.save()
        if changes:
            if "email" in changes:
                changes["email"] = ["…", "…"]  # the trail says it changed, not what it is
            audit_record(scope, AuditAction.UPDATE, pref, changes=changes)
    return pref
