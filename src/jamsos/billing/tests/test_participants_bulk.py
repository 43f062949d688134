"""Many self-paying participants' first month at once (enrolment lists approved) writes what
issuing each one's first month one by one writes, in a number of queries that does not grow
with the participants."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jamsos.billing.errors import NotSelfPaying
from jamsos.billing.models import Invoice, InvoiceItem, InvoiceLine, Payer, Posting
from jamsos.billing.services.participants import participant_bill, participants_bill_first
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 3)


def _register(regions: Any, n: int, **changes: Any) -> list[Any]:
    people = [person_create(domicile=regions.sukarasa, today=TODAY) for _ in range(n)]
    return [
        bpu_self_register(
            person=person,
            declared_income_idr=changes.get("income", 1_000_000 + 500_000 * (i % 4)),
            programs=["JKK", "JKM", "JHT"] if i % 2 else ["JKK", "JKM"],
            start_date=changes.get("start", date(2026, 1 + i % 3, 1)),
            today=TODAY,
        )
        for i, person in enumerate(people)
    ]


def _snapshot() -> dict[str, list[Any]]:
    return {
        "payers": sorted(
            Payer.objects.values_list("kind", "person_id", "branch_office_id", "credit_idr")
        ),
        "invoices": sorted(
            Invoice.objects.values_list(
                "payer__person_id",
                "period",
                "kind",
                "issued_on",
                "due_date",
                "contribution_idr",
                "total_idr",
                "participants",
                "status",
                "run_id",
            )
        ),
        "items": sorted(
            InvoiceItem.objects.values_list(
                "invoice__payer__person_id",
                "invoice__period",
                "kind",
                "segment",
                "program",
                "rank",
                "due_date",
                "amount_idr",
            )
        ),
        "lines": sorted(
            InvoiceLine.objects.values_list(
                "membership_id",
                "person_id_copy",
                "period",
                "segment",
                "base_idr",
                "capped_base_idr",
                "total_idr",
                "parameters_ref",
            )
        ),
        "postings": sorted(
            Posting.objects.values_list(
                "entry__kind",
                "entry__booked_on",
                "entry__memo",
                "account",
                "payer__person_id",
                "debit_idr",
                "credit_idr",
            )
        ),
    }


def test_many_first_months_write_what_one_by_one_writes(regions, settings) -> None:
    # given: self-paying participants registered without their first invoice, with several
    # incomes, with and without JHT, starting in three months; one already billed its month
    settings.BILL_BPU_AT_REGISTRATION = False
    memberships = _register(regions, 9)
    participant_bill(memberships[4], months=1, as_of=TODAY, by=None)
    # when: one by one (rolled back), then all at once
    with transaction.atomic():
        for membership in memberships:
            participant_bill(membership, months=1, as_of=TODAY, by=None)
        one_by_one = _snapshot()
        transaction.set_rollback(True)
    billed = participants_bill_first(memberships, as_of=TODAY)
    # then: the same payers, invoices, items, lines and ledger postings
    assert billed == 9
    assert len(one_by_one["invoices"]) == 9
    assert {row[1] for row in one_by_one["invoices"]} == {"2026-01", "2026-02", "2026-03"}
    assert _snapshot() == one_by_one


def test_the_queries_do_not_grow_with_the_participants(regions, settings) -> None:
    settings.BILL_BPU_AT_REGISTRATION = False
    few, many = _register(regions, 2), _register(regions, 20)
    with CaptureQueriesContext(connection) as two:
        participants_bill_first(few, as_of=TODAY)
    with CaptureQueriesContext(connection) as twenty:
        participants_bill_first(many, as_of=TODAY)
    assert len(twenty) <= len(two) + 2
    assert Invoice.objects.count() == 22


def test_a_sponsored_membership_is_refused_before_anything_is_written(regions, settings) -> None:
    settings.BILL_BPU_AT_REGISTRATION = False
    memberships = _register(regions, 2)
    sponsored = bpu_self_register(
        person=person_create(domicile=regions.sukarasa, today=TODAY),
        declared_income_idr=1_000_000,
        sponsor_name="Pemda",
        sponsor_kind="regional_budget",
        sponsor_ref="APBD-1",
        today=TODAY,
    )
    with pytest.raises(NotSelfPaying):
        participants_bill_first([*memberships, sponsored], as_of=TODAY)
    assert Invoice.objects.count() == 0
    assert participants_bill_first([], as_of=TODAY) == 0
