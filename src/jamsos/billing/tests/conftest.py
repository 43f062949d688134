"""Billing fixtures: a small real world (regions, an employer with two PU workers, a BPU worker
paying for herself, a sponsored BPU worker) and a factory that writes an invoice directly, so
that payment and report tests do not depend on the billing run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jamsos.access.models import Role
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import (
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceKind,
    InvoiceLine,
    ItemKind,
    Payer,
    PayerKind,
    RunReject,
    RunStatus,
)
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice, Employer, Membership, Person
from jamsos.membership.services import (
    bpu_self_register,
    branch_office_create,
    pu_worker_register,
    wage_report_submit,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import Regions

#: The order in which payments are allocated inside one invoice (ADR 0104).
RANK = {"JKK": 1, "JKM": 2, "JHT": 3, "JP": 4, "JKK+JKM": 5, "": 9}


@dataclass
class World:
    regions: Regions
    employer: Employer
    worker_a: Membership  # PU, Rp 5,000,000
    worker_b: Membership  # PU, Rp 12,000,000 (above the JP wage cap)
    bpu: Membership  # BPU, Rp 1,000,000 declared income, JKK+JKM+JHT, pays herself
    sponsored: Membership  # BPU, Rp 1,000,000, JKK+JKM, paid by a regency budget
    bpu_person: Person


@pytest.fixture
def world(regions: Regions) -> World:
    employer = employer_create(
        village=regions.cileunyi_kulon, size="large", risk_class=1, legal_name="PT Maju Bersama"
    )
    start = date(2025, 3, 1)
    a = pu_worker_register(
        employer=employer,
        person=person_create(domicile=regions.cileunyi_kulon),
        wage_idr=5_000_000,
        start_date=start,
        today=date(2025, 3, 3),
    )
    b = pu_worker_register(
        employer=employer,
        person=person_create(domicile=regions.cileunyi_wetan),
        wage_idr=12_000_000,
        start_date=start,
        today=date(2025, 3, 3),
    )
    bpu_person = person_create(domicile=regions.sukarasa)
    bpu = bpu_self_register(
        person=bpu_person,
        declared_income_idr=1_000_000,
        programs=["JHT"],
        start_date=start,
        today=date(2025, 3, 3),
    )
    sponsored = bpu_self_register(
        person=person_create(domicile=regions.cileunyi_wetan),
        declared_income_idr=1_000_000,
        sponsor_name="Pemerintah Kabupaten Bandung",
        sponsor_kind="regional_budget",
        sponsor_ref="APBD-3204",
        start_date=start,
        today=date(2025, 3, 3),
    )
    return World(regions, employer, a, b, bpu, sponsored, bpu_person)


def wage_report(membership: Membership, period: str, wage_idr: int) -> None:
    wage_report_submit(membership=membership, period=period, wage_idr=wage_idr)


_payer_numbers = iter(range(900_000, 10_000_000))


def payer_make(
    *, employer: Employer | None = None, person: Person | None = None, sponsor_ref: str = ""
) -> Payer:
    """A payer written directly (the billing run creates them in real use)."""
    if employer is not None:
        kind, name, office = PayerKind.EMPLOYER, employer.legal_name, employer.branch_office
    elif person is not None:
        kind, name, office = PayerKind.PARTICIPANT, person.name, None
    else:
        kind, name, office = PayerKind.SPONSOR, sponsor_ref, None
    payer = Payer.objects.create(
        kind=kind,
        employer=employer,
        person=person,
        sponsor_ref=sponsor_ref or None,
        name=name,
        virtual_account=virtual_account_for(kind, next(_payer_numbers)),
        branch_office=office,
    )
    return payer


def invoice_make(
    payer: Payer,
    period: str,
    *,
    due_date: date,
    items: list[tuple[str, str, int]],
    lines: list[tuple[Membership, dict[str, int]]] = (),  # type: ignore[assignment]
    issued_on: date | None = None,
    kind: str = InvoiceKind.REGULAR,
    number: str | None = None,
) -> Invoice:
    """An invoice with contribution items ``(segment, program, amount)`` and optional lines
    ``(membership, {"jkk_idr": ..., ...})``, written directly, without the ledger entry a run
    would post: tests of the ledger post their own. The month gets a finished run record, as
    invoices only exist once their month is billed."""
    if not BillingRun.objects.filter(period=period, status=RunStatus.FINISHED).exists():
        BillingRun.objects.create(
            period=period,
            as_of=issued_on or due_date,
            status=RunStatus.FINISHED,
            started_at=timezone.now(),
            finished_at=timezone.now(),
            stage="done",
        )
    contribution = sum(amount for _, _, amount in items)
    invoice = Invoice.objects.create(
        number=number or f"T{period.replace('-', '')}-{payer.pk:06d}-{kind[0]}",
        payer=payer,
        period=period,
        kind=kind,
        issued_on=issued_on or due_date,
        due_date=due_date,
        contribution_idr=contribution,
        total_idr=contribution,
        participants=len(lines),
    )
    InvoiceItem.objects.bulk_create(
        InvoiceItem(
            invoice=invoice,
            kind=ItemKind.CONTRIBUTION,
            segment=segment,
            program=program,
            rank=RANK[program],
            due_date=due_date,
            amount_idr=amount,
        )
        for segment, program, amount in items
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            membership=membership,
            person_id_copy=membership.person_id,
            period=period,
            segment=membership.segment,
            base_idr=amounts.pop("base_idr", 0),
            total_idr=sum(v for k, v in amounts.items() if k != "jkp_government_idr"),
            **amounts,
        )
        for membership, amounts in ((m, dict(a)) for m, a in lines)
    )
    return invoice


@dataclass
class Site:
    world: World
    home: Payer  # the world's employer, Bandung office
    far: Payer  # an employer of the Bulungan office
    person_payer: Payer
    invoice: Invoice
    far_invoice: Invoice
    run: BillingRun
    users: dict[str, Any]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


@pytest.fixture
def site(world: World) -> Site:
    bulungan = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[world.regions.bulungan]
    )
    bandung = BranchOffice.objects.get(code="KC3204")
    far_employer = employer_create(
        village=world.regions.tanjung_palas_hulu, legal_name="PT Kaltara Jaya", risk_class=1
    )
    home = payer_make(employer=world.employer)
    far = payer_make(employer=far_employer)
    person_payer = payer_make(person=world.bpu_person)
    today = today_in_jakarta()
    invoice = invoice_make(
        home,
        "2025-03",
        due_date=today - timedelta(days=40),
        items=[("PU", "JKK", 200_000), ("PU", "JHT", 1_000_000)],
        lines=[
            (
                world.worker_a,
                {"base_idr": 5_000_000, "jkk_idr": 100_000, "jht_worker_idr": 500_000},
            ),
            (
                world.worker_b,
                {"base_idr": 9_000_000, "jkk_idr": 100_000, "jht_worker_idr": 500_000},
            ),
        ],
    )
    far_invoice = invoice_make(
        far, "2025-03", due_date=today - timedelta(days=100), items=[("PU", "JKK", 77_777)]
    )
    invoice_make(
        person_payer, "2025-03", due_date=today - timedelta(days=5), items=[("BPU", "JHT", 20_000)]
    )
    run = BillingRun.objects.create(
        period="2025-03",
        as_of=date(2025, 3, 31),
        started_at=datetime(2025, 3, 31, 1, 0, tzinfo=UTC),
        stage="write",
        progress_done=300,
        progress_total=1_000,
        counts={"invoices": 3, "lines": 2},
        totals={"grand_total_idr": 1_297_777},
        timings={"read": 0.5},
    )
    RunReject.objects.create(run=run, membership=world.sponsored, field="wage", code="no_wage")
    grants = {
        "admin": {"role": Role.ADMIN},
        "cabang": {"role": Role.BRANCH_OFFICER, "branch_office": bandung},
        "cabang_b": {"role": Role.BRANCH_OFFICER, "branch_office": bulungan},
        "perusahaan": {"role": Role.EMPLOYER_USER, "employer": world.employer},
        "peserta": {"role": Role.WORKER, "person": world.bpu_person},
        "pekerja_pu": {"role": Role.WORKER, "person": world.worker_a.person},
        "mitra": {"role": Role.PARTNER_USER, "partner_ref": "APBD-3204"},
        "analis": {"role": Role.ANALYST},
    }
    users = {
        name: user_access_grant(username=f"b-{name}", **grant).user  # type: ignore[arg-type]
        for name, grant in grants.items()
    }
    users["norole"] = get_user_model().objects.create_user(username="b-norole")
    return Site(world, home, far, person_payer, invoice, far_invoice, run, users)


@pytest.fixture
def wages(world):
    """Registration reported March's wages: worker A Rp 5,000,000, worker B Rp 12,000,000."""
    return world
