"""Accounts bound to the records they work on: a role granted with the branch office, employer,
person or partner it needs (the roles themselves, scopes and tokens are in jamsos.access)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role, UserAccess
from jamsos.access.policy import ROLE_NAMES, refuse, role_name  # noqa: F401  (also imported from here)
from jamsos.access.scope import Scope
from jamsos.core.errors import NotPermitted  # noqa: F401  (also imported from here)
from jamsos.membership.errors import RequiredField
from jamsos.membership.models import BranchOffice, Employer, Person
from jamsos.membership.services._common import require_choice
from jamsos.registry.models import Region

#: What each role is bound to; the other bindings must be empty.
_BINDING = {
    Role.BRANCH_OFFICER: "branch_office",
    Role.EMPLOYER_USER: "employer",
    Role.WORKER: "person",
    Role.AGENT: "person",
    Role.PARTNER_USER: "partner_ref",
}


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
