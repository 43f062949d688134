"""The demo's Perisai agents: built through the agents' services, with workers, collections and
statements, once."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.access.models import Role, UserAccess
from jamsos.agents.models import Agent, AgentCollection, AgentWorker, CommissionStatement
from jamsos.demo.agents import demo_agents_build
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create

pytestmark = pytest.mark.django_db


def test_demo_agents_enrol_collect_and_are_paid(regions, settings) -> None:
    settings.BILL_BPU_AT_REGISTRATION = True
    seed = person_create(domicile=regions.cileunyi_kulon, name="Peserta Lama")
    bpu_self_register(person=seed, declared_income_idr=1_000_000, today=date(2026, 11, 2))
    for number in range(8):
        person_create(domicile=regions.cileunyi_wetan, name=f"Warga {number}")
    made = demo_agents_build(agents=2, workers_each=3, today=date(2026, 11, 20))
    assert made["agents"] == 2
    assert made["workers"] == 6
    assert made["collections"] == AgentCollection.objects.count() == 4
    assert made["statements"] == CommissionStatement.objects.filter(month="2026-11").count() == 2
    assert not AgentWorker.objects.filter(membership__person=seed).exists()  # had BPU already
    assert UserAccess.objects.get(user__username="demo-agen").role == Role.AGENT
    assert demo_agents_build()["already built"] == 1
    assert Agent.objects.count() == 2
