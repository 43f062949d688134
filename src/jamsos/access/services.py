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
from django.db.models import Count
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.errors import NotPermitted  # noqa: F401  (also imported from here)
from jamsos.access.models import ApiToken, AuditAction, Role, UserAccess
from jamsos.access.policy import ROLE_NAMES, refuse, role_name  # noqa: F401  (also imported from here)
from jamsos.access.scope import Scope
from jamsos.membership.errors import RequiredField
from jamsos.membership.models import BranchOffice, Employer, Membership, Person, RecordSource
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


def require(scope: Scope, allowed: bool, action: dict[str, str]) -> None:
    """Refuse with 403 when ``allowed`` is false (a check that is not a role: see
    :mod:`jamsos.access.policy` for who may do what)."""
    if not allowed:
        raise refuse(scope, action)


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


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    bound_to: str


def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """One account per role on the demo population, for trying the pages and the API.

    The branch officer works at the demo office with the most memberships; the employer user at
    its employer with the most active wage earners; the worker is that employer's
    longest-serving active wage earner; the
    partner user holds the partner reference with the most registrations.
    """
    office_id = (
        Membership.objects.filter(source=RecordSource.DEMO)
        .values("branch_office_id")
        .annotate(n=Count("id"))
        .order_by("-n", "branch_office_id")
        .values_list("branch_office_id", flat=True)
        .first()
    )
    if office_id is None:
        return []
    office = BranchOffice.objects.get(pk=office_id)
    employer_id = (
        Membership.objects.filter(branch_office_id=office_id, segment="PU", status="active")
        .values("employer_id")
        .annotate(n=Count("id"))
        .order_by("-n", "employer_id")
        .values_list("employer_id", flat=True)
        .first()
    )
    employer = Employer.objects.get(pk=employer_id) if employer_id else None
    worker = None
    if employer is not None:
        worker = (
            Membership.objects.filter(employer=employer, segment="PU", status="active")
            .select_related("person")
            .order_by("start_date", "id")
            .first()
        )
    partner_ref = (
        Membership.objects.filter(branch_office_id=office_id, partner_ref__isnull=False)
        .values("partner_ref")
        .annotate(n=Count("id"))
        .order_by("-n", "partner_ref")
        .values_list("partner_ref", flat=True)
        .first()
    )
    regencies = list(office.service_area.all())
    accounts = [DemoAccount("demo-admin", Role.ADMIN, "")]
    user_access_grant(username="demo-admin", role=Role.ADMIN, password=password, is_demo=True)
    _superuser("demo-admin")
    user_access_grant(
        username="demo-cabang",
        role=Role.BRANCH_OFFICER,
        branch_office=office,
        password=password,
        is_demo=True,
    )
    accounts.append(DemoAccount("demo-cabang", Role.BRANCH_OFFICER, str(office)))
    if employer is not None:
        user_access_grant(
            username="demo-perusahaan",
            role=Role.EMPLOYER_USER,
            employer=employer,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-perusahaan", Role.EMPLOYER_USER, str(employer)))
    if worker is not None:
        user_access_grant(
            username="demo-peserta",
            role=Role.WORKER,
            person=worker.person,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-peserta", Role.WORKER, f"KPJ {worker.kpj}"))
    if partner_ref:
        user_access_grant(
            username="demo-mitra",
            role=Role.PARTNER_USER,
            partner_ref=partner_ref,
            partner_regions=regencies,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-mitra", Role.PARTNER_USER, partner_ref))
    user_access_grant(username="demo-analis", role=Role.ANALYST, password=password, is_demo=True)
    accounts.append(DemoAccount("demo-analis", Role.ANALYST, ""))
    return accounts


def _superuser(username: str) -> None:
    get_user_model().objects.filter(username=username).update(is_superuser=True, is_staff=True)


def demo_users_remove() -> int:
    users = get_user_model().objects.filter(jamsos_access__is_demo=True)
    ApiToken.objects.filter(user__in=users).delete()
    UserAccess.objects.filter(is_demo=True).delete()
    count, _ = users.delete()
    return count
