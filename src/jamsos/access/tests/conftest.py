"""Two offices, their employers, workers of every segment, and one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jamsos.access.models import Role, UserAccess
from jamsos.access.scope import Scope, scope_for_user
from jamsos.membership.models import BranchOffice, Employer, Membership, Person
from jamsos.membership.services import (
    bpu_self_register,
    branch_office_create,
    pu_worker_register,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import TODAY, Regions


@dataclass
class World:
    bandung: BranchOffice
    bulungan: BranchOffice
    employer_a: Employer  # Kota Bandung, served by KC3204
    employer_b: Employer  # Bulungan, served by KC6501
    worker_a: Person  # PU at employer A, lives in Cileunyi (Bandung)
    worker_b: Person  # PU at employer B, lives in Bulungan
    commuter: Person  # lives in Bulungan, PU at employer A (Bandung)
    bpu_partner: Person  # BPU registered by partner PKS-3204, lives in Cileunyi
    resident: Person  # lives in Cileunyi, no membership yet
    pu_a: Membership
    pu_b: Membership
    pu_commuter: Membership
    bpu: Membership


@pytest.fixture
def world(regions: Regions) -> World:
    bandung = BranchOffice.objects.get(code="KC3204")
    bulungan = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    employer_a = employer_create(village=regions.sukarasa, legal_name="PT Bandung Maju")
    employer_b = employer_create(
        village=regions.tanjung_palas_hulu, legal_name="PT Kaltara Sejahtera"
    )
    worker_a = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar", serial=11)
    worker_b = person_create(
        domicile=regions.tanjung_palas_hulu,
        district="650101",
        name="Rina Wati",
        sex="F",
        serial=12,
    )
    commuter = person_create(
        domicile=regions.tanjung_palas_hulu, district="650101", name="Yusuf Kelana", serial=13
    )
    bpu_partner = person_create(
        domicile=regions.cileunyi_wetan, name="Siti Aminah", sex="F", serial=14
    )
    resident = person_create(domicile=regions.cileunyi_kulon, name="Dadang Hermawan", serial=15)

    def pu(employer: Employer, person: Person) -> Membership:
        return pu_worker_register(
            employer=employer,
            person=person,
            wage_idr=5_000_000,
            start_date=date(2024, 1, 1),
            today=TODAY,
        )

    bpu = bpu_self_register(
        person=bpu_partner,
        declared_income_idr=1_000_000,
        channel="partner",
        partner_ref="PKS-3204",
        start_date=date(2025, 1, 1),
        today=TODAY,
    )
    return World(
        bandung=bandung,
        bulungan=bulungan,
        employer_a=employer_a,
        employer_b=employer_b,
        worker_a=worker_a,
        worker_b=worker_b,
        commuter=commuter,
        bpu_partner=bpu_partner,
        resident=resident,
        pu_a=pu(employer_a, worker_a),
        pu_b=pu(employer_b, worker_b),
        pu_commuter=pu(employer_a, commuter),
        bpu=bpu,
    )


def _scope(username: str, **grant: object) -> Scope:
    access: UserAccess = user_access_grant(username=username, **grant)  # type: ignore[arg-type]
    return scope_for_user(access.user)


@pytest.fixture
def scopes(world: World, regions: Regions) -> dict[str, Scope]:
    return {
        "admin": _scope("admin1", role=Role.ADMIN),
        "officer_bandung": _scope("kc3204", role=Role.BRANCH_OFFICER, branch_office=world.bandung),
        "officer_bulungan": _scope(
            "kc6501", role=Role.BRANCH_OFFICER, branch_office=world.bulungan
        ),
        "employer_a": _scope("hr_a", role=Role.EMPLOYER_USER, employer=world.employer_a),
        "employer_b": _scope("hr_b", role=Role.EMPLOYER_USER, employer=world.employer_b),
        "worker_a": _scope("asep", role=Role.WORKER, person=world.worker_a),
        "partner": _scope(
            "mitra",
            role=Role.PARTNER_USER,
            partner_ref="PKS-3204",
            partner_regions=[regions.kab_bandung],
        ),
        "analyst": _scope("analis", role=Role.ANALYST),
        "nobody": Scope.nobody(),
    }
