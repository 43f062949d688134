"""What a list may name as its own: the sponsor invoiced for a BPU list is the uploading
partner itself (its code) or one of its own agreements (its number), and the agreement the batch
runs under is the partner's. Checked when a list is staged and again when it is approved, so
that a partner never bills another partner."""

from __future__ import annotations

from jamsos.partners.models import Agreement, EnrolmentBatch, Partner
from jamsos.partners.services.enrolment.errors import NoAgreement, SponsorNotOwn


def own_sponsor_refs(partner: Partner) -> list[str]:
    """The references a list of ``partner`` may name as its sponsor: its code, then the numbers
    of its agreements."""
    numbers = Agreement.objects.filter(partner=partner).order_by("number")
    return [partner.code, *numbers.values_list("number", flat=True)]


def require_own_sponsor(partner: Partner, sponsor_ref: str) -> None:
    """Refuse a sponsor reference that is not ``partner``'s code or one of its agreements."""
    value = (sponsor_ref or "").strip()
    own = own_sponsor_refs(partner)
    if value not in own:
        raise SponsorNotOwn(value=value, partner=partner.code, own=", ".join(own))


def require_own_batch(batch: EnrolmentBatch) -> None:
    """The batch's agreement and (for a BPU list) its sponsor belong to the batch's partner."""
    agreement = batch.agreement
    if agreement is not None and agreement.partner_id != batch.partner_id:
        raise NoAgreement(partner=batch.partner.code, number=f" {agreement.number}")
    if batch.sponsor_ref or batch.sponsor_kind:
        require_own_sponsor(batch.partner, batch.sponsor_ref)
