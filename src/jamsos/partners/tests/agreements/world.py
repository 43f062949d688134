"""Fixtures of the partner tests: real regions, two partners, BPU members registered by them,
billed and paid months written directly (no billing run needed).

The scorecard world (hand-computed figures in test_scorecards.py):

====  ==========  ================  ==========  ===============================  =========
name  partner     village           start       paid months (billed 2025-01..05)  agreement
====  ==========  ================  ==========  ===============================  =========
m1    apindo-bdg  Cileunyi Kulon    2025-01-10  01, 02, 03, 05                    A1
m2    apindo-bdg  Cileunyi Wetan    2025-01-20  01, 05 (03 billed, unpaid)        A1
m3    apindo-bdg  Cileunyi Kulon    2025-02-05  04 (05 billed, unpaid)            A1
m4    apindo-bdg  Sukarasa (Kota)   2025-02-10  05 (04 billed, unpaid)            - region
m5    apindo-bdg  Cileunyi Kulon    2024-12-15  02                                - dates
====  ==========  ================  ==========  ===============================  =========
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.billing.models import InvoiceLine
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.membership.models import BranchOffice, Membership
from jamsos.membership.services import bpu_self_register, branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.models import Agreement, Partner
from jamsos.partners.services.agreements import agreement_create, agreement_sign
from jamsos.partners.services.partners import ContactData, partner_create

OPERATOR = Scope.operator("test")
TODAY = date(2025, 6, 15)


def member(
    regions_: Regions,
    village: str,
    start: date,
    *,
    partner_ref: str | None = "apindo-bdg",
    channel: str = "partner",
    ecosystem: str = "none",
) -> Membership:
    return bpu_self_register(
        person=person_create(domicile=getattr(regions_, village), today=start),
        declared_income_idr=1_000_000,
        channel=channel,
        partner_ref=partner_ref,
        ecosystem=ecosystem,
        start_date=start,
        today=start,
    )


def bill(membership: Membership, period: str, *, paid: bool) -> None:
    """One billed month for the membership (paid or not), on its own invoice and payer."""
    payer = payer_make(sponsor_ref=f"T-{membership.pk}-{period}")
    year, month = map(int, period.split("-"))
    invoice_make(
        payer,
        period,
        due_date=date(year, month, 15),
        items=[("BPU", "JKK", 10_000)],
        lines=[(membership, {"jkk_idr": 10_000})],
        number=f"T{period}-{membership.pk}",
    )
    if paid:
        InvoiceLine.objects.filter(membership=membership, period=period).update(
            paid_on=date(year, month, 10)
        )


@dataclass
class World:
    regions: Regions
    office: BranchOffice
    apindo: Partner
    pemkab: Partner
    a1: Agreement
    m: dict[str, Membership]


def world_build(regions: Regions) -> World:
    """The ``world`` fixture (this folder's conftest.py)."""
    office = BranchOffice.objects.get(code="KC3204")
    apindo = partner_create(
        scope=OPERATOR,
        code="apindo-bdg",
        name="APINDO Kabupaten Bandung",
        kind="employer_association",
        region="32.04",
        branch_office="KC3204",
        contacts=[ContactData(name="Siti Rahma", phone="0812-3456-7890", email="siti@example.id")],
    )
    pemkab = partner_create(
        scope=OPERATOR,
        code="pemkab-bdg",
        name="Pemerintah Kabupaten Bandung",
        kind="regional_government",
        region="32.04",
        branch_office="KC3204",
    )
    a1 = agreement_create(
        scope=OPERATOR,
        number="PKS-001/2025",
        title="Perlindungan pekerja informal anggota APINDO",
        partner=apindo,
        branch_office="KC3204",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        segments="BPU",
        budget_idr=10_000_000,
    )
    a1 = agreement_sign(scope=OPERATOR, agreement=a1, signed_on=date(2024, 12, 20), today=TODAY)
    m = {
        "m1": member(regions, "cileunyi_kulon", date(2025, 1, 10)),
        "m2": member(regions, "cileunyi_wetan", date(2025, 1, 20)),
        "m3": member(regions, "cileunyi_kulon", date(2025, 2, 5)),
        "m4": member(regions, "sukarasa", date(2025, 2, 10)),
        "m5": member(regions, "cileunyi_kulon", date(2024, 12, 15)),
    }
    paid = {
        "m1": {"2025-01": True, "2025-02": True, "2025-03": True, "2025-05": True},
        "m2": {"2025-01": True, "2025-03": False, "2025-05": True},
        "m3": {"2025-04": True, "2025-05": False},
        "m4": {"2025-04": False, "2025-05": True},
        "m5": {"2025-02": True},
    }
    for name, months in paid.items():
        for period, is_paid in months.items():
            bill(m[name], period, paid=is_paid)
    return World(regions, office, apindo, pemkab, a1, m)


def scope_of(username: str, role: str, **binding) -> Scope:
    from jamsos.access.scope import scope_for_user

    access = user_access_grant(username=username, role=role, **binding)
    return scope_for_user(access.user)


def branch_scope() -> Scope:
    return scope_of(
        "cabang", Role.BRANCH_OFFICER, branch_office=BranchOffice.objects.get(code="KC3204")
    )


def other_branch_scope(regions_: Regions) -> Scope:
    office = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions_.bulungan]
    )
    return scope_of("cabang-lain", Role.BRANCH_OFFICER, branch_office=office)
