"""Fixed-term memberships end by themselves, once, and are not billed after the term."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.billing.models import InvoiceLine
from jamsos.billing.services.run import billing_run
from jamsos.membership.models import EventKind, Membership, MembershipEvent
from jamsos.membership.services import bpu_self_register
from jamsos.membership.services.terms import terms_end
from jamsos.membership.tests.factories import person_create
from jamsos.partners.services.enrolment import batch_approve, batch_stage
from jamsos.partners.tests.enrolment.test_enrolment import ADMIN, TODAY, World, csv_bytes, nik


def _election(world: World, count: int = 3) -> list[Membership]:
    rows = [[nik(500 + i), f"KPPS {i}", "32.04.05.2001"] for i in range(count)]
    batch = batch_stage(
        scope=world.scope("mitra_pemkab"),
        partner_code="pemkab-bandung",
        kind="election",
        idempotency_key="pemilu",
        file_name="kpps.csv",
        content=csv_bytes(["nik", "nama", "kode_desa"], rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 4, 30),
        today=TODAY,
    ).batch
    batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    return list(Membership.objects.filter(partner_ref="pemkab-bandung").order_by("pk"))


def test_terms_end_after_the_last_day_once(world: World) -> None:
    memberships = _election(world)
    open_ended = bpu_self_register(
        person=person_create(domicile=world.regions.cileunyi_kulon),
        declared_income_idr=1_000_000,
        start_date=date(2025, 3, 1),
        today=TODAY,
    )
    assert terms_end(date(2025, 4, 30)) == 0  # the last day is still covered
    assert terms_end(date(2025, 5, 1)) == 3
    for membership in memberships:
        membership.refresh_from_db()
        assert (membership.status, membership.end_date, membership.end_reason) == (
            "ended",
            date(2025, 4, 30),
            "term_ended",
        )
    open_ended.refresh_from_db()
    assert open_ended.status == "active"
    assert MembershipEvent.objects.filter(kind=EventKind.ENDED).count() == 3
    assert terms_end(date(2025, 5, 2)) == 0  # idempotent
    assert MembershipEvent.objects.filter(kind=EventKind.ENDED).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.END, target_id="term_ended").count() == 1


def test_no_month_after_the_term_is_billed(world: World) -> None:
    memberships = _election(world, count=2)
    billing_run("2025-04", as_of=date(2025, 5, 1), by=ADMIN)
    terms_end(date(2025, 5, 1))
    billing_run("2025-05", as_of=date(2025, 6, 1), by=ADMIN)
    ids = [m.pk for m in memberships]
    assert sorted(
        InvoiceLine.objects.filter(membership_id__in=ids).values_list("period", flat=True)
    ) == ["2025-04", "2025-04"]


def test_the_command_ends_terms(world: World, capsys) -> None:
    _election(world, count=2)
    call_command("enrolment", "end-terms", "--on", "2025-05-01")
    assert "2" in capsys.readouterr().out
    assert Membership.objects.filter(status="ended", end_reason="term_ended").count() == 2
