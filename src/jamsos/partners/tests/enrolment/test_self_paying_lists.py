"""Market, e-commerce and cooperative lists: self-paying BPU workers enrolled by a partner."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from jamsos.billing.models import Invoice, InvoiceLine, Payer, PayerKind, Sponsorship
from jamsos.membership.models import Membership
from jamsos.partners.models import BatchKind, BatchStatus, Partner
from jamsos.partners.services.agreements import agreement_create, agreement_sign
from jamsos.partners.services.enrolment import batch_approve, batch_stage
from jamsos.partners.services.partners import partner_create
from jamsos.partners.services.scorecards import scorecards
from jamsos.partners.tests.enrolment.test_enrolment import (
    ADMIN,
    BPU_HEADER,
    TODAY,
    World,
    csv_bytes,
    nik,
)

pytestmark = pytest.mark.django_db


def _market_partner(world: World, code: str, kind: str) -> None:
    partner = partner_create(
        scope=ADMIN,
        code=code,
        name=f"Mitra {code}",
        kind=kind,
        region=world.regions.kab_bandung,
        branch_office="KC3204",
    )
    agreement = agreement_create(
        scope=ADMIN,
        number=f"PKS-{code}",
        title="PKS",
        partner=partner,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        branch_office="KC3204",
    )
    agreement_sign(scope=ADMIN, agreement=agreement, signed_on=date(2024, 12, 20), today=TODAY)


@pytest.mark.parametrize(
    ("kind", "partner_kind", "ecosystem"),
    [
        (BatchKind.MARKET, "platform", "pasar"),
        (BatchKind.ECOMMERCE, "platform", "e_commerce"),
        (BatchKind.COOPERATIVE, "cooperative", "umkm"),
    ],
)
@override_settings(BILL_BPU_AT_REGISTRATION=True)
def test_a_self_paying_list_enrols_workers_who_pay_themselves(
    world: World, kind: str, partner_kind: str, ecosystem: str
) -> None:
    from django.contrib.auth import get_user_model

    from jamsos.access.models import Role
    from jamsos.access.scope import scope_for_user
    from jamsos.membership.services.accounts import user_access_grant

    code = f"mitra-{kind}"
    _market_partner(world, code, partner_kind)
    access = user_access_grant(
        username=f"user-{kind}",
        role=Role.PARTNER_USER,
        password="x",
        partner_ref=code,
        partner_regions=[world.regions.jabar],
    )
    uploader = scope_for_user(get_user_model().objects.get(pk=access.user_id))
    rows = [
        [nik(301, sex="F"), "Siti Pedagang", "1990-05-17", "P", "32.04.05.2001", "2.000.000"],
        [nik(302), "Dedi Penjual", "1990-05-17", "L", "32.04.05.2002", ""],
    ]
    staged = batch_stage(
        scope=uploader,
        partner_code=code,
        kind=kind,
        idempotency_key=f"{kind}-1",
        file_name="list.csv",
        content=csv_bytes(BPU_HEADER, rows),
        today=TODAY,
    )
    batch = staged.batch
    assert batch.status == BatchStatus.VALIDATED
    assert (batch.sponsor_kind, batch.sponsor_ref, batch.term_until) == ("", "", None)
    assert batch.counts["valid"] == 2

    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert (result.enrolled, result.sponsorship_id) == (2, None)
    enrolled = list(Membership.objects.filter(partner_ref=code).order_by("kpj"))
    assert len(enrolled) == 2
    assert {m.ecosystem for m in enrolled} == {ecosystem}
    assert {m.sponsor_ref for m in enrolled} == {None}
    assert {m.channel for m in enrolled} == {"partner"}
    assert not Sponsorship.objects.exists()
    # Each worker is their own payer, with a virtual account and the first month's invoice.
    payers = Payer.objects.filter(
        kind=PayerKind.PARTICIPANT, person_id__in=[m.person_id for m in enrolled]
    )
    assert payers.count() == 2
    assert all(p.virtual_account for p in payers)
    lines = InvoiceLine.objects.filter(membership__in=enrolled, period="2025-03")
    # JKK 1 % of the income tier and JKM Rp 6,800: 2,000,000 -> 26,800; the minimum -> 16,800.
    assert sorted(line.total_idr for line in lines) == [16_800, 26_800]
    assert Invoice.objects.filter(payer__in=payers).count() == 2
    # The partner's scorecard counts them.
    (card,) = scorecards(Partner.objects.filter(code=code))
    assert card.enrolled == 2


@override_settings(BILL_BPU_AT_REGISTRATION=False)
def test_without_billing_at_registration_the_run_bills_them_later(world: World) -> None:
    _market_partner(world, "pasar-kosambi", "platform")
    staged = batch_stage(
        scope=world.scope("petugas_b"),
        partner_code="pasar-kosambi",
        kind="market",
        idempotency_key="k1",
        file_name="list.csv",
        content=csv_bytes(BPU_HEADER, [[nik(311), "Ani", "1990-05-17", "L", "32.04.05.2001", ""]]),
        today=TODAY,
    )
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=staged.batch.pk, today=TODAY)
    assert result.enrolled == 1
    assert not InvoiceLine.objects.exists()
