"""Sign-ins in the audit trail: each success, failure and lockout, from where.

Django sends ``user_logged_in`` and ``user_login_failed``; django-axes sends ``user_locked_out``
when an account name and address pair reaches the failure limit. Each becomes one audit event
with the account name tried (a name that is a NIK is masked) and never the password. The origin
(address, user agent) is the request's, set by
:class:`~jamsos.access.middleware.AuditOriginMiddleware`; a session opened outside a request
(a test client's ``force_login``, a shell) is not a sign-in through the site and is not written.
"""

from __future__ import annotations

import re
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from jamsos.access.audit import audit_record, current_origin
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.identifiers import ascii_digits
from jamsos.core.masking import mask_nik

TARGET_TYPE = "auth.user"
_SIXTEEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def account_label(username: object) -> str:
    """The account name as the audit trail keeps it: a NIK (in any spelling) masked."""
    text = str(username or "")
    digits = ascii_digits(text)
    if digits is not None and len(digits) == 16:
        return mask_nik(digits)
    return _SIXTEEN_DIGITS.sub(lambda match: mask_nik(match.group()), text)[:150]


def _through_the_site() -> bool:
    return current_origin().channel in {"web", "api"}


def _named(name: str) -> Scope:
    return Scope(role=None, actor_name=name or "anonymous")


@receiver(user_logged_in, dispatch_uid="jamsos.access.signin.logged_in")
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if not _through_the_site():
        return
    name = account_label(user.get_username())
    audit_record(
        Scope(role=None, user_id=user.pk, actor_name=name),
        AuditAction.SIGN_IN,
        target_type=TARGET_TYPE,
        target_id=str(user.pk),
        label=name,
    )


@receiver(user_login_failed, dispatch_uid="jamsos.access.signin.login_failed")
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if not _through_the_site():
        return
    name = account_label(credentials.get("username", ""))
    audit_record(_named(name), AuditAction.SIGN_IN_FAILED, target_type=TARGET_TYPE, label=name)


@receiver(user_locked_out, dispatch_uid="jamsos.access.signin.locked_out")
def locked_out(sender: Any, request: Any = None, username: Any = "", **kwargs: Any) -> None:
    if not _through_the_site():
        return
    name = account_label(username)
    audit_record(_named(name), AuditAction.LOCKED_OUT, target_type=TARGET_TYPE, label=name)
