"""What a partner's list may name: as its sponsor only the uploading partner or one of its own
agreements (a partner never bills another; checked at staging and again at approval), and, from
the partner's own user, only people living in the partner's regions."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.access.models import Role
from jamsos.access.scope import scope_for_user
from jamsos.billing.models import Sponsorship
from jamsos.membership.models import Membership
from jamsos.membership.services.accounts import user_access_grant
from jamsos.partners.models import Agreement, BatchStatus, EnrolmentBatch, EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment import (
    NoAgreement,
    SponsorNotOwn,
    batch_approve,
    batch_stage,
)
from jamsos.partners.services.enrolment.columns import reasons_text
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


def test_a_partner_users_list_holds_only_people_in_its_regions(world: World) -> None:
    """A partner's own user lists only people living in its agreement's regions: a row
    elsewhere is invalid, with the reason in both languages."""
    access = user_access_grant(
        username="mitra_baznas_kab",
        role=Role.PARTNER_USER,
        password="x",
        partner_ref="baznas-bandung",
        partner_regions=[world.regions.kab_bandung],
    )
    rows = [
        *_rows(),
        [nik(203, district="327301"), "Cucu Rohaeni", "1990-05-17", "L", "32.73.01.1001", ""],
    ]
    batch = batch_stage(
        scope=scope_for_user(access.user),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="baznas-kab",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    by_row = {r.row_number: r for r in EnrolmentRow.objects.filter(batch=batch)}
    assert [by_row[n].status for n in (2, 3)] == [RowStatus.VALID, RowStatus.VALID]
    outside = by_row[4]
    assert outside.status == RowStatus.INVALID
    assert outside.reason_code == "enrolment.outside_partner_regions"
    assert outside.reason.startswith("Desa/kelurahan 32.73.01.1001 di luar wilayah PKS mitra")
    assert "baznas-bandung (32.04)" in outside.reason
    english = reasons_text(outside.data["_reasons"], "en")
    assert english.startswith("Village 32.73.01.1001 lies outside partner baznas-bandung's")


def test_an_officers_list_is_not_bound_to_the_partners_regions(world: World) -> None:
    rows = [[nik(204, district="327301"), "Cucu", "1990-05-17", "L", "32.73.01.1001", ""]]
    batch = batch_stage(
        scope=world.scope("petugas_a"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="baznas-officer",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    assert EnrolmentRow.objects.get(batch=batch).status == RowStatus.VALID
