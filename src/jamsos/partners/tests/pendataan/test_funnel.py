"""The funnel with hand-computed figures, follow-up lists and registering a lead."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jamsos.billing.models import InvoiceLine, Payer
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.partners.models import Prospect
from jamsos.partners.selectors.pendataan import ProspectNotFound, follow_up_list
from jamsos.partners.services.funnel import (
    NotALead,
    funnel,
    prospect_contacted,
    prospect_register,
)
from jamsos.partners.services.prospects import prospects_import
from jamsos.partners.tests.pendataan.world import TODAY, World

FIXTURES = Path(__file__).parent / "fixtures"


def _bill(membership, period: str, paid: bool) -> None:
    invoice_make(
        Payer.objects.filter(person=membership.person).first()
        or payer_make(person=membership.person),
        period,
        due_date=date(2025, 7, 15),
        items=[("BPU", "JKK", 10_000)],
        lines=[(membership, {"base_idr": 2_500_000, "jkk_idr": 10_000})],
        number=f"T-{membership.pk}-{period}",
    )
    if paid:
        InvoiceLine.objects.filter(membership=membership, period=period).update(
            paid_on=date(2025, 7, 1)
        )


@pytest.fixture
def listed(world: World) -> World:
    prospects_import(
        scope=world.officer,
        campaign="ck-2025",
        content=(FIXTURES / "pendataan.csv").read_bytes(),
        file_name="pendataan.csv",
        accept_valid=True,
        today=TODAY,
    )
    return world


def test_follow_up_register_and_funnel(listed: World) -> None:
    world = listed
    leads = follow_up_list(world.cadre_user, world.campaign)
    assert [p.name for p in leads] == ["Asep Sunandar", "Dedi Mulyadi"]  # Euis: no consent
    asep, dedi = leads
    prospect_contacted(scope=world.cadre_user, prospect=asep, on=date(2025, 3, 16))
    assert [p.name for p in follow_up_list(world.cadre_user, world.campaign)] == [
        "Dedi Mulyadi",  # not contacted yet: first
        "Asep Sunandar",
    ]
    with pytest.raises(ProspectNotFound):
        prospect_contacted(scope=world.other_user, prospect=asep.pk)
    asep = prospect_register(scope=world.officer, prospect=asep.pk, today=TODAY)
    m = asep.registered_membership
    assert (m.segment, m.channel, m.partner_ref, m.ecosystem, m.declared_income_idr) == (
        "BPU",
        "cadre",
        "desa-cileunyi-kulon",
        "pasar",
        2_500_000,
    )
    assert asep.contacted_on == date(2025, 3, 16)
    with pytest.raises(NotALead):
        prospect_register(scope=world.officer, prospect=asep.pk, today=TODAY)
    dedi = prospect_register(scope=world.officer, prospect=dedi.pk, today=TODAY)
    # Asep pays March and June (start month + 3); Dedi's March is unpaid.
    _bill(asep.registered_membership, "2025-03", paid=True)
    _bill(asep.registered_membership, "2025-06", paid=True)
    _bill(dedi.registered_membership, "2025-03", paid=False)
    rows = funnel(world.analyst, campaign=world.campaign)
    total = rows[0].as_dict()
    assert {k: total[k] for k in ("listed", "contacted", "registered", "first_payment")} == {
        "listed": 3,
        "contacted": 2,
        "registered": 2,
        "first_payment": 1,
    }
    assert (total["active_3m"], total["due_3m"], total["new"]) == (1, 1, 3)
    by_cadre = {
        r.key: (r.listed, r.registered, r.first_payment)
        for r in funnel(world.officer, campaign=world.campaign, by="cadre")[1:]
    }
    assert by_cadre == {"K01": (2, 2, 1), "K02": (1, 0, 0)}
    by_village = {r.key: r.listed for r in funnel(world.admin, by="village")[1:]}
    assert by_village == {"32.04.05.2001": 2, "32.04.05.2002": 1}
    by_eco = {r.key: r.listed for r in funnel(world.admin, by="ecosystem")[1:]}
    assert by_eco == {"": 1, "desa_kelurahan": 1, "pasar": 1}
    assert funnel(world.other_user)[0].listed == 0
    assert Prospect.objects.filter(registered_membership__isnull=False).count() == 2


def test_a_cadre_registers_only_leads_living_in_the_partners_regions(listed: World) -> None:
    """Door to door, a partner's user registers a lead only when the lead lives in the partner's
    agreement regions: elsewhere the registration is refused and the lead stays a lead."""
    from dataclasses import replace

    from jamsos.membership.errors import OutsidePartnerRegions

    world = listed
    asep = follow_up_list(world.cadre_user, world.campaign)[0]
    elsewhere = replace(world.cadre_user, partner_region_codes=frozenset({"32.73"}))
    with pytest.raises(OutsidePartnerRegions) as refused:
        prospect_register(scope=elsewhere, prospect=asep.pk, today=TODAY)
    assert "32.04.05.2001" in refused.value.message_in("id")
    asep.refresh_from_db()
    assert asep.registered_membership_id is None
    inside = replace(world.cadre_user, partner_region_codes=frozenset({"32.04"}))
    asep = prospect_register(scope=inside, prospect=asep.pk, today=TODAY)
    assert asep.registered_membership.channel == "cadre"
