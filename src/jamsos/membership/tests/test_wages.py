"""The wage floor (refused), the set-based wage report of many workers, "same as last month"."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.membership import errors
from jamsos.membership.models import EventKind, MembershipEvent, WageReport
from jamsos.membership.services import (
    pu_worker_register,
    wage_report_submit,
    wages_report,
    wages_same_as_last_month,
)
from jamsos.membership.tests.factories import PersonDataFactory, employer_create, person_create

OPERATOR = Scope.operator("test")


@pytest.fixture
def employer(regions):
    return employer_create(village=regions.sukarasa, size="large")


def _hire(employer, regions, n: int, wage: int = 5_000_000, start=date(2025, 1, 1)):
    memberships = []
    for _ in range(n):
        person = person_create(domicile=regions.cileunyi_kulon)
        memberships.append(
            pu_worker_register(
                employer=employer, person=person, wage_idr=wage, start_date=start, by=OPERATOR
            )
        )
    return memberships


def test_an_absurd_wage_is_refused_naming_the_field(regions, employer):
    [membership] = _hire(employer, regions, 1)
    with pytest.raises(errors.WageTooLow) as caught:
        wage_report_submit(membership=membership, period="2025-02", wage_idr=100, by=OPERATOR)
    error = caught.value
    assert error.code == "membership.wage_too_low"
    assert error.field == "wage"
    assert "Rp 100 " in error.message_in("en")
    assert "Rp 100.000" in error.message_in("en")
    assert error.message_in("id").startswith("Upah Rp 100 terlalu kecil")
    assert not WageReport.objects.filter(membership=membership, period="2025-02").exists()
    # Registration refuses it as well.
    with pytest.raises(errors.WageTooLow):
        pu_worker_register(
            employer=employer,
            person=PersonDataFactory(domicile=regions.cileunyi_kulon),
            wage_idr=99_999,
            start_date=date(2025, 1, 1),
            by=OPERATOR,
        )


def test_a_wage_below_the_minimum_is_stored(regions, employer):
    """Below the UMK of Kota Bandung (4,482,914.09 in 2025) but above the floor: accepted."""
    [membership] = _hire(employer, regions, 1)
    wage_report_submit(membership=membership, period="2025-02", wage_idr=2_000_000, by=OPERATOR)
    assert WageReport.objects.get(membership=membership, period="2025-02").wage_idr == 2_000_000


def test_wages_report_writes_every_line_with_a_few_statements(regions, employer):
    members = _hire(employer, regions, 12)
    wages = {m.kpj: 5_000_000 + (i % 3) * 100_000 for i, m in enumerate(members)}
    with CaptureQueriesContext(connection) as queries:
        batch = wages_report(employer=employer, period="2025-02", wages=wages, by=OPERATOR)
    assert not batch.refused
    assert batch.written == 12
    # Lines 1, 2, 4, 5 ... differ from January's 5,000,000: 8 changes.
    assert batch.changed == 8
    assert len(queries) <= 12
    stored = dict(
        WageReport.objects.filter(period="2025-02").values_list("membership__kpj", "wage_idr")
    )
    assert stored == wages
    changed = MembershipEvent.objects.filter(kind=EventKind.WAGE_CHANGED)
    assert changed.count() == 8
    assert AuditEvent.objects.filter(detail__event="wage_changed").count() == 8


def test_wages_report_reports_every_bad_line_and_writes_nothing(regions, employer):
    members = _hire(employer, regions, 3)
    other = employer_create(village=regions.sukarasa, size="large")
    [stranger] = _hire(other, regions, 1)
    wage_report_submit(membership=members[2], period="2025-02", wage_idr=5_000_000, by=OPERATOR)
    wages = {
        members[0].kpj: 5_100_000,  # good
        members[1].kpj: 100,  # absurd
        members[2].kpj: 5_000_000,  # already reported
        stranger.kpj: 5_000_000,  # another employer's worker
    }
    batch = wages_report(employer=employer, period="2025-02", wages=wages, by=OPERATOR)
    assert batch.refused
    assert batch.written == 0
    with translation.override("en"):
        codes = {kpj: error.code for kpj, error in batch.refusals.items()}
    assert codes == {
        members[1].kpj: "membership.wage_too_low",
        members[2].kpj: "membership.wage_already_reported",
        stranger.kpj: "membership.not_employers_worker",
    }
    assert not WageReport.objects.filter(membership=members[0], period="2025-02").exists()


def test_period_before_the_membership_is_refused_per_line(regions, employer):
    [early] = _hire(employer, regions, 1, start=date(2025, 3, 1))
    batch = wages_report(
        employer=employer, period="2025-02", wages={early.kpj: 5_000_000}, by=OPERATOR
    )
    assert isinstance(batch.refusals[early.kpj], errors.PeriodOutsideMembership)


def test_same_as_last_month(regions, employer):
    members = _hire(employer, regions, 4)
    wages_report(
        employer=employer,
        period="2025-02",
        wages={m.kpj: 6_000_000 for m in members[:3]},
        by=OPERATOR,
    )
    # March: one already reported by hand; the others take their last wage.
    wage_report_submit(membership=members[0], period="2025-03", wage_idr=7_000_000, by=OPERATOR)
    batch = wages_same_as_last_month(employer=employer, period="2025-03", by=OPERATOR)
    assert not batch.refused
    assert batch.written == 3
    march = dict(
        WageReport.objects.filter(period="2025-03").values_list("membership__kpj", "wage_idr")
    )
    assert march == {
        members[0].kpj: 7_000_000,
        members[1].kpj: 6_000_000,
        members[2].kpj: 6_000_000,
        members[3].kpj: 5_000_000,  # January's, its last
    }
    # Run again: nothing left to report.
    again = wages_same_as_last_month(employer=employer, period="2025-03", by=OPERATOR)
    assert (again.written, again.refused) == (0, False)


def test_wages_report_needs_the_role(regions, employer):
    [membership] = _hire(employer, regions, 1)
    worker = Scope(role=Role.WORKER, person_id=membership.person_id)
    with pytest.raises(errors.NotPermitted):
        wages_report(
            employer=employer, period="2025-02", wages={membership.kpj: 5_000_000}, by=worker
        )


def test_the_one_form_flags_same_as_last_month_and_search(regions):
    from html import unescape

    from jamsos.membership.tests.pages.test_pages import client_for, world_build

    world = world_build(regions)  # PT Bandung Maju (Kota Bandung, large), Asep from 2024-01
    client = client_for(world, "perusahaan")
    url = f"/kerja/pemberi-kerja/{world.employer_a.npp}/upah/?period=2025-02"
    page = unescape(client.get(url).content.decode())
    assert "UMK Kota Bandung: Rp 4.482.914,09" in page
    # Same as last month: January 2024's 5,000,000 is the last wage on record.
    done = client.post(url, {"period": "2025-02", "action": "same"})
    assert done.status_code == 302
    assert WageReport.objects.get(membership=world.pu_a, period="2025-02").wage_idr == 5_000_000
    again = unescape(
        client.post(url, {"period": "2025-02", "action": "same"}, follow=True).content.decode()
    )
    assert "sudah dilaporkan untuk" in again
    # A wage below the UMK is stored and flagged on the line, with the reason.
    march = f"/kerja/pemberi-kerja/{world.employer_a.npp}/upah/?period=2025-03"
    client.post(march, {"period": "2025-03", f"wage-{world.pu_a.kpj}": "3.000.000"})
    shown = unescape(client.get(march).content.decode())
    assert "Di bawah UMK Rp 4.482.914,09" in shown
    assert WageReport.objects.get(membership=world.pu_a, period="2025-03").wage_idr == 3_000_000
    # Rp 100 is refused on the line, naming the wage; nothing saved.
    april = f"/kerja/pemberi-kerja/{world.employer_a.npp}/upah/?period=2025-04"
    refused = unescape(
        client.post(april, {"period": "2025-04", f"wage-{world.pu_a.kpj}": "100"}).content.decode()
    )
    assert "Upah Rp 100 terlalu kecil" in refused
    assert not WageReport.objects.filter(period="2025-04").exists()
    # The search keeps the matching workers only.
    found = unescape(client.get(april + "&q=asep").content.decode())
    missing = unescape(client.get(april + "&q=zzz").content.decode())
    assert "Asep Sunandar" in found
    assert "Asep Sunandar" not in missing
