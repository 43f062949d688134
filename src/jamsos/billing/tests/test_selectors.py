"""Scoped billing reads: who sees which payer and invoice, arrears aging, lapsed memberships."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.billing.errors import InvoiceNotFound, PayerNotFound, PeriodNotBilled
from jamsos.billing.models import (
    Allocation,
    InvoiceItem,
    InvoiceLine,
    Payment,
    PaymentChannel,
    PenaltyCharge,
)
from jamsos.billing.selectors import (
    active_months,
    arrears_by_payer,
    arrears_count,
    arrears_follow_up,
    arrears_iter,
    arrears_totals,
    invoice_get,
    invoices_visible,
    lapsed_memberships,
    payer_get,
    payers_visible,
    payments_visible,
)
from jamsos.billing.tests.conftest import World, invoice_make, payer_make
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice, Membership
from jamsos.membership.services import branch_office_create, membership_end
from jamsos.membership.tests.factories import employer_create

AS_OF = date(2025, 9, 30)


def officer(office: BranchOffice) -> Scope:
    return Scope(role=Role.BRANCH_OFFICER, branch_office_id=office.pk, actor_name="cabang")


ADMIN = Scope(role=Role.ADMIN, actor_name="admin")


@pytest.fixture
def other_office(world: World) -> BranchOffice:
    return branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[world.regions.bulungan]
    )


@pytest.fixture
def far_payer(world: World, other_office: BranchOffice):
    employer = employer_create(
        village=world.regions.tanjung_palas_hulu, legal_name="PT Kaltara", risk_class=1
    )
    assert employer.branch_office == other_office
    return payer_make(employer=employer)


def test_scope_filters_payers_invoices_and_payments(world: World, far_payer) -> None:
    # given: the employer's payer (Bandung), a self-paying BPU member, a far employer (Bulungan)
    home = payer_make(employer=world.employer)
    person_payer = payer_make(person=world.bpu_person)
    sponsor = payer_make(sponsor_ref="APBD-3204")
    bandung = world.employer.branch_office
    for payer in (home, person_payer, far_payer):
        invoice_make(payer, "2025-03", due_date=date(2025, 4, 15), items=[("PU", "JKK", 100)])
    Payment.objects.create(
        bank_ref="B1",
        payer=far_payer,
        virtual_account=far_payer.virtual_account,
        amount_idr=5,
        paid_on=date(2025, 4, 1),
        received_at=datetime(2025, 4, 1, tzinfo=UTC),
        channel=PaymentChannel.CLI,
        to_credit_idr=5,
    )
    # then
    assert set(payers_visible(ADMIN)) == {home, person_payer, sponsor, far_payer}
    assert list(payers_visible(officer(bandung))) == [home]
    employer_user = Scope(role=Role.EMPLOYER_USER, employer_id=world.employer.pk)
    assert list(payers_visible(employer_user)) == [home]
    worker = Scope(role=Role.WORKER, person_id=world.bpu_person.pk)
    assert list(payers_visible(worker)) == [person_payer]
    other_worker = Scope(role=Role.WORKER, person_id=world.worker_a.person_id)
    assert not payers_visible(other_worker).exists()
    assert not payers_visible(Scope(role=Role.ANALYST)).exists()
    assert not payers_visible(Scope.nobody()).exists()
    partner = Scope(role=Role.PARTNER_USER, partner_ref="APBD-3204")
    assert list(payers_visible(partner)) == [sponsor]
    assert invoices_visible(officer(bandung)).count() == 1
    assert payments_visible(ADMIN).count() == 1
    assert not payments_visible(officer(bandung)).exists()


def test_partner_sees_the_payers_of_the_people_it_registered(world: World) -> None:
    person_payer = payer_make(person=world.bpu_person)
    Membership.objects.filter(pk=world.bpu.pk).update(partner_ref="PKS-1")
    assert list(payers_visible(Scope(role=Role.PARTNER_USER, partner_ref="PKS-1"))) == [
        person_payer
    ]
    assert not payers_visible(Scope(role=Role.PARTNER_USER, partner_ref="PKS-2")).exists()


def test_out_of_scope_records_are_not_found_like_missing_ones(world: World, far_payer) -> None:
    invoice = invoice_make(far_payer, "2025-03", due_date=date(2025, 4, 15), items=[])
    bandung = officer(world.employer.branch_office)
    with pytest.raises(PayerNotFound):
        payer_get(bandung, pk=far_payer.pk)
    with pytest.raises(PayerNotFound):
        payer_get(bandung, pk=999_999)
    with pytest.raises(InvoiceNotFound):
        invoice_get(bandung, number=invoice.number)
    with pytest.raises(InvoiceNotFound):
        invoice_get(bandung, number="NOPE")
    assert payer_get(ADMIN, pk=far_payer.pk) == far_payer
    assert invoice_get(ADMIN, number=invoice.number) == invoice


# --- aging -------------------------------------------------------------------------------------


def _overdue(payer, days: int, amount: int, period: str):
    """An invoice of one contribution item due ``days`` before AS_OF."""
    due = AS_OF - timedelta(days=days)
    return invoice_make(payer, period, due_date=due, items=[("PU", "JKK", amount)])


def test_aging_bucket_boundaries(world: World) -> None:
    # given: items 30, 31, 60, 61, 90 and 91 days late, one due today and one not yet due
    payer = payer_make(employer=world.employer)
    for days, amount, period in [
        (30, 1, "2024-01"),
        (31, 10, "2024-02"),
        (60, 100, "2024-03"),
        (61, 1_000, "2024-04"),
        (90, 10_000, "2024-05"),
        (91, 100_000, "2024-06"),
        (0, 1_000_000, "2024-07"),
        (-5, 10_000_000, "2024-08"),
    ]:
        _overdue(payer, days, amount, period)
    # when
    [row] = arrears_by_payer(ADMIN, as_of=AS_OF)
    # then
    assert (row.d0_30, row.d31_60, row.d61_90, row.d90_plus) == (1, 110, 11_000, 100_000)
    assert row.total_idr == 111_111
    assert row.oldest_due == AS_OF - timedelta(days=91)
    assert row.months_unpaid == 6


def test_day_one_late_counts_and_partial_payments_leave_the_rest(world: World) -> None:
    payer = payer_make(employer=world.employer)
    invoice = _overdue(payer, 1, 1_000, "2025-08")
    InvoiceItem.objects.filter(invoice=invoice).update(paid_idr=400)
    [row] = arrears_by_payer(ADMIN, as_of=AS_OF)
    assert row.d0_30 == 600
    paid = _overdue(payer_make(person=world.bpu_person), 45, 500, "2025-07")
    InvoiceItem.objects.filter(invoice=paid).update(paid_idr=500)
    assert [r.payer_id for r in arrears_by_payer(ADMIN, as_of=AS_OF)] == [payer.pk]


def test_arrears_as_of_a_past_date_counts_what_was_paid_later(world: World) -> None:
    # given: an item due 2025-07-15, fully paid on 2025-09-01
    payer = payer_make(employer=world.employer)
    invoice = invoice_make(
        payer, "2025-06", due_date=date(2025, 7, 15), items=[("PU", "JKK", 2_000)]
    )
    item = invoice.items.get()
    payment = Payment.objects.create(
        bank_ref="LATE",
        payer=payer,
        virtual_account=payer.virtual_account,
        amount_idr=2_000,
        paid_on=date(2025, 9, 1),
        received_at=datetime(2025, 9, 1, tzinfo=UTC),
        channel=PaymentChannel.CLI,
        allocated_idr=2_000,
    )
    Allocation.objects.create(
        payment=payment, item=item, amount_idr=2_000, applied_on=date(2025, 9, 1)
    )
    InvoiceItem.objects.filter(pk=item.pk).update(paid_idr=2_000)
    # then: on 2025-08-20 it was 36 days late and unpaid; on 2025-09-30 nothing is owed
    [row] = arrears_by_payer(ADMIN, as_of=date(2025, 8, 20))
    assert (row.d31_60, row.total_idr) == (2_000, 2_000)
    assert arrears_by_payer(ADMIN, as_of=AS_OF) == []


def test_unbilled_penalties_are_arrears_aged_from_the_fined_item(world: World) -> None:
    payer = payer_make(employer=world.employer)
    invoice = _overdue(payer, 75, 10_000, "2025-06")
    item = invoice.items.get()
    PenaltyCharge.objects.create(
        payer=payer,
        source_item=item,
        base_idr=10_000,
        months=2,
        rate="0.02",
        amount_idr=400,
        accrued_on=AS_OF - timedelta(days=5),
        reference="PP 44/2015",
    )
    PenaltyCharge.objects.create(
        payer=payer,
        source_item=item,
        base_idr=10_000,
        months=1,
        rate="0.02",
        amount_idr=200,
        accrued_on=AS_OF + timedelta(days=3),
        reference="later",
    )
    [row] = arrears_by_payer(ADMIN, as_of=AS_OF)
    assert row.d61_90 == 10_400
    assert row.months_unpaid == 1


def test_follow_up_list_is_scoped_sorted_and_totalled(world: World, far_payer) -> None:
    # given: three Bandung payers and one in Bulungan
    bandung = world.employer.branch_office
    old_small = payer_make(employer=world.employer)
    other = employer_create(village=world.regions.sukarasa, legal_name="PT Dua", risk_class=1)
    new_large = payer_make(employer=other)
    third = employer_create(village=world.regions.sukarasa, legal_name="PT Tiga", risk_class=1)
    new_small = payer_make(employer=third)
    _overdue(old_small, 100, 5_000, "2025-05")
    _overdue(new_large, 10, 90_000, "2025-08")
    _overdue(new_small, 10, 1_000, "2025-08")
    _overdue(far_payer, 200, 7_777_777, "2025-02")
    # when
    follow = arrears_follow_up(officer(bandung), as_of=AS_OF, limit=2)
    # then: oldest first, then the largest; the other office's payer is not there
    assert [r.payer_id for r in follow.rows] == [old_small.pk, new_large.pk]
    assert follow.rows[0].payer == old_small
    assert follow.count == 3
    assert follow.totals.buckets == [91_000, 0, 0, 5_000]
    assert follow.totals.total_idr == 96_000
    assert arrears_count(officer(bandung), as_of=AS_OF) == 3
    assert [r.payer_id for r in arrears_iter(officer(bandung), as_of=AS_OF, chunk=2)] == [
        old_small.pk,
        new_large.pk,
        new_small.pk,
    ]
    assert arrears_totals(ADMIN, as_of=AS_OF).total_idr == 96_000 + 7_777_777
    far = officer(far_payer.branch_office)
    assert [r.payer_id for r in arrears_by_payer(far, as_of=AS_OF)] == [far_payer.pk]


def test_analyst_reads_national_totals_but_no_payer(world: World) -> None:
    payer = payer_make(employer=world.employer)
    _overdue(payer, 10, 1_000, "2025-08")
    analyst = Scope(role=Role.ANALYST)
    assert arrears_by_payer(analyst, as_of=AS_OF) == []
    assert arrears_totals(analyst, as_of=AS_OF).total_idr == 0
    assert arrears_totals(analyst, as_of=AS_OF, aggregate=True).total_idr == 1_000


# --- active months and lapsed memberships ------------------------------------------------------


def _month_lines(world: World, periods: list[str], paid: dict[str, set[str]]) -> None:
    """One employer invoice a month with lines for both PU workers; ``paid[kpj]`` the paid
    months of each."""
    payer = payer_make(employer=world.employer)
    for period in periods:
        due = Period.parse(period).next().first_day + timedelta(days=14)
        invoice = invoice_make(
            payer,
            period,
            due_date=due,
            items=[("PU", "JKK", 20)],
            lines=[(world.worker_a, {"jkk_idr": 10}), (world.worker_b, {"jkk_idr": 10})],
        )
        for membership in (world.worker_a, world.worker_b):
            if period in paid.get(membership.kpj, set()):
                InvoiceLine.objects.filter(invoice=invoice, membership=membership).update(
                    paid_on=due
                )


def test_active_months_are_the_paid_ones(world: World) -> None:
    _month_lines(world, ["2025-03", "2025-04", "2025-05"], {world.worker_a.kpj: {"2025-03"}})
    assert active_months(world.worker_a) == ["2025-03"]
    assert active_months(world.worker_b) == []


def test_lapsed_after_three_unpaid_billed_months(world: World) -> None:
    # given: A paid March only; B paid up to May; both billed March to July
    periods = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    _month_lines(
        world,
        periods,
        {
            world.worker_a.kpj: {"2025-03"},
            world.worker_b.kpj: {"2025-03", "2025-04", "2025-05"},
        },
    )
    # when / then: in May A has two unpaid months (not lapsed), in June three (lapsed)
    assert not list(lapsed_memberships(ADMIN, "2025-05"))
    june = list(lapsed_memberships(ADMIN, Period(2025, 6)))
    assert [r["kpj"] for r in june] == [world.worker_a.kpj]
    assert june[0]["months_unpaid"] == 3
    assert (june[0]["first_unpaid"], june[0]["last_billed"]) == ("2025-04", "2025-06")
    # in July B has June and July unpaid only: still not lapsed
    assert [r["kpj"] for r in lapsed_memberships(ADMIN, "2025-07")] == [world.worker_a.kpj]


def test_lapsed_is_scoped_and_skips_ended_memberships(world: World, other_office) -> None:
    _month_lines(world, ["2025-03", "2025-04", "2025-05"], {})
    office = world.employer.branch_office
    assert len(list(lapsed_memberships(officer(office), "2025-05"))) == 2
    assert not list(lapsed_memberships(officer(other_office), "2025-05"))
    assert not list(lapsed_memberships(ADMIN, "2025-05", office_codes=["KC6501"]))
    assert len(list(lapsed_memberships(ADMIN, "2025-05", office_codes=["kc3204"]))) == 2
    membership_end(
        membership=world.worker_b,
        end_date=date(2025, 5, 31),
        reason="resignation",
        now=datetime(2025, 6, 2, tzinfo=UTC),
    )
    assert [r["kpj"] for r in lapsed_memberships(ADMIN, "2025-05")] == [world.worker_a.kpj]


def test_lapsed_refuses_a_month_not_yet_billed(world: World) -> None:
    _month_lines(world, ["2025-03"], {})
    with pytest.raises(PeriodNotBilled) as refused:
        list(lapsed_memberships(ADMIN, "2025-04"))
    assert "2025-04" in str(refused.value)
    assert refused.value.field == "period"
