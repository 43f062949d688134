"""A partner never bills another partner: a list names as its sponsor only the uploading
partner or one of its own agreements, checked at staging and again at approval."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.billing.models import Sponsorship
from jamsos.membership.models import Membership
from jamsos.partners.models import Agreement, BatchStatus, EnrolmentBatch
from jamsos.partners.services.enrolment import (
    NoAgreement,
    SponsorNotOwn,
    batch_approve,
    batch_stage,
)
from jamsos.partners.tests.enrolment.test_enrolment import (
    BPU_HEADER,
    TODAY,
    World,
    csv_bytes,
    nik,
)

pytestmark = pytest.mark.django_db


def _rows() -> list[list[str]]:
    return [
        [nik(201), "Asep Sunandar", "1990-05-17", "L", "32.04.05.2001", ""],
        [nik(202), "Ujang Hidayat", "1990-05-17", "L", "32.04.05.2001", ""],
    ]


def _stage(world: World, *, sponsor_ref: str = "", key: str = "baznas-own") -> EnrolmentBatch:
    return batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key=key,
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, _rows()),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        sponsor_ref=sponsor_ref,
        today=TODAY,
    ).batch


@pytest.mark.parametrize("other", ["PKS-PEMKAB-1", "pemkab-bandung"])
def test_a_list_naming_another_partner_as_sponsor_is_refused_at_staging(
    world: World, other: str
) -> None:
    with pytest.raises(SponsorNotOwn) as refused:
        _stage(world, sponsor_ref=other)
    error = refused.value
    assert error.code == "partners.batch_sponsor_not_own"
    assert error.field == "sponsor_ref"
    assert error.http_status == 403
    assert error.message_in("id").startswith(f"Rujukan penyandang dana '{other}' bukan milik")
    assert "baznas-bandung" in error.message_in("id")
    assert error.message_in("en").startswith(f"Sponsor reference '{other}' does not belong")
    assert "PKS-BAZNAS-1" in error.message_in("en")  # what the partner may name instead
    assert not EnrolmentBatch.objects.exists()


def test_a_list_may_name_the_partner_or_its_own_agreement(world: World) -> None:
    assert _stage(world).sponsor_ref == "baznas-bandung"
    batch = _stage(world, sponsor_ref=" PKS-BAZNAS-1 ", key="baznas-own-2")
    assert batch.sponsor_ref == "PKS-BAZNAS-1"
    assert batch.status == BatchStatus.VALIDATED


def test_a_batch_naming_another_partner_is_refused_again_at_approval(world: World) -> None:
    batch = _stage(world)
    # A batch staged before the staging check, or altered since: it names pemkab's agreement.
    EnrolmentBatch.objects.filter(pk=batch.pk).update(sponsor_ref="PKS-PEMKAB-1")
    with pytest.raises(SponsorNotOwn):
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED  # still pending, nothing written
    assert not Membership.objects.filter(partner_ref="baznas-bandung").exists()
    assert not Sponsorship.objects.exists()


def test_a_batch_under_another_partners_agreement_is_refused_at_approval(world: World) -> None:
    batch = _stage(world)
    other = Agreement.objects.get(number="PKS-PEMKAB-1")
    EnrolmentBatch.objects.filter(pk=batch.pk).update(agreement=other)
    with pytest.raises(NoAgreement) as refused:
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert refused.value.code == "partners.batch_no_agreement"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED
    assert not Membership.objects.filter(partner_ref="baznas-bandung").exists()
    assert not Sponsorship.objects.exists()


def test_an_own_batch_is_approved_and_invoiced_to_its_partner(world: World) -> None:
    batch = _stage(world, sponsor_ref="PKS-BAZNAS-1")
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert result.enrolled == 2
    sponsorship = Sponsorship.objects.get(pk=result.sponsorship_id)
    assert sponsorship.payer.sponsor_ref == "PKS-BAZNAS-1"
