"""The caller's scope: what a user may read and change, as one immutable value.

Every selector that returns personal data takes a :class:`Scope` and filters by it; pages, API
endpoints, exports and CLI commands get the scope from :func:`scope_for_user` (or
:meth:`Scope.operator` for an operator's own command line) and pass it down. Templates and
serialisers never decide who sees what.

The rules (docs/registry/access.md):

- administrator: everything;
- branch officer: memberships served by their office, employers of their office, and people
  with such a membership or living in the office's service area;
- partner user: the memberships their partner registered and the people of those memberships;
  their agreement's regions for aggregates;
- employer user: their company, its memberships and the people of those memberships;
- worker: themselves and their own memberships;
- analyst: aggregates only, no personal data;
- Perisai agent: bound to their own person; sees only what the agents app shows them (the
  workers they enrolled, their collections and earnings);
- a signed-in user without a role: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jamsos.access.models import Role, UserAccess

#: Roles that may see personal data of some records (the analyst and a user without a role
#: may not): MEMBERSHIP's ``person.view``, restated here because access sits below membership
#: (jamsos.access.tests.test_policies checks that the two agree).
PERSONAL_DATA_ROLES = frozenset(
    {Role.ADMIN, Role.BRANCH_OFFICER, Role.PARTNER_USER, Role.EMPLOYER_USER, Role.WORKER}
)
#: Roles that may register people and memberships (within their scope): MEMBERSHIP's
#: ``pu.register`` or ``bpu.register``, checked to agree like the set above.
REGISTERING_ROLES = frozenset(
    {Role.ADMIN, Role.BRANCH_OFFICER, Role.PARTNER_USER, Role.EMPLOYER_USER}
)


@dataclass(frozen=True)
class Scope:
    role: Role | None
    user_id: int | None = None
    actor_name: str = ""
    branch_office_id: int | None = None
    regency_codes: frozenset[str] = field(default_factory=frozenset)
    employer_id: int | None = None
    person_id: int | None = None
    partner_ref: str = ""
    partner_region_codes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def nobody(cls, actor_name: str = "anonymous", user_id: int | None = None) -> Scope:
        return cls(role=None, user_id=user_id, actor_name=actor_name)

    @classmethod
    def operator(cls, actor_name: str) -> Scope:
        """An operator at the server's command line: an administrator, audited by name."""
        return cls(role=Role.ADMIN, actor_name=actor_name)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def sees_personal_data(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES

    @property
    def may_register(self) -> bool:
        return self.role in REGISTERING_ROLES

    @property
    def sees_aggregates(self) -> bool:
        """COVERAGE's ``coverage.view``, restated (test_policies checks that they agree)."""
        return self.role in {Role.ADMIN, Role.ANALYST, Role.BRANCH_OFFICER, Role.PARTNER_USER}

    def describe(self) -> dict[str, Any]:
        """What the scope is bound to, for the audit trail and the ``whoami`` endpoint."""
        out: dict[str, Any] = {"role": self.role.value if self.role else None}
        if self.branch_office_id:
            out["branch_office_id"] = self.branch_office_id
            out["regencies"] = sorted(self.regency_codes)
        if self.employer_id:
            out["employer_id"] = self.employer_id
        if self.person_id:
            out["person_id"] = self.person_id
        if self.partner_ref:
            out["partner_ref"] = self.partner_ref
            out["partner_regions"] = sorted(self.partner_region_codes)
        return out


def scope_for_access(access: UserAccess, *, actor_name: str) -> Scope:
    role = Role(access.role)
    regencies: frozenset[str] = frozenset()
    if role == Role.BRANCH_OFFICER and access.branch_office_id:
        regencies = frozenset(
            access.branch_office.service_area.values_list("code", flat=True)  # type: ignore[union-attr]
        )
    partner_regions: frozenset[str] = frozenset()
    if role == Role.PARTNER_USER:
        partner_regions = frozenset(access.partner_regions.values_list("code", flat=True))
    return Scope(
        role=role,
        user_id=access.user_id,
        actor_name=actor_name,
        branch_office_id=access.branch_office_id if role == Role.BRANCH_OFFICER else None,
        regency_codes=regencies,
        employer_id=access.employer_id if role == Role.EMPLOYER_USER else None,
        person_id=access.person_id if role in (Role.WORKER, Role.AGENT) else None,
        partner_ref=access.partner_ref if role == Role.PARTNER_USER else "",
        partner_region_codes=partner_regions,
    )


def scope_for_user(user: Any) -> Scope:
    """The scope of a Django user (anonymous, inactive and role-less users see nothing)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nobody()
    name = user.get_username()
    if user.is_superuser:
        return Scope(role=Role.ADMIN, user_id=user.pk, actor_name=name)
    access = UserAccess.objects.select_related("branch_office").filter(user_id=user.pk).first()
    if access is None:
        return Scope.nobody(actor_name=name, user_id=user.pk)
    return scope_for_access(access, actor_name=name)
