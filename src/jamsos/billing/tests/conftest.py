"""Billing fixtures: a small real world (regions, an employer with two PU workers, a BPU worker
paying for herself, a sponsored BPU worker) and a factory that writes an invoice directly, so
that payment and report tests do not depend on the billing run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

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
    RunStatus,
)
from jamsos.membership.models import Employer, Membership, Person
from jamsos.membership.services import bpu_self_register, pu_worker_register, wage_report_submit
from jamsos.membership.tests.conftest import Regions, branch_office, regions  # noqa: F401
from jamsos.membership.tests.factories import employer_create, person_create

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
def world(regions: Regions) -> World:  # noqa: F811
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
