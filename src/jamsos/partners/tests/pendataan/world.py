"""Shared fixtures of the pendataan tests (imported by the test modules; holds no tests).

A Bandung office (KC3204), the village partner of Cileunyi Kulon with an active and an
expired agreement, a running campaign in Cileunyi Kulon with two cadres (one signs in as
``kader1``), and the accounts: an administrator, the office's officer, a partner user who is
not a cadre, another partner's user, an analyst and an employer user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from jamsos.access.scope import Scope, scope_for_user
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.models import Agreement, AgreementStatus, Cadre, Campaign, Partner
from jamsos.partners.services.campaigns import cadre_add, campaign_create, campaign_open

TODAY = date(2025, 3, 15)


@dataclass
class World:
    regions: Regions
    office: BranchOffice
    partner: Partner
    other_partner: Partner
    agreement: Agreement
    expired: Agreement
    campaign: Campaign
    cadre1: Cadre
    cadre2: Cadre
    admin: Scope
    officer: Scope
    partner_user: Scope
    cadre_user: Scope
    other_user: Scope
    analyst: Scope
    employer_user: Scope


def scope_of(username: str) -> Scope:
    return scope_for_user(get_user_model().objects.get(username=username))


def world_build(regions: Regions, branch_office: BranchOffice) -> World:
    """The ``world`` fixture (this folder's conftest.py)."""
    partner = Partner.objects.create(
        code="desa-cileunyi-kulon",
        name="Pemerintah Desa Cileunyi Kulon",
        kind="regional_government",
        region=regions.cileunyi_kulon,
        branch_office=branch_office,
    )
    other = Partner.objects.create(
        code="serikat-lain", name="Serikat Lain", kind="union", branch_office=branch_office
    )
    agreement = Agreement.objects.create(
        number="PKS/001/2025",
        title="Pendataan pekerja informal",
        partner=partner,
        branch_office=branch_office,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    expired = Agreement.objects.create(
        number="PKS/009/2023",
        title="Lama",
        partner=partner,
        branch_office=branch_office,
        status=AgreementStatus.EXPIRED,
        starts_on=date(2023, 1, 1),
        ends_on=date(2024, 12, 31),
    )
    users = get_user_model()
    users.objects.create_superuser("admin1", password="x")
    user_access_grant(username="petugas", role="branch_officer", branch_office=branch_office)
    user_access_grant(username="mitra", role="partner_user", partner_ref=partner.code)
    user_access_grant(username="kader1", role="partner_user", partner_ref=partner.code)
    user_access_grant(username="lain", role="partner_user", partner_ref=other.code)
    user_access_grant(username="analis", role="analyst")
    admin = scope_of("admin1")
    officer = scope_of("petugas")
    campaign = campaign_create(
        scope=officer,
        code="ck-2025",
        name="Pendataan Cileunyi Kulon 2025",
        village="3204052001",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 4, 30),
        agreement="PKS/001/2025",
        today=TODAY,
    )
    campaign_open(scope=officer, campaign=campaign)
    cadre1 = cadre_add(
        scope=officer, campaign=campaign, name="Ibu Kader", code="k01", username="kader1"
    )
    cadre2 = cadre_add(scope=officer, campaign=campaign, name="Pak RT", code="K02")
    from jamsos.membership.tests.factories import employer_create

    employer = employer_create(village=regions.cileunyi_kulon)
    user_access_grant(username="pemberi", role="employer_user", employer=employer)
    return World(
        regions=regions,
        office=branch_office,
        partner=partner,
        other_partner=other,
        agreement=agreement,
        expired=expired,
        campaign=Campaign.objects.get(pk=campaign.pk),
        cadre1=cadre1,
        cadre2=cadre2,
        admin=admin,
        officer=officer,
        partner_user=scope_of("mitra"),
        cadre_user=scope_of("kader1"),
        other_user=scope_of("lain"),
        analyst=scope_of("analis"),
        employer_user=scope_of("pemberi"),
    )
