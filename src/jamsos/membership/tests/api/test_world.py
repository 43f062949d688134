"""A small registry with two offices, and one account of each role, for the registry API tests.

Office A (KC3204) serves Kabupaten and Kota Bandung; office B (KC6501) serves Bulungan. Each
office has an employer with one PU worker; partner MITRA-A registered one BPU member in Kota
Bandung; one person lives in Kabupaten Bandung without any membership. The fixtures are
imported by the other ``test_registry_*`` modules; the tests here check the world itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.access.services import api_token_issue
from jamsos.membership.models import BranchOffice, Employer, Membership, Person
from jamsos.membership.selectors import memberships_visible, people_visible
from jamsos.membership.services import bpu_self_register, branch_office_create, pu_worker_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import PersonDataFactory, employer_create, person_create
from jamsos.membership.tests.fixtures import Regions

__all__ = ["World", "api_caller", "new_person_body", "username", "world_build"]

OPERATOR = Scope.operator("test-setup")
ROLES = (
    "admin",
    "officer_a",
    "officer_b",
    "employer_a",
    "worker_a",
    "partner_a",
    "analyst",
    "norole",
)


def username(role: str) -> str:
    return role.replace("_", "-")


@dataclass
class World:
    regions: Regions
    office_a: BranchOffice
    office_b: BranchOffice
    employer_a: Employer
    employer_b: Employer
    worker_a: Person  # PU with employer A (office A)
    worker_b: Person  # PU with employer B (office B)
    bpu_a: Person  # BPU registered by partner MITRA-A, Kota Bandung (office A)
    resident_a: Person  # lives in Kabupaten Bandung, no membership
    pu_a: Membership
    pu_b: Membership
    bpu_membership: Membership
    tokens: dict[str, str]

    def client(self, role: str | None, **extra: Any) -> Client:
        """A client signed in with the role's token (``None``: anonymous)."""
        if role is None:
            return Client(**extra)
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[role]}", **extra)


def _grant(username: str, role: str, **bindings: Any) -> Any:
    access = user_access_grant(username=username, role=role, by=OPERATOR, **bindings)
    return access.user


def world_build(regions: Regions) -> World:
    """The ``world`` fixture (membership/tests/api/conftest.py)."""
    office_a = BranchOffice.objects.get(code="KC3204")
    office_b = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    employer_a = employer_create(village=regions.cileunyi_kulon, legal_name="PT Cileunyi Jaya")
    employer_b = employer_create(village=regions.tanjung_palas_hulu, legal_name="PT Bulungan Sawit")
    worker_a = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar")
    worker_b = person_create(
        domicile=regions.tanjung_palas_hulu, district="650101", name="Bambang Irawan"
    )
    bpu_a = person_create(domicile=regions.sukarasa, district="327301", name="Cucu Rohaeni")
    resident_a = person_create(domicile=regions.cileunyi_wetan, name="Dedi Mulyadi")
    pu_a = pu_worker_register(
        employer=employer_a,
        person=worker_a,
        wage_idr=4_500_000,
        start_date=date(2024, 1, 2),
        today=date(2025, 3, 15),
    )
    pu_b = pu_worker_register(
        employer=employer_b,
        person=worker_b,
        wage_idr=3_900_000,
        start_date=date(2024, 2, 1),
        today=date(2025, 3, 15),
    )
    bpu_membership = bpu_self_register(
        person=bpu_a,
        declared_income_idr=2_000_000,
        channel="partner",
        partner_ref="MITRA-A",
        start_date=date(2024, 6, 1),
        today=date(2025, 3, 15),
    )
    users = {
        "admin": _grant("admin", Role.ADMIN),
        "officer_a": _grant("officer-a", Role.BRANCH_OFFICER, branch_office=office_a),
        "officer_b": _grant("officer-b", Role.BRANCH_OFFICER, branch_office=office_b),
        "employer_a": _grant("employer-a", Role.EMPLOYER_USER, employer=employer_a),
        "worker_a": _grant("worker-a", Role.WORKER, person=worker_a),
        "partner_a": _grant(
            "partner-a",
            Role.PARTNER_USER,
            partner_ref="MITRA-A",
            partner_regions=[regions.jabar, regions.bulungan],
        ),
        "analyst": _grant("analyst", Role.ANALYST),
    }
    from django.contrib.auth import get_user_model

    users["norole"] = get_user_model().objects.create_user("norole", password="x-unused-x")
    tokens = {role: api_token_issue(user=user, name="tests").raw for role, user in users.items()}
    return World(
        regions=regions,
        office_a=office_a,
        office_b=office_b,
        employer_a=employer_a,
        employer_b=employer_b,
        worker_a=worker_a,
        worker_b=worker_b,
        bpu_a=bpu_a,
        resident_a=resident_a,
        pu_a=pu_a,
        pu_b=pu_b,
        bpu_membership=bpu_membership,
        tokens=tokens,
    )


def api_caller(world: World):
    """``api(role, method, path, body=None, **extra)`` → response. A GET's body is its query;
    other bodies are sent as JSON."""
    import json

    def call(role: str | None, method: str, path: str, body: Any = None, **extra: Any):
        client = world.client(role)
        url = path if path.startswith("/") else f"/api/v1/{path}"
        if body is None:
            return getattr(client, method)(url, **extra)
        if method == "get":
            return client.get(url, body, **extra)
        return getattr(client, method)(
            url, json.dumps(body, default=str), content_type="application/json", **extra
        )

    return call


def new_person_body(regions: Regions, **change: Any) -> dict[str, Any]:
    """The body fields of a new person in Cileunyi Kulon, NIK consistent with the data."""
    data = PersonDataFactory(domicile=regions.cileunyi_kulon, serial=7000 + _next())
    body = {
        "nik": data.nik,
        "name": data.name,
        "birth_date": data.birth_date.isoformat(),
        "sex": data.sex,
        "domicile": regions.cileunyi_kulon.code,
        "phone": "0812-1111-2222",
    }
    body.update(change)
    return body


_counter = iter(range(1, 2000))


def _next() -> int:
    return next(_counter)


# --- the world as the selectors see it (the API's tests rely on these) ------------------------


def test_each_office_sees_its_own_workers_only(world):
    from jamsos.access.scope import scope_for_user
    from jamsos.access.services import api_token_user

    officer_a = scope_for_user(api_token_user(world.tokens["officer_a"]))
    officer_b = scope_for_user(api_token_user(world.tokens["officer_b"]))
    assert set(people_visible(officer_a)) == {world.worker_a, world.bpu_a, world.resident_a}
    assert set(people_visible(officer_b)) == {world.worker_b}
    assert set(memberships_visible(officer_a)) == {world.pu_a, world.bpu_membership}
    assert set(memberships_visible(officer_b)) == {world.pu_b}


def test_the_bpu_member_belongs_to_office_a_and_partner_a(world):
    assert world.bpu_membership.branch_office == world.office_a
    assert world.bpu_membership.partner_ref == "MITRA-A"
    assert world.pu_b.branch_office == world.office_b
