"""The listing funnel, follow-up actions and registering a listed worker.

Funnel steps, per campaign (and by cadre, village or ecosystem):

- ``listed``: every prospect of the campaign;
- ``contacted``: ``contacted_on`` is set, or the prospect is registered;
- ``registered``: ``registered_membership`` is set;
- ``first_payment``: the registered membership has at least one paid month
  (``billing.InvoiceLine.paid_on`` set);
- ``active_3m``: the registered membership's month three months after its start month is paid
  (a membership starting in January counts when its April line is paid). ``due_3m`` counts the
  registered memberships whose third month has been billed (the denominator of the rate).

Read in three queries whatever the size: the prospects (grouped columns only), the paid months
of the registered memberships, the billed third months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.identifiers import nik_parse
from jamsos.membership.models import Channel, Person
from jamsos.membership.services import PersonData, bpu_self_register
from jamsos.partners.errors import PartnersError
from jamsos.partners.models import Campaign, MatchStatus, Prospect
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.pendataan import (
    campaigns_visible,
    prospect_get,
)
from jamsos.partners.services.matching import _birth_from_nik

STEPS = ("listed", "contacted", "registered", "first_payment", "active_3m")
STEP_LABELS = {
    "listed": {"id": "Didata", "en": "Listed"},
    "contacted": {"id": "Dihubungi", "en": "Contacted"},
    "registered": {"id": "Terdaftar", "en": "Registered"},
    "first_payment": {"id": "Iuran pertama dibayar", "en": "First payment"},
    "active_3m": {"id": "Masih aktif setelah 3 bulan", "en": "Still active after 3 months"},
}
DIMENSIONS = {
    "campaign": "campaign__code",
    "cadre": "cadre__code",
    "village": "village__code",
    "ecosystem": "ecosystem",
}


class NotALead(PartnersError):
    code = "partners.not_a_lead"
    default_field = "name"
    http_status = 409
    text = {
        "id": "Calon peserta ini tidak dapat didaftarkan: {reason}.",
        "en": "This listed worker cannot be registered: {reason_en}.",
    }


class IncomeRequired(PartnersError):
    code = "partners.income_required"
    default_field = "income"
    text = {
        "id": "{label} wajib diisi untuk pendaftaran BPU.",
        "en": "{label} is required for a BPU registration.",
    }


@dataclass
class FunnelRow:
    key: str
    listed: int = 0
    contacted: int = 0
    registered: int = 0
    first_payment: int = 0
    active_3m: int = 0
    due_3m: int = 0
    covered: int = 0
    reactivation: int = 0
    new: int = 0
    possible_match: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _add_months(period: str, months: int) -> str:
    year, month = int(period[:4]), int(period[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _paid_info(membership_ids: list[int]) -> tuple[set[int], dict[int, dict[str, bool]]]:
    """Memberships with any paid month; billed months with whether they are paid."""
    from jamsos.billing.models import InvoiceLine

    paid_any: set[int] = set()
    months: dict[int, dict[str, bool]] = {}
    if not membership_ids:
        return paid_any, {}
    table = InvoiceLine._meta.db_table
    chunks = (
        [membership_ids]
        if connection.vendor == "postgresql"
        else [membership_ids[i : i + 900] for i in range(0, len(membership_ids), 900)]
    )
    params: list[Any]
    with connection.cursor() as cursor:
        for chunk in chunks:
            if connection.vendor == "postgresql":
                where, params = "membership_id = ANY(%s)", [chunk]
            else:
                where, params = f"membership_id IN ({','.join(['%s'] * len(chunk))})", chunk
            cursor.execute(
                f"SELECT membership_id, period, max(CASE WHEN paid_on IS NOT NULL THEN 1 ELSE 0 "
                f"END) FROM {table} WHERE {where} GROUP BY membership_id, period",
                params,
            )
            for mid, period, paid in cursor.fetchall():
                months.setdefault(mid, {})[period] = bool(paid)
                if paid:
                    paid_any.add(mid)
    return paid_any, months


def funnel(
    scope: Scope, *, campaign: Campaign | None = None, by: str = "campaign"
) -> list[FunnelRow]:
    """Funnel rows by ``campaign``, ``cadre``, ``village`` or ``ecosystem`` over the campaigns
    the caller sees (analysts included: counts only), plus a total row (key ``""``) first."""
    PARTNERS.require(scope, "campaigns.funnel")
    if by not in DIMENSIONS:
        by = "campaign"
    qs = Prospect.objects.filter(campaign__in=campaigns_visible(scope))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    raw = list(
        qs.values_list(
            DIMENSIONS[by],
            "match_status",
            "contacted_on",
            "registered_membership_id",
            "registered_membership__start_date",
        )
    )
    ids = sorted({r[3] for r in raw if r[3] is not None})
    paid_any, months = _paid_info(ids)
    totals = FunnelRow(key="")
    rows: dict[str, FunnelRow] = {}
    for key, status, contacted_on, mid, start in raw:
        row = rows.setdefault(key or "", FunnelRow(key=key or ""))
        for target in (row, totals):
            target.listed += 1
            if status in {"covered", "reactivation", "new", "possible_match"}:
                setattr(target, status, getattr(target, status) + 1)
            if contacted_on is not None or mid is not None:
                target.contacted += 1
            if mid is None:
                continue
            target.registered += 1
            if mid in paid_any:
                target.first_payment += 1
            third = _add_months(start.strftime("%Y-%m"), 3) if start else None
            billed = months.get(mid, {})
            if third is not None and third in billed:
                target.due_3m += 1
                if billed[third]:
                    target.active_3m += 1
    return [totals, *sorted(rows.values(), key=lambda r: r.key)]


def funnel_frame(rows: list[FunnelRow]) -> pl.DataFrame:
    return pl.DataFrame([r.as_dict() for r in rows])


# --- follow-up -------------------------------------------------------------------------------


def _lead(scope: Scope, prospect: Prospect | int) -> Prospect:

    PARTNERS.require(scope, "prospects.follow_up")
    return prospect_get(scope, prospect.pk if isinstance(prospect, Prospect) else prospect)


@transaction.atomic
def prospect_contacted(
    *, scope: Scope, prospect: Prospect | int, on: date | None = None
) -> Prospect:
    """Mark a listed worker contacted (the first contact date is kept)."""
    found = _lead(scope, prospect)
    if found.contacted_on is None:
        found.contacted_on = on or today_in_jakarta()
        found.save(update_fields=["contacted_on"])
        audit_record(
            scope,
            AuditAction.UPDATE,
            found,
            changes={"contacted_on": [None, found.contacted_on.isoformat()]},
        )
    return found


@transaction.atomic
def prospect_register(
    *,
    scope: Scope,
    prospect: Prospect | int,
    declared_income_idr: int | None = None,
    sex: str | None = None,
    programs: list[str] | tuple[str, ...] = (),
    today: date | None = None,
) -> Prospect:
    """Register a new or reactivation lead as a BPU participant (channel ``cadre``; the
    campaign's partner as ``partner_ref``; the prospect's ecosystem) and link the membership.
    The person on file is reused (matched by NIK); else a person is registered from the
    prospect (sex and birth date from the NIK unless given)."""
    today = today or today_in_jakarta()
    found = _lead(scope, prospect)
    if found.registered_membership_id is not None:
        raise NotALead(reason="sudah terdaftar", reason_en="already registered")
    if found.match_status not in {MatchStatus.NEW, MatchStatus.REACTIVATION}:
        label = MatchStatus(found.match_status).label
        raise NotALead(reason=label, reason_en=label)
    income = declared_income_idr or found.estimated_income_idr
    if not income:
        raise IncomeRequired()
    person: Person | PersonData | None = Person.objects.filter(nik=found.nik).first()
    if person is None:
        parts, _ = nik_parse(found.nik)
        birth = found.birth_date or _birth_from_nik(found.nik, today)
        person = PersonData(
            nik=found.nik,
            name=found.name,
            birth_date=birth,  # type: ignore[arg-type]
            sex=sex or (parts.sex if parts else ""),
            domicile=found.village,
            phone=found.phone or None,
        )
    campaign = found.campaign
    membership = bpu_self_register(
        person=person,
        declared_income_idr=int(income),
        programs=programs,
        ecosystem=found.ecosystem or "desa_kelurahan",
        channel=Channel.CADRE,
        partner_ref=campaign.partner.code if campaign.partner is not None else None,
        by=scope,
        today=today,
    )
    found.registered_membership = membership
    if found.contacted_on is None:
        found.contacted_on = today
    found.save(update_fields=["registered_membership", "contacted_on"])
    audit_record(
        scope,
        AuditAction.UPDATE,
        found,
        changes={"registered_membership": [None, membership.kpj]},
    )
    return found
