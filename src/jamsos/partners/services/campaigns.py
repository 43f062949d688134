"""Listing campaigns (pendataan): one village, a branch office, a partner, dates, cadres.

Lifecycle: ``planned`` (created) -> ``running`` (opened) -> ``closed``. Prospects are recorded
while a campaign is planned or running; a closed campaign takes no new prospects.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role, UserAccess
from jamsos.access.policy import refuse
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice
from jamsos.partners.errors import PartnersError
from jamsos.partners.models import (
    Agreement,
    AgreementStatus,
    Cadre,
    Campaign,
    CampaignStatus,
    Partner,
)
from jamsos.partners.policy import PARTNERS
from jamsos.partners.services import agreements as _agreements
from jamsos.partners.services import partners as _partners
from jamsos.registry.models import Level, Region

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


class CampaignError(PartnersError):
    code = "partners.campaign_invalid"
    http_status = 400


class CampaignFieldRequired(CampaignError):
    code = "partners.campaign_field_required"
    text = {"id": "{label} wajib diisi.", "en": "{label} is required."}


class CampaignCodeInvalid(CampaignError):
    code = "partners.campaign_code_invalid"
    default_field = "campaign"
    text = {
        "id": "Kode {label} '{value}' tidak sah: huruf kecil, angka, - atau _, 2-64 karakter.",
        "en": "{label} code '{value}' is invalid: lower-case letters, digits, - or _, 2-64 long.",
    }


class CampaignCodeTaken(CampaignError):
    code = "partners.campaign_code_taken"
    default_field = "campaign"
    http_status = 409
    text = {
        "id": "Kode {label} '{value}' sudah dipakai.",
        "en": "{label} code '{value}' is already used.",
    }


class VillageUnknown(CampaignError):
    code = "partners.village_unknown"
    default_field = "village"
    text = {
        "id": "{label} '{value}' tidak dikenal (kode desa/kelurahan 10 digit edisi berlaku).",
        "en": "{label} '{value}' is unknown (a 10-digit village code of the current edition).",
    }


class OfficeUnknown(_partners.OfficeUnknown, CampaignError):
    """The partners' ``partners.office_unknown``, worded for a campaign."""

    text = {
        "id": "Kantor cabang '{value}' tidak dikenal.",
        "en": "Unknown branch office '{value}'.",
    }


class OfficeOutsideScope(CampaignError):
    code = "partners.office_outside_scope"
    default_field = "branch_office"
    http_status = 403
    text = {
        "id": "Kantor cabang '{value}' bukan kantor Anda.",
        "en": "Branch office '{value}' is not your office.",
    }


class PartnerUnknown(CampaignError):
    code = "partners.partner_unknown"
    default_field = "partner"
    text = {"id": "{label} '{value}' tidak dikenal.", "en": "Unknown {label} '{value}'."}


class AgreementUnknown(CampaignError):
    code = "partners.agreement_unknown"
    default_field = "agreement"
    text = {"id": "{label} '{value}' tidak dikenal.", "en": "Unknown {label} '{value}'."}


class AgreementExpired(_agreements.AgreementExpired, CampaignError):
    """The agreements' ``partners.agreement_expired``, worded for a campaign."""

    text = {
        "id": "{label} {value} sudah berakhir ({ends_on}); kampanye tidak dapat dikaitkan.",
        "en": "{label} {value} has expired ({ends_on}); the campaign cannot refer to it.",
    }


class AgreementOtherPartner(CampaignError):
    code = "partners.agreement_other_partner"
    default_field = "agreement"
    text = {
        "id": "{label} {value} bukan milik mitra {partner}.",
        "en": "{label} {value} does not belong to partner {partner}.",
    }


class DatesReversed(CampaignError):
    code = "partners.dates_reversed"
    default_field = "ends_on"
    text = {
        "id": "{label} ({ends_on}) sebelum tanggal mulai ({starts_on}).",
        "en": "{label} ({ends_on}) is before the start date ({starts_on}).",
    }


class CampaignClosed(CampaignError):
    code = "partners.campaign_closed"
    default_field = "campaign"
    http_status = 409
    text = {
        "id": "{label} {value} sudah selesai (ditutup).",
        "en": "{label} {value} is closed.",
    }


class CadreCodeTaken(CampaignError):
    code = "partners.cadre_code_taken"
    default_field = "cadre"
    http_status = 409
    text = {
        "id": "Kode {label} '{value}' sudah dipakai dalam kampanye ini.",
        "en": "{label} code '{value}' is already used in this campaign.",
    }


class CadreUserInvalid(CampaignError):
    code = "partners.cadre_user_invalid"
    default_field = "cadre"
    text = {
        "id": "Akun '{value}' bukan pengguna mitra {partner}.",
        "en": "Account '{value}' is not a user of partner {partner}.",
    }


def _text(value: Any, *, field: str, max_length: int = 200) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise CampaignFieldRequired(field=field)
    return text[:max_length]


def village_of(value: Region | str | int) -> Region:
    """A village of the current edition, by region, dotted code or 10 digits."""
    if isinstance(value, Region):
        if value.level != Level.VILLAGE:
            raise VillageUnknown(value=value.code)
        return value
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    region = None
    if len(digits) == 10:
        region = Region.objects.filter(
            edition__is_current=True, level=Level.VILLAGE, code_nodot=digits
        ).first()
    if region is None:
        raise VillageUnknown(value=value)
    return region


def _office(scope: Scope, value: BranchOffice | str | None) -> BranchOffice:
    if value is None or value == "":
        if scope.branch_office_id:
            return BranchOffice.objects.get(pk=scope.branch_office_id)
        raise CampaignFieldRequired(field="branch_office")
    office = (
        value
        if isinstance(value, BranchOffice)
        else BranchOffice.objects.filter(code=str(value).strip().upper()).first()
    )
    if office is None:
        raise OfficeUnknown(value=value)
    if scope.role == Role.BRANCH_OFFICER and office.pk != scope.branch_office_id:
        raise OfficeOutsideScope(value=office.code)
    return office


def _partner(value: Partner | str | None) -> Partner | None:
    if value is None or value == "":
        return None
    if isinstance(value, Partner):
        return value
    partner = Partner.objects.filter(code=str(value).strip()).first()
    if partner is None:
        raise PartnerUnknown(value=value)
    return partner


def _agreement(value: Agreement | str | None, today: date) -> Agreement | None:
    if value is None or value == "":
        return None
    agreement = (
        value
        if isinstance(value, Agreement)
        else Agreement.objects.filter(number=str(value).strip()).first()
    )
    if agreement is None:
        raise AgreementUnknown(value=value)
    if (
        agreement.status in {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}
        or agreement.ends_on < today
    ):
        raise AgreementExpired(value=agreement.number, ends_on=agreement.ends_on)
    return agreement


def may_manage(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "campaigns.manage")


@transaction.atomic
def campaign_create(
    *,
    scope: Scope,
    code: str,
    name: str,
    village: Region | str,
    starts_on: date,
    ends_on: date,
    branch_office: BranchOffice | str | None = None,
    partner: Partner | str | None = None,
    agreement: Agreement | str | None = None,
    today: date | None = None,
) -> Campaign:
    """Create a campaign (``planned``). Refuses an unknown village or office, an office that is
    not the officer's, an agreement that has expired or belongs to another partner."""
    PARTNERS.require(scope, "campaigns.manage")
    today = today or today_in_jakarta()
    code = str(code or "").strip().lower()
    if not _CODE.match(code):
        raise CampaignCodeInvalid(value=code)
    if Campaign.objects.filter(code=code).exists():
        raise CampaignCodeTaken(value=code)
    name = _text(name, field="name")
    region = village_of(village)
    office = _office(scope, branch_office)
    the_partner = _partner(partner)
    the_agreement = _agreement(agreement, today)
    if the_agreement is not None:
        if the_partner is None:
            the_partner = the_agreement.partner
        elif (
            the_agreement.partner_id != the_partner.pk
            and not the_agreement.other_partners.filter(pk=the_partner.pk).exists()
        ):
            raise AgreementOtherPartner(value=the_agreement.number, partner=the_partner.code)
    if starts_on is None:
        raise CampaignFieldRequired(field="starts_on")
    if ends_on is None:
        raise CampaignFieldRequired(field="ends_on")
    if ends_on < starts_on:
        raise DatesReversed(starts_on=starts_on, ends_on=ends_on)
    campaign = Campaign.objects.create(
        code=code,
        name=name,
        village=region,
        branch_office=office,
        partner=the_partner,
        agreement=the_agreement,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=scope.user_id,
    )
    audit_record(
        scope,
        AuditAction.CREATE,
        campaign,
        detail={"village": region.code, "office": office.code, "partner": code_of(the_partner)},
    )
    return campaign


def code_of(partner: Partner | None) -> str:
    return partner.code if partner is not None else ""


def _set_status(scope: Scope, campaign: Campaign, status: str) -> Campaign:
    from jamsos.partners.selectors.pendataan import campaign_get

    PARTNERS.require(scope, "campaigns.manage")
    campaign = campaign_get(scope, campaign.code)
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed(value=campaign.code)
    before = campaign.status
    campaign.status = status
    campaign.save(update_fields=["status"])
    audit_record(scope, AuditAction.UPDATE, campaign, changes={"status": [before, status]})
    return campaign


def campaign_open(*, scope: Scope, campaign: Campaign) -> Campaign:
    return _set_status(scope, campaign, CampaignStatus.RUNNING)


def campaign_close(*, scope: Scope, campaign: Campaign) -> Campaign:
    return _set_status(scope, campaign, CampaignStatus.CLOSED)


@transaction.atomic
def cadre_add(
    *,
    scope: Scope,
    campaign: Campaign,
    name: str,
    code: str,
    phone: str = "",
    username: str | None = None,
) -> Cadre:
    """Assign a cadre to a campaign; ``username`` links their partner-user account (it must be
    a user of the campaign's partner). Branch officers of the campaign and the partner's own
    users (not cadres themselves) may assign."""
    from jamsos.partners.selectors.pendataan import cadre_campaign_ids, campaign_get

    PARTNERS.require(scope, "cadres.assign")
    # A cadre (a partner user assigned to campaigns) does not assign other cadres.
    if scope.role == Role.PARTNER_USER and cadre_campaign_ids(scope) is not None:
        raise refuse(scope, PARTNERS.rule("cadres.assign").says)
    campaign = campaign_get(scope, campaign.code)
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed(value=campaign.code)
    name = _text(name, field="name", max_length=120)
    code = _text(code, field="cadre", max_length=32).upper()
    if Cadre.objects.filter(campaign=campaign, code=code).exists():
        raise CadreCodeTaken(value=code)
    user = None
    if username:
        partner_code = code_of(campaign.partner)
        user = get_user_model().objects.filter(username=username).first()
        access = UserAccess.objects.filter(user=user).first() if user is not None else None
        if (
            access is None
            or access.role != Role.PARTNER_USER
            or not partner_code
            or access.partner_ref != partner_code
        ):
            raise CadreUserInvalid(value=username, partner=partner_code or "-")
    cadre = Cadre.objects.create(
        campaign=campaign, name=name, code=code, phone=str(phone or "")[:20], user=user
    )
    audit_record(
        scope,
        AuditAction.CREATE,
        cadre,
        detail={"campaign": campaign.code, "user": username or ""},
    )
    return cadre
