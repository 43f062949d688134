"""Claims fixtures: an employer in Bandung with a long-serving worker whose months are paid
(billing's invoice lines with ``paid_on``), a JHT account, and the people who handle claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    JhtEntry,
    JhtKind,
    Payer,
    PayerKind,
)
from jamsos.claims.rules import add_months
from jamsos.membership.models import Membership, Person
from jamsos.membership.services import pu_worker_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create

TODAY = date(2026, 11, 20)
#: A PNG, a PDF and a JPEG small enough to be a test's, whole enough to be read.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + b"IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 3 + b"%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40 + b"\xff\xd9"


def paid_months(membership: Membership, first: date, count: int, base: int) -> None:
    """``count`` paid months from ``first``, as billing records them: invoice lines paid."""
    payer, _ = Payer.objects.get_or_create(
        employer=membership.employer,
        defaults={
            "kind": PayerKind.EMPLOYER,
            "name": "payer",
            "virtual_account": virtual_account_for(PayerKind.EMPLOYER, 700_000 + membership.pk),
        },
    )
    invoice = Invoice.objects.create(
        number=f"T-{membership.pk}-{first:%Y%m}",
        payer=payer,
        period=f"{first:%Y-%m}",
        kind=InvoiceKind.CORRECTION,  # one regular invoice a month per payer; many here
        issued_on=first,
        due_date=first,
    )
    lines = []
    for i in range(count):
        month = add_months(first, i)
        jp = base * 3 // 100
        lines.append(
            InvoiceLine(
                invoice=invoice,
                membership=membership,
                person_id_copy=membership.person_id,
                period=f"{month:%Y-%m}",
                segment="PU",
                base_idr=base,
                jp_employer_idr=jp,
                total_idr=jp,
                paid_on=month,
            )
        )
    InvoiceLine.objects.bulk_create(lines)


@dataclass
class ClaimsWorld:
    employer: Any
    worker: Membership  # PU since 2015-07, 136 months paid, born 1966
    young: Membership  # PU since 2025-01, 20 months paid
    users: dict[str, Any] = field(default_factory=dict)

    def scope(self, name: str) -> Scope:
        return scope_for_user(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    @property
    def person(self) -> Person:
        return self.worker.person


@pytest.fixture
def cw(regions, settings, tmp_path) -> ClaimsWorld:
    settings.VAR_DIR = tmp_path
    employer = employer_create(
        village=regions.cileunyi_kulon, size="large", risk_class=1, legal_name="PT Maju Bersama"
    )
    worker = pu_worker_register(
        employer=employer,
        person=person_create(
            domicile=regions.cileunyi_kulon, birth_date=date(1966, 2, 10), name="Siti Rahayu"
        ),
        wage_idr=6_000_000,
        start_date=date(2015, 7, 1),
        today=date(2015, 7, 2),
    )
    young = pu_worker_register(
        employer=employer,
        person=person_create(
            domicile=regions.cileunyi_wetan, birth_date=date(1995, 8, 1), name="Agus Pratama"
        ),
        wage_idr=4_000_000,
        start_date=date(2025, 1, 1),
        today=date(2025, 1, 2),
    )
    paid_months(worker, date(2015, 7, 1), 136, 6_000_000)
    paid_months(young, date(2025, 1, 1), 20, 4_000_000)
    JhtEntry.objects.create(
        person=worker.person,
        kind=JhtKind.CONTRIBUTION,
        period="2026-10",
        amount_idr=40_000_000,
        booked_on=date(2026, 10, 15),
    )
    JhtEntry.objects.create(
        person=young.person,
        kind=JhtKind.CONTRIBUTION,
        period="2026-08",
        amount_idr=4_500_000,
        booked_on=date(2026, 8, 15),
    )
    office = employer.branch_office
    users = {
        "worker": user_access_grant(username="siti", role=Role.WORKER, person=worker.person),
        "young": user_access_grant(username="agus", role=Role.WORKER, person=young.person),
        "officer": user_access_grant(
            username="petugas1", role=Role.BRANCH_OFFICER, branch_office=office
        ),
        "officer2": user_access_grant(
            username="petugas2", role=Role.BRANCH_OFFICER, branch_office=office
        ),
        "employer": user_access_grant(username="hrd", role=Role.EMPLOYER_USER, employer=employer),
        "analyst": user_access_grant(username="analis", role=Role.ANALYST),
        "admin": user_access_grant(username="admin1", role=Role.ADMIN),
    }
    return ClaimsWorld(employer, worker, young, {k: v.user for k, v in users.items()})
