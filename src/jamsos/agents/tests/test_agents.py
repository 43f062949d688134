"""Perisai agents: appointed, enrolling and collecting, their monthly commission, their pages."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.agents.errors import AgentNotFound, BadMonth, NotTheirWorker
from jamsos.agents.models import AgentCollection, AgentWorker, CommissionStatement
from jamsos.agents.services import (
    agent_appoint,
    agent_collect,
    agent_enrol,
    commissions_compute,
    participant_month,
)
from jamsos.billing.models import Allocation, Payment
from jamsos.core.errors import NotPermitted
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions

pytestmark = pytest.mark.django_db
ADMIN = Scope.operator("test")
TODAY = date(2026, 11, 10)


@pytest.fixture
def world(regions: Regions, settings):
    settings.BILL_BPU_AT_REGISTRATION = True
    office = BranchOffice.objects.get(code="KC3204")
    other = branch_office_create(code="KC6501", name="KC Bulungan", regencies=[regions.bulungan])
    agent_person = person_create(domicile=regions.cileunyi_kulon, name="Ibu Agen")
    agent = agent_appoint(
        code="agen-cileunyi",
        nik=agent_person.nik,
        branch_office=office,
        region=regions.cileunyi,
        joined_on=date(2026, 1, 1),
        by=ADMIN,
    )
    users = {}
    for name, role, extra in [
        ("agen", Role.AGENT, {"person": agent_person}),
        ("petugas", Role.BRANCH_OFFICER, {"branch_office": office}),
        ("petugas_lain", Role.BRANCH_OFFICER, {"branch_office": other}),
        ("peserta", Role.WORKER, {"person": agent_person}),
    ]:
        access = user_access_grant(username=name, role=role, password="x", **extra)
        users[name] = get_user_model().objects.get(pk=access.user_id)
    return {"regions": regions, "agent": agent, "users": users}


def _scope(world, name: str) -> Scope:
    return scope_for_user(world["users"][name])


def test_an_agent_enrols_collects_and_earns_by_the_2022_rule(world) -> None:
    regions = world["regions"]
    agent_scope = _scope(world, "agen")
    siti = person_create(domicile=regions.cileunyi_wetan, name="Siti Pedagang")
    budi = person_create(domicile=regions.cileunyi_kulon, name="Budi Tukang")
    one = agent_enrol(person=siti, declared_income_idr=1_000_000, by=agent_scope, today=TODAY)
    two = agent_enrol(
        person=budi, declared_income_idr=2_000_000, with_jht=True, by=agent_scope, today=TODAY
    )
    assert (one.with_jht, two.with_jht) == (False, True)
    assert one.membership.channel == "cadre"
    assert one.membership.partner_ref == "agen-cileunyi"
    assert one.membership.segment == "BPU"
    # Collected in cash: posted by billing on the worker's virtual account, paying the invoice.
    result = agent_collect(
        kpj=one.membership.kpj,
        amount_idr=16_800,
        reference="KW-001",
        paid_on=date(2026, 11, 20),
        by=agent_scope,
    )
    assert result.created
    assert result.allocated_idr == 16_800
    payment = Payment.objects.get(pk=result.collection.payment_id)
    assert payment.bank_ref == "AGEN-agen-cileunyi-KW-001"
    assert Allocation.objects.filter(payment=payment).exists()
    again = agent_collect(
        kpj=one.membership.kpj,
        amount_idr=16_800,
        reference="KW-001",
        paid_on=date(2026, 11, 20),
        by=agent_scope,
    )
    assert not again.created
    assert AgentCollection.objects.count() == 1
    agent_collect(
        kpj=two.membership.kpj,
        amount_idr=50_000,
        reference="KW-002",
        paid_on=date(2026, 11, 21),
        by=agent_scope,
    )

    run = commissions_compute(month="2026-11", by=ADMIN)
    assert run.statements == 1
    statement = CommissionStatement.objects.get(agent=world["agent"], month="2026-11")
    # 2 new participants, below the 25 needed for acquisition; 15 % of 66,800 collected in the
    # participants' first month; the office gets 10 % on top.
    assert (statement.new_participants, statement.new_with_jht) == (2, 1)
    assert statement.collected_early_idr == 66_800
    assert statement.collection_idr == 10_020
    assert statement.acquisition_idr == 0
    assert statement.total_idr == 10_020
    assert statement.office_idr == 1_002
    assert statement.pay_by == date(2026, 12, 5)
    assert statement.rule_since == date(2022, 4, 1)
    assert statement.rule_confidence == "medium"
    # Computing again replaces the month's statements.
    commissions_compute(month="2026-11", by=ADMIN)
    assert CommissionStatement.objects.filter(month="2026-11").count() == 1
    assert AuditEvent.objects.filter(target_type="agents.commissionstatement").count() == 2


def test_participant_month_counts_from_the_start_month() -> None:
    assert participant_month(date(2026, 11, 10), date(2026, 11, 30)) == 1
    assert participant_month(date(2024, 12, 1), date(2026, 11, 1)) == 24
    assert participant_month(date(2024, 11, 1), date(2026, 11, 1)) == 25


def test_refusals_by_role_and_scope(world) -> None:
    regions = world["regions"]
    someone = person_create(domicile=regions.cileunyi_wetan, name="Orang Lain")
    with pytest.raises(NotPermitted):
        agent_enrol(person=someone, declared_income_idr=1_000_000, by=_scope(world, "peserta"))
    with pytest.raises(AgentNotFound):  # another office's officer cannot act for the agent
        agent_enrol(
            person=someone,
            declared_income_idr=1_000_000,
            agent_code="agen-cileunyi",
            by=_scope(world, "petugas_lain"),
        )
    with pytest.raises(NotPermitted):
        commissions_compute(month="2026-11", by=_scope(world, "petugas"))
    with pytest.raises(BadMonth):
        commissions_compute(month="2018-11", by=ADMIN)
    with pytest.raises(BadMonth):
        commissions_compute(month="11-2026", by=ADMIN)
    # A worker the agent did not enrol: not theirs to collect from.
    link = agent_enrol(
        person=someone,
        declared_income_idr=1_000_000,
        agent_code="agen-cileunyi",
        by=_scope(world, "petugas"),
        today=TODAY,
    )
    assert AgentWorker.objects.filter(agent=world["agent"]).count() == 1
    with pytest.raises(NotTheirWorker):
        agent_collect(kpj="99999999999", amount_idr=1000, reference="X", by=_scope(world, "agen"))
    assert link.membership.kpj


def test_pages_the_agent_and_the_officer_see(world) -> None:
    regions = world["regions"]
    agent_enrol(
        person=person_create(domicile=regions.cileunyi_wetan, name="Siti Pedagang"),
        declared_income_idr=1_000_000,
        by=_scope(world, "agen"),
        today=TODAY,
    )
    commissions_compute(month="2026-11", by=ADMIN)
    client = Client()
    client.force_login(world["users"]["agen"])
    page = client.get("/agen/", HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Siti Pedagang" in text
    assert "Komisi per bulan" in text  # the page in Bahasa Indonesia
    assert "Earnings by month" not in text
    assert "Perdir 13/PERDIR.02/042022" in text
    assert "2026-11" in text
    home = client.get("/kerja/", HTTP_ACCEPT_LANGUAGE="id")
    assert "/agen/" in home.content.decode()
    officer = Client()
    officer.force_login(world["users"]["petugas"])
    listing = officer.get("/agen/kantor/", HTTP_ACCEPT_LANGUAGE="id")
    assert listing.status_code == 200
    assert "agen-cileunyi" in listing.content.decode()
    assert officer.get("/agen/kantor/agen-cileunyi/").status_code == 200
    outsider = Client()
    outsider.force_login(world["users"]["petugas_lain"])
    assert "agen-cileunyi" not in outsider.get("/agen/kantor/").content.decode()
    assert outsider.get("/agen/kantor/agen-cileunyi/").status_code == 404
    worker = Client()
    worker.force_login(world["users"]["peserta"])
    assert worker.get("/agen/").status_code == 403


def test_the_commissions_command(world) -> None:
    out = StringIO()
    call_command("agents", "commissions", "--month", "2026-11", stdout=out)
    assert "2026-11" in out.getvalue()
    assert "Perdir 13/PERDIR.02/042022" in out.getvalue()
    listing = StringIO()
    call_command("agents", "list", stdout=listing)
    assert "agen-cileunyi" in listing.getvalue()
