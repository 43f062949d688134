"""Who sees which listing campaigns and prospects (docs/partners/pendataan.md, "Access").

- administrator: every campaign;
- branch officer: campaigns of their office, or whose village lies in their regencies;
- partner user: the campaigns of their partner; a partner user who is a cadre (``Cadre.user``)
  only the campaigns they are assigned to;
- analyst: every campaign, aggregates only (funnels; no prospect, name or NIK);
- anyone else: nothing (403).
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.partners.errors import PartnersError
from jamsos.partners.models import Cadre, Campaign, MatchStatus, Prospect
from jamsos.partners.policy import PARTNERS

FOLLOW_UP_STATUSES = (MatchStatus.NEW.value, MatchStatus.REACTIVATION.value)


class CampaignNotFound(PartnersError):
    code = "partners.campaign_not_found"
    default_field = "campaign"
    http_status = 404
    text = {
        "id": "{label} '{value}' tidak ditemukan atau di luar wewenang Anda.",
        "en": "{label} '{value}' not found or outside your scope.",
    }


class ProspectNotFound(PartnersError):
    code = "partners.prospect_not_found"
    default_field = "name"
    http_status = 404
    text = {
        "id": "Calon peserta {value} tidak ditemukan atau di luar wewenang Anda.",
        "en": "Listed worker {value} not found or outside your scope.",
    }


def sees_campaigns(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "campaigns.view")


def sees_prospects(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "prospects.view")


def cadre_campaign_ids(scope: Scope) -> list[int] | None:
    """The campaigns a cadre user is assigned to; ``None`` when the user is not a cadre."""
    if scope.user_id is None:
        return None
    ids = list(Cadre.objects.filter(user_id=scope.user_id).values_list("campaign_id", flat=True))
    return ids or None


def campaigns_visible(scope: Scope) -> QuerySet[Campaign]:
    """The campaigns the caller may see (403 for roles that see none)."""
    PARTNERS.require(scope, "campaigns.view")
    qs = Campaign.objects.select_related("village", "branch_office", "partner", "agreement")
    if scope.role in {Role.ADMIN, Role.ANALYST}:
        return qs
    if scope.role == Role.BRANCH_OFFICER:
        regencies = [c for c in scope.regency_codes if c]
        return qs.filter(
            Q(branch_office_id=scope.branch_office_id) | Q(village__regency_code__in=regencies)
        )
    # partner user
    if not scope.partner_ref:
        return qs.none()
    qs = qs.filter(partner__code=scope.partner_ref)
    assigned = cadre_campaign_ids(scope)
    if assigned is not None:
        qs = qs.filter(pk__in=assigned)
    return qs


def campaign_get(scope: Scope, code: str) -> Campaign:
    campaign = campaigns_visible(scope).filter(code=str(code).strip()).first()
    if campaign is None:
        raise CampaignNotFound(value=code)
    return campaign


def prospects_visible(scope: Scope, campaign: Campaign | None = None) -> QuerySet[Prospect]:
    """Listed workers of the campaigns the caller may see (personal data: no analyst)."""
    PARTNERS.require(scope, "prospects.view")
    qs = Prospect.objects.filter(campaign__in=campaigns_visible(scope)).select_related(
        "campaign", "cadre", "village"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def prospect_get(scope: Scope, pk: int | str) -> Prospect:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise ProspectNotFound(value=pk) from None
    prospect = prospects_visible(scope).filter(pk=number).first()
    if prospect is None:
        raise ProspectNotFound(value=pk)
    return prospect


def follow_up_list(scope: Scope, campaign: Campaign, *, limit: int | None = 500) -> list[Prospect]:
    """New and reactivation leads who agreed to be contacted and are not registered yet:
    not yet contacted first, then the oldest contacts."""
    qs = (
        prospects_visible(scope, campaign)
        .filter(
            match_status__in=FOLLOW_UP_STATUSES,
            consent_contact=True,
            registered_membership__isnull=True,
        )
        .order_by(F("contacted_on").asc(nulls_first=True), "listed_on", "id")
    )
    return list(qs[:limit] if limit else qs)
