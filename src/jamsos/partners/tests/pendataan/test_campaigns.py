"""Campaigns: creation rules, expired agreements, cadres, scoping."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.membership.errors import NotPermitted
from jamsos.partners.models import CampaignStatus
from jamsos.partners.selectors.pendataan import CampaignNotFound, campaign_get, campaigns_visible
from jamsos.partners.services.campaigns import (
    AgreementExpired,
    CadreCodeTaken,
    CadreUserInvalid,
    CampaignClosed,
    CampaignCodeTaken,
    DatesReversed,
    VillageUnknown,
    cadre_add,
    campaign_close,
    campaign_create,
)
from jamsos.partners.tests.pendataan.world import TODAY, World


def test_campaign_created_with_partner_from_agreement(world: World) -> None:
    c = world.campaign
    assert (c.village.code, c.branch_office.code, c.partner.code, c.status) == (
        "32.04.05.2001",
        "KC3204",
        "desa-cileunyi-kulon",
        CampaignStatus.RUNNING,
    )
    assert sorted(c.cadres.values_list("code", flat=True)) == ["K01", "K02"]


def test_refusals(world: World) -> None:
    base = {
        "scope": world.officer,
        "name": "X",
        "village": "3204052002",
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 3, 31),
        "today": TODAY,
    }
    with pytest.raises(AgreementExpired) as err:
        campaign_create(code="x1", agreement="PKS/009/2023", **base)
    assert "PKS/009/2023" in err.value.message_in("en")
    assert "expired" in err.value.message_in("en")
    with pytest.raises(VillageUnknown):
        campaign_create(code="x2", **{**base, "village": "3204059999"})
    with pytest.raises(CampaignCodeTaken):
        campaign_create(code="ck-2025", **base)
    with pytest.raises(DatesReversed):
        campaign_create(code="x3", **{**base, "ends_on": date(2025, 2, 1)})
    with pytest.raises(NotPermitted):
        campaign_create(code="x4", **{**base, "scope": world.partner_user})
    assert not world.campaign.__class__.objects.filter(code__startswith="x").exists()


def test_cadres(world: World) -> None:
    with pytest.raises(CadreCodeTaken):
        cadre_add(scope=world.officer, campaign=world.campaign, name="Lagi", code="K01")
    with pytest.raises(CadreUserInvalid):
        cadre_add(
            scope=world.officer, campaign=world.campaign, name="L", code="K09", username="lain"
        )
    # the partner's own (non-cadre) user may assign; a cadre may not
    cadre_add(scope=world.partner_user, campaign=world.campaign, name="Bu RW", code="K03")
    with pytest.raises(NotPermitted):
        cadre_add(scope=world.cadre_user, campaign=world.campaign, name="No", code="K04")


def test_scoping(world: World) -> None:
    other = campaign_create(
        scope=world.admin,
        code="sukarasa",
        name="Sukarasa",
        village="3273011001",
        branch_office="KC3204",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31),
        today=TODAY,
    )
    codes = lambda s: sorted(campaigns_visible(s).values_list("code", flat=True))  # noqa: E731
    assert codes(world.admin) == ["ck-2025", "sukarasa"]
    assert codes(world.officer) == ["ck-2025", "sukarasa"]
    assert codes(world.analyst) == ["ck-2025", "sukarasa"]
    assert codes(world.partner_user) == ["ck-2025"]
    assert codes(world.cadre_user) == ["ck-2025"]
    assert codes(world.other_user) == []
    with pytest.raises(CampaignNotFound):
        campaign_get(world.other_user, "ck-2025")
    with pytest.raises(NotPermitted):
        campaigns_visible(world.employer_user)
    campaign_close(scope=world.officer, campaign=other)
    with pytest.raises(CampaignClosed):
        campaign_close(scope=world.officer, campaign=other)
