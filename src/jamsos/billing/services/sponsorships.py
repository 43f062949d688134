"""Sponsored workers (pekerja rentan): a sponsor pays the BPU packages of a list for a term.

A regional government (APBD), a company (CSR) or a zakat body pays for a list of vulnerable
BPU workers from one month to another. :func:`sponsorship_create` checks the whole list first
(every KPJ known, in the caller's scope, an open BPU membership, not twice), writes nothing if
one is wrong, and otherwise: names the sponsor on the memberships
(:func:`jamsos.membership.services.bpu_sponsor_set`), creates the sponsor's payer and virtual
account when it has none, and records the term. From then on the billing run puts those
workers' months inside the term on one invoice to the sponsor (ADR 0104), and shows them as
sponsored on their own pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import polars as pl
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.errors import BadPeriod, RequiredField, SponsorshipInvalid
from jamsos.billing.models import Payer, PayerKind, Sponsorship
from jamsos.billing.policy import BILLING
from jamsos.billing.services.payers import PARTY_SCHEMA, payers_ensure
from jamsos.legal import Period
from jamsos.legal.types import Segment
from jamsos.membership.models import Membership, SponsorKind, Status
from jamsos.membership.selectors import memberships_visible
from jamsos.membership.services import bpu_sponsor_set

#: Who may record a sponsorship: administrators and branch officers (within their area).
ACTION_SPONSOR = {"id": "mencatat penyandang dana pekerja rentan", "en": "record a sponsorship"}


def _period(value: str, field: str) -> str:
    try:
        return str(Period.parse(str(value).strip()))
    except (ValueError, TypeError):
        raise BadPeriod(field=field, value=value) from None


@transaction.atomic
def sponsorship_create(
    *,
    sponsor_ref: str,
    sponsor_name: str,
    sponsor_kind: str,
    reference: str,
    first_period: str,
    last_period: str,
    kpjs: Iterable[str],
    by: Scope | None = None,
    branch_office_id: int | None = None,
) -> Sponsorship:
    """Record that ``sponsor_ref`` pays the listed BPU memberships from ``first_period`` to
    ``last_period`` (inclusive). All or nothing: any bad KPJ refuses the whole list, naming
    every bad one. A new sponsor payer is served by ``branch_office_id``, else by the office
    of the officer recording it."""
    BILLING.require(by, "sponsorship.record")
    sponsor_ref = (sponsor_ref or "").strip()
    sponsor_name = " ".join((sponsor_name or "").split())
    reference = (reference or "").strip()
    for field, value in (("sponsor", sponsor_ref), ("sponsor", sponsor_name)):
        if not value:
            raise RequiredField(field=field)
    if sponsor_kind not in SponsorKind.values:
        raise SponsorshipInvalid(
            reason=f"sponsor_kind {sponsor_kind!r} not in {', '.join(SponsorKind.values)}"
        )
    first = _period(first_period, "period")
    last = _period(last_period, "period")
    if last < first:
        raise SponsorshipInvalid(reason=f"{last} < {first}")
    wanted = [k.strip() for k in kpjs if k and k.strip()]
    if not wanted:
        raise SponsorshipInvalid(reason="KPJ list is empty / daftar KPJ kosong")
    twice = sorted(k for k, n in Counter(wanted).items() if n > 1)
    if twice:
        raise SponsorshipInvalid(reason="KPJ listed twice / KPJ ganda: " + ", ".join(twice[:20]))
    base = memberships_visible(by) if by is not None else Membership.objects.all()
    found = dict(
        base.filter(kpj__in=wanted, segment=Segment.BPU, status=Status.ACTIVE).values_list(
            "kpj", "pk"
        )
    )
    missing = [k for k in wanted if k not in found]
    if missing:
        raise SponsorshipInvalid(
            reason="not an open BPU membership in your scope / bukan kepesertaan BPU aktif "
            "dalam cakupan Anda: " + ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        )
    party = pl.DataFrame(
        [
            {
                "payer_kind": PayerKind.SPONSOR.value,
                "party_id": None,
                "sponsor_ref": sponsor_ref,
                "sponsor_name": sponsor_name,
                "sponsor_kind": sponsor_kind,
                "office_id": branch_office_id or (by.branch_office_id if by is not None else None),
            }
        ],
        schema=PARTY_SCHEMA,
    )
    ids, _ = payers_ensure(party)
    payer = Payer.objects.get(pk=ids["payer_id"][0])
    bpu_sponsor_set(
        membership_ids=found.values(),
        sponsor_name=sponsor_name,
        sponsor_kind=sponsor_kind,
        sponsor_ref=sponsor_ref,
        reference=reference,
        by=by,
    )
    sponsorship = Sponsorship.objects.create(
        payer=payer, reference=reference, first_period=first, last_period=last
    )
    sponsorship.memberships.add(*found.values())
    audit_record(
        by,
        AuditAction.CREATE,
        sponsorship,
        label=f"Sponsorship {sponsor_ref} {first}..{last}",
        changes={"memberships": [None, len(found)], "reference": [None, reference]},
    )
    return sponsorship
