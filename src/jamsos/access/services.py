"""Granting roles, issuing API tokens, and the demo's accounts."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import ApiToken, AuditAction, Role, UserAccess
from jamsos.access.scope import Scope
from jamsos.membership.errors import NotPermitted, RequiredField
from jamsos.membership.models import BranchOffice, Employer, Person
from jamsos.membership.services._common import require_choice
from jamsos.registry.models import Region

TOKEN_PREFIX = "jms_"

#: What each role is bound to; the other bindings must be empty.
_BINDING = {
    Role.BRANCH_OFFICER: "branch_office",
    Role.EMPLOYER_USER: "employer",
    Role.WORKER: "person",
    Role.PARTNER_USER: "partner_ref",
}

ROLE_NAMES = {
    Role.ADMIN: {"id": "administrator", "en": "administrator"},
    Role.BRANCH_OFFICER: {"id": "petugas kantor cabang", "en": "branch officer"},
    Role.PARTNER_USER: {"id": "pengguna mitra", "en": "partner user"},
    Role.EMPLOYER_USER: {"id": "pengguna pemberi kerja", "en": "employer user"},
    Role.WORKER: {"id": "peserta", "en": "worker"},
    Role.ANALYST: {"id": "analis", "en": "analyst"},
    None: {"id": "tanpa peran", "en": "no role"},
}


def role_name(role: Role | None) -> dict[str, str]:
    return ROLE_NAMES[role]


def require(scope: Scope, allowed: bool, action: dict[str, str]) -> None:
    """Refuse with 403 when the caller's role may not do ``action`` at all."""
    if not allowed:
        raise NotPermitted(role=role_name(scope.role), action=action)


@transaction.atomic
def user_access_grant(
    *,
    username: str,
    role: str,
    branch_office: BranchOffice | None = None,
    employer: Employer | None = None,
    person: Person | None = None,
    partner_ref: str = "",
    partner_regions: Iterable[Region] = (),
    password: str | None = None,
    email: str = "",
    is_demo: bool = False,
    by: Scope | None = None,
) -> UserAccess:
    """Create the account if needed and give it ``role`` bound to what the role needs."""
    username = (username or "").strip()
    if not username:
        raise RequiredField(field="username")
    role_value = Role(require_choice(role, Role, field="role"))
    bindings: dict[str, Any] = {
        "branch_office": branch_office,
        "employer": employer,
        "person": person,
        "partner_ref": (partner_ref or "").strip(),
    }
    needed = _BINDING.get(role_value)
    if needed and not bindings[needed]:
        raise RequiredField(field=needed)
    for name in bindings:
        if name != needed:
            bindings[name] = "" if name == "partner_ref" else None
    users = get_user_model()
    user, created = users.objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": role_value == Role.ADMIN}
    )
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    access, _ = UserAccess.objects.update_or_create(
        user=user, defaults={"role": role_value.value, "is_demo": is_demo, **bindings}
    )
    access.full_clean(validate_constraints=True)
    access.partner_regions.set(list(partner_regions) if role_value == Role.PARTNER_USER else [])
    audit_record(
        by,
        AuditAction.ACCESS_GRANTED,
        target_type="auth.user",
        target_id=str(user.pk),
        label=username,
        detail={
            "role": role_value.value,
            **{k: str(getattr(v, "pk", v)) for k, v in bindings.items() if v},
        },
    )
    return access


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once


@transaction.atomic
def api_token_issue(*, user: Any, name: str, days: int | None = 90) -> IssuedToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "api").strip()[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return IssuedToken(token=token, raw=raw)


def api_token_user(raw: str) -> Any | None:
    """The active user of a valid, unexpired, unrevoked token (None otherwise)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- demo accounts -----------------------------------------------------------------------------

#: The demo accounts' password, printed by ``make run``. Only demo accounts get it.
DEMO_PASSWORD = "jamsos-demo"
