"""How registry records read on a page: labels in the page's language, masked numbers, money.

Views build plain rows with these helpers; templates only print them, so that no template
decides what is masked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsos.access.models import Role
from jamsos.access.services import role_name
from jamsos.core.formatting import (
    EMPLOYER_SIZE_LABELS,
    INDUSTRY_LABELS,
    PROGRAM_NAMES,
    RISK_CLASS_LABELS,
    current_language,
    format_money,
    format_period,
    label,
)
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.legal.periods import Period
from jamsos.membership.forms import (
    AUDIT_ACTION_CHOICES,
    ECOSYSTEM_CHOICES,
    END_REASON_CHOICES,
    SEX_CHOICES,
    SPONSOR_KIND_CHOICES,
)
from jamsos.membership.models import (
    Channel,
    EventKind,
    Membership,
    MembershipEvent,
    Person,
    Sector,
    Status,
    WageReport,
)
from jamsos.registry.models import Region

SEGMENT_SHORT: dict[str, Promise] = {
    "PU": gettext_lazy("PU (wage earner)"),
    "BPU": gettext_lazy("BPU (self-employed)"),
    "JAKON": gettext_lazy("Jakon (construction)"),
    "PMI": gettext_lazy("PMI (migrant worker)"),
}
STATUS_LABELS: dict[str, Promise] = {
    Status.ACTIVE.value: gettext_lazy("Active"),
    Status.ENDED.value: gettext_lazy("Ended"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    Channel.SELF.value: gettext_lazy("Self-registration"),
    Channel.EMPLOYER.value: gettext_lazy("Employer"),
    Channel.PARTNER.value: gettext_lazy("Partner"),
    Channel.CADRE.value: gettext_lazy("Cadre or agent"),
    Channel.BRANCH.value: gettext_lazy("Branch office"),
}
EVENT_LABELS: dict[str, Promise] = {
    EventKind.STARTED.value: gettext_lazy("Started"),
    EventKind.PROGRAMS_CHANGED.value: gettext_lazy("Programs changed"),
    EventKind.WAGE_CHANGED.value: gettext_lazy("Wage changed"),
    EventKind.INCOME_CHANGED.value: gettext_lazy("Income changed"),
    EventKind.ENDED.value: gettext_lazy("Ended"),
}
END_REASON_LABELS = dict(END_REASON_CHOICES)
ECOSYSTEM_LABELS = dict(ECOSYSTEM_CHOICES)
SPONSOR_KIND_LABELS = dict(SPONSOR_KIND_CHOICES)
SEX_LABELS = dict(SEX_CHOICES)
AUDIT_ACTION_LABELS = dict(AUDIT_ACTION_CHOICES)


def role_label(role: Role | str | None) -> str:
    return role_name(Role(role) if role else None)[current_language()]


def money(amount_idr: int | None) -> str:
    return "" if amount_idr is None else format_money(amount_idr)


def period_text(period: str) -> str:
    try:
        return format_period(Period.parse(period))
    except ValueError:
        return period


def programs_text(programs: str) -> str:
    return ", ".join(p for p in programs.split(",") if p)


def programs_named(programs: str) -> list[tuple[str, str]]:
    """``[("JKK", "Work accident"), …]`` in the page's language."""
    return [(p, label(PROGRAM_NAMES, p)) for p in programs.split(",") if p]


def sector_text(code: str) -> str:
    try:
        return str(Sector(code).label)
    except ValueError:
        return code


def employer_facts(employer: Any) -> dict[str, str]:
    return {
        "size": label(EMPLOYER_SIZE_LABELS, employer.size),
        "sector": sector_text(employer.sector),
        "risk_class": label(RISK_CLASS_LABELS, employer.risk_class),
        "industry": label(INDUSTRY_LABELS, employer.industry),
    }


def regency_names(regions: Iterable[Region | None]) -> dict[tuple[int, str], str]:
    """Names of the regencies of these villages, in one query: ``{(edition, code): name}``."""
    wanted = {(r.edition_id, r.regency_code) for r in regions if r is not None and r.regency_code}
    if not wanted:
        return {}
    rows = Region.objects.filter(
        edition_id__in={e for e, _c in wanted}, code__in={c for _e, c in wanted}
    ).values_list("edition_id", "code", "name")
    return {(edition, code): name for edition, code, name in rows}


def domicile_text(region: Region, regencies: Mapping[tuple[int, str], str]) -> str:
    regency = regencies.get((region.edition_id, region.regency_code), "")
    return f"{region.name}, {regency}" if regency else region.name


@dataclass(frozen=True)
class PersonRow:
    """One person in a list: masked NIK, name, birth year, domicile."""

    pk: int
    nik: str
    name: str
    birth_year: int
    domicile: str
    memberships: int = 0


def person_rows(
    people: Iterable[Person], memberships: Mapping[int, int] | None = None
) -> list[PersonRow]:
    people = list(people)
    regencies = regency_names(p.domicile for p in people)
    counts = memberships or {}
    return [
        PersonRow(
            pk=p.pk,
            nik=mask_nik(p.nik),
            name=p.name,
            birth_year=p.birth_date.year,
            domicile=domicile_text(p.domicile, regencies),
            memberships=counts.get(p.pk, 0),
        )
        for p in people
    ]


@dataclass(frozen=True)
class MembershipRow:
    """One membership in a list, with the person masked."""

    kpj: str
    person_pk: int
    name: str
    nik: str
    segment: str
    status: str
    is_active: bool
    employer: str
    programs: str
    start_date: Any
    end_date: Any


def membership_rows(memberships: Iterable[Membership]) -> list[MembershipRow]:
    """Rows for a list; the memberships come with ``person`` and ``employer`` selected."""
    return [
        MembershipRow(
            kpj=m.kpj,
            person_pk=m.person_id,
            name=m.person.name,
            nik=mask_nik(m.person.nik),
            segment=label(SEGMENT_SHORT, m.segment),
            status=label(STATUS_LABELS, m.status),
            is_active=m.status == Status.ACTIVE,
            employer=m.employer.legal_name if m.employer_id else sponsor_text(m),
            programs=programs_text(m.programs),
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for m in memberships
    ]


def sponsor_text(membership: Membership) -> str:
    if membership.sponsor_name:
        kind = label(SPONSOR_KIND_LABELS, membership.sponsor_kind)
        return f"{membership.sponsor_name} ({kind})"
    return ""


def event_summary(event: MembershipEvent) -> str:
    """What changed, in a sentence of the page's language."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.STARTED:
        programs = programs_text(data.get("programs", ""))
        parts = [_("Programs: %(programs)s") % {"programs": programs}]
        if data.get("wage_idr"):
            parts.append(_("first wage %(wage)s") % {"wage": money(data["wage_idr"])})
        if data.get("declared_income_idr"):
            parts.append(_("income %(income)s") % {"income": money(data["declared_income_idr"])})
        return "; ".join(parts)
    if kind == EventKind.WAGE_CHANGED:
        return _("%(old)s → %(new)s from %(period)s") % {
            "old": money(data.get("old_wage_idr")),
            "new": money(data.get("new_wage_idr")),
            "period": period_text(str(data.get("period", ""))),
        }
    if kind == EventKind.INCOME_CHANGED:
        return _("%(old)s → %(new)s from %(on)s") % {
            "old": money(data.get("old_income_idr")),
            "new": money(data.get("new_income_idr")),
            "on": data.get("on", ""),
        }
    if kind == EventKind.PROGRAMS_CHANGED:
        return _("%(old)s → %(new)s from %(on)s") % {
            "old": programs_text(data.get("old", "")),
            "new": programs_text(data.get("new", "")),
            "on": data.get("on", ""),
        }
    if kind == EventKind.ENDED:
        return _("%(reason)s, last day %(date)s") % {
            "reason": label(END_REASON_LABELS, data.get("reason")),
            "date": data.get("end_date", ""),
        }
    return ""


@dataclass(frozen=True)
class EventRow:
    at: Any
    kind: str
    summary: str


@dataclass(frozen=True)
class WageRow:
    period: str
    wage: str
    reported_at: Any


@dataclass
class MembershipCard:
    """A membership on a person's page, with its history and wage reports."""

    membership: Membership
    segment: str
    status: str
    is_active: bool
    programs: list[tuple[str, str]]
    employer: Any
    sponsor: str
    office: str
    channel: str
    end_reason: str
    declared_income: str
    ecosystem: str
    events: list[EventRow] = field(default_factory=list)
    wages: list[WageRow] = field(default_factory=list)
    wages_total: int = 0
    may_end: bool = False
    may_report_wage: bool = False


def membership_card(membership: Membership) -> MembershipCard:
    m = membership
    return MembershipCard(
        membership=m,
        segment=label(SEGMENT_SHORT, m.segment),
        status=label(STATUS_LABELS, m.status),
        is_active=m.status == Status.ACTIVE,
        programs=programs_named(m.programs),
        employer=m.employer if m.employer_id else None,
        sponsor=sponsor_text(m),
        office=str(m.branch_office) if m.branch_office_id else "",
        channel=label(CHANNEL_LABELS, m.channel),
        end_reason=label(END_REASON_LABELS, m.end_reason) if m.end_reason else "",
        declared_income=money(m.declared_income_idr),
        ecosystem=label(ECOSYSTEM_LABELS, m.ecosystem)
        if m.ecosystem and m.ecosystem != "none"
        else "",
    )


def event_row(event: MembershipEvent) -> EventRow:
    return EventRow(at=event.at, kind=label(EVENT_LABELS, event.kind), summary=event_summary(event))


def wage_row(report: WageReport) -> WageRow:
    return WageRow(
        period=period_text(report.period),
        wage=money(report.wage_idr),
        reported_at=report.reported_at,
    )


def phone_text(phone: str | None, *, full: bool) -> str:
    if not phone:
        return ""
    return phone if full else mask_phone(phone)


def nik_text(nik: str, *, full: bool) -> str:
    return nik if full else mask_nik(nik)
