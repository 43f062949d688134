"""What the registry API sends and receives, and how a record becomes a response.

Regions and offices are ``{code, name}``; dates are ISO 8601; money is whole rupiah in fields
ending in ``_idr``. NIK and phone are masked (``3204********0001``, ``0812****7890``) unless the
response is a full view, which says so with ``masked: false`` and is written to the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from jamsos.api.pagination import PageOut
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.models import (
    BranchOffice,
    Employer,
    Membership,
    MembershipEvent,
    Person,
    WageReport,
)
from jamsos.registry.models import Region

SegmentName = Literal["PU", "BPU", "JAKON", "PMI"]
StatusName = Literal["active", "ended"]
SexName = Literal["M", "F"]

# --- references ----------------------------------------------------------------------------


class RegionRef(Schema):
    code: str = Field(examples=["32.04.05.2001"])
    name: str = Field(examples=["Cileunyi Kulon"])


class BranchOfficeRef(Schema):
    code: str = Field(examples=["KC3204"])
    name: str = Field(examples=["Kantor Cabang Bandung"])


class EmployerRef(Schema):
    npp: str = Field(examples=["3200000010"])
    legal_name: str = Field(examples=["PT Sumber Makmur Jaya"])


class PersonRef(Schema):
    id: int
    name: str
    nik: str = Field(description="Masked", examples=["3204********0001"])


def region_ref(region: Region | None) -> dict[str, str] | None:
    return None if region is None else {"code": region.code, "name": region.name}


def office_ref(office: BranchOffice | None) -> dict[str, str] | None:
    return None if office is None else {"code": office.code, "name": office.name}


def employer_ref(employer: Employer | None) -> dict[str, str] | None:
    return None if employer is None else {"npp": employer.npp, "legal_name": employer.legal_name}


def person_ref(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.name, "nik": mask_nik(person.nik)}


# --- people ----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int = Field(description="Record number, for /people/{id}")
    nik: str = Field(description="Masked unless `masked` is false", examples=["3204********0001"])
    name: str
    birth_date: date
    sex: SexName
    phone: str | None = Field(
        description="Masked (0812****7890) unless `masked` is false (E.164); null when none",
    )
    domicile: RegionRef = Field(description="Village (desa/kelurahan) of residence")
    masked: bool = Field(description="True when NIK and phone are masked")


class PersonListOut(PageOut):
    items: list[PersonOut]
    search: Literal["nik", "kpj", "name", "empty"] | None = Field(
        None, description="How `q` was read; null for the plain list"
    )


def person_out(person: Person, *, full: bool = False) -> dict[str, Any]:
    return {
        "id": person.pk,
        "nik": person.nik if full else mask_nik(person.nik),
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "phone": (person.phone if full else mask_phone(person.phone)) or None,
        "domicile": region_ref(person.domicile),
        "masked": not full,
    }


class PersonUpdateIn(Schema):
    """Only the fields sent are changed. NIK, birth date and sex come from the NIK and are not
    edited (a wrong NIK is a different person)."""

    name: str | None = Field(None, description="Full name as on the KTP", max_length=120)
    phone: str | None = Field(
        None, description='Indonesian number in any usual form; "" removes it', max_length=32
    )
    domicile: str | None = Field(
        None, description="Village code of the new domicile", examples=["32.73.01.1001"]
    )


# --- memberships -----------------------------------------------------------------------------


class MembershipOut(Schema):
    kpj: str = Field(examples=["25000000015"])
    segment: SegmentName
    status: StatusName
    programs: list[str] = Field(examples=[["JKK", "JKM", "JHT"]])
    start_date: date
    end_date: date | None
    end_reason: str | None
    channel: str = Field(description="Who registered it: self, employer, partner, cadre, branch")
    person: PersonRef
    employer: EmployerRef | None = Field(description="PU: the employer; Jakon: the contractor")
    branch_office: BranchOfficeRef | None
    partner_ref: str | None = Field(description="The partner that registered it, if any")
    declared_income_idr: int | None = Field(description="BPU: declared monthly income")


class MembershipListOut(PageOut):
    items: list[MembershipOut]


class EventOut(Schema):
    kind: Literal["started", "programs_changed", "wage_changed", "income_changed", "ended"]
    at: datetime
    data: dict[str, Any] = Field(description="Values before and after")


class WageReportOut(Schema):
    period: str = Field(examples=["2025-03"])
    wage_idr: int
    reported_at: datetime
    source: str


class SponsorOut(Schema):
    name: str
    kind: str = Field(description="regional_budget, csr or zakat")
    ref: str | None


class PlacementOut(Schema):
    destination_country: str = Field(examples=["MY"])
    placement_months: int
    start_date: date
    end_date: date


class MembershipDetailOut(MembershipOut):
    ecosystem: str | None = Field(description="BPU: where the participant was reached")
    sponsor: SponsorOut | None
    project: str | None = Field(description="Jakon: the construction project")
    placement: PlacementOut | None = Field(description="PMI: the placement abroad")
    events: list[EventOut] = Field(description="The history, oldest first")
    wage_reports: list[WageReportOut] = Field(
        description="PU: the latest 12 months reported, newest first (all: /wage-reports)"
    )


def membership_out(membership: Membership) -> dict[str, Any]:
    return {
        "kpj": membership.kpj,
        "segment": membership.segment,
        "status": membership.status,
        "programs": [p for p in membership.programs.split(",") if p],
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "end_reason": membership.end_reason or None,
        "channel": membership.channel,
        "person": person_ref(membership.person),
        "employer": employer_ref(membership.employer),
        "branch_office": office_ref(membership.branch_office),
        "partner_ref": membership.partner_ref,
        "declared_income_idr": membership.declared_income_idr,
    }


def membership_detail_out(
    membership: Membership, events: list[MembershipEvent], wages: list[WageReport]
) -> dict[str, Any]:
    sponsor = None
    if membership.sponsor_kind:
        sponsor = {
            "name": membership.sponsor_name,
            "kind": membership.sponsor_kind,
            "ref": membership.sponsor_ref,
        }
    placement = membership.placement
    return {
        **membership_out(membership),
        "ecosystem": membership.ecosystem or None,
        "sponsor": sponsor,
        "project": membership.project.name if membership.project else None,
        "placement": None
        if placement is None
        else {
            "destination_country": placement.destination_country,
            "placement_months": placement.placement_months,
            "start_date": placement.start_date,
            "end_date": placement.end_date,
        },
        "events": [{"kind": e.kind, "at": e.at, "data": e.data} for e in events],
        "wage_reports": [wage_report_out(w) for w in wages],
    }


def wage_report_out(report: WageReport) -> dict[str, Any]:
    return {
        "period": report.period,
        "wage_idr": report.wage_idr,
        "reported_at": report.reported_at,
        "source": report.source,
    }


class PersonDetailOut(PersonOut):
    memberships: list[MembershipOut] = Field(description="Visible memberships, current first")


class MembershipEndIn(Schema):
    end_date: date
    reason: Literal["resignation", "phk", "death", "retirement", "term_ended", "other"]


class WageReportIn(Schema):
    period: str = Field(description="Contribution month, YYYY-MM", examples=["2025-04"])
    wage_idr: int = Field(description="Monthly wage, whole rupiah", examples=[5000000])


class WageReportListOut(Schema):
    kpj: str
    items: list[WageReportOut] = Field(description="Every month reported, newest first")


# --- employers -------------------------------------------------------------------------------


class EmployerOut(Schema):
    npp: str = Field(examples=["3200000010"])
    npwp: str = Field(description="16 digits")
    legal_name: str
    size: Literal["micro", "small", "medium", "large"]
    sector: str = Field(description="KBLI 2020 section, A to U")
    risk_class: int = Field(description="JKK risk class, 1 (very low) to 5 (very high)")
    industry: str
    address_village: RegionRef
    branch_office: BranchOfficeRef
    registered_on: date


class EmployerDetailOut(EmployerOut):
    active_memberships: int = Field(description="Active memberships with this employer")


class EmployerListOut(PageOut):
    items: list[EmployerOut]


def employer_out(employer: Employer) -> dict[str, Any]:
    return {
        "npp": employer.npp,
        "npwp": employer.npwp,
        "legal_name": employer.legal_name,
        "size": employer.size,
        "sector": employer.sector,
        "risk_class": employer.risk_class,
        "industry": employer.industry,
        "address_village": region_ref(employer.address_village),
        "branch_office": office_ref(employer.branch_office),
        "registered_on": employer.registered_on,
    }


class EmployerIn(Schema):
    npwp: str = Field(description="15 or 16 digits, dots and dashes allowed")
    legal_name: str = Field(max_length=200)
    size: str = Field(description="micro, small, medium or large")
    sector: str = Field(description="KBLI 2020 section letter, A to U")
    risk_class: int = Field(description="JKK risk class 1 to 5")
    industry: str = Field("other", description="PP 7/2025 industry, or other")
    address_village: str = Field(description="Village code of the address")
    branch_office: str | None = Field(
        None,
        description="Administrators only: the serving office's code (default: the office "
        "serving the address). A branch officer always registers for their own office.",
    )


# --- registrations ---------------------------------------------------------------------------


class PersonFieldsIn(Schema):
    """The person: an existing one by NIK, or a new one with every field."""

    nik: str = Field(description="16 digits", examples=["3204055705900001"])
    name: str | None = Field(None, max_length=120, description="Required for a new person")
    birth_date: date | None = Field(None, description="Required for a new person")
    sex: str | None = Field(None, description="M or F; required for a new person")
    domicile: str | None = Field(
        None, description="Village code; required for a new person", examples=["32.04.05.2001"]
    )
    phone: str | None = Field(None, max_length=32)


class PuRegistrationIn(PersonFieldsIn):
    npp: str | None = Field(
        None, description="The employer; an employer user may leave it out (their own)"
    )
    wage_idr: int = Field(description="Monthly wage, whole rupiah", examples=[5000000])
    start_date: date
    programs: list[str] = Field(
        default_factory=list, description="Optional programs on top of the mandatory ones"
    )


class BpuRegistrationIn(PersonFieldsIn):
    declared_income_idr: int = Field(description="Declared monthly income, whole rupiah")
    programs: list[str] = Field(default_factory=list, description="JHT may be added")
    ecosystem: str = Field("none", description="pasar, desa_kelurahan, e_commerce, umkm, rentan")
    start_date: date | None = Field(None, description="Default: today")
    sponsor_name: str | None = None
    sponsor_kind: str | None = Field(None, description="regional_budget, csr or zakat")
    sponsor_ref: str | None = None


class RegistrationOut(Schema):
    membership: MembershipOut
    person_created: bool = Field(description="True when the person was registered just now")


# --- me --------------------------------------------------------------------------------------


class ScopeOut(Schema):
    description: str = Field(description="What the caller may see, in words")
    branch_office: BranchOfficeRef | None = None
    regencies: list[RegionRef] = Field(default_factory=list)
    employer: EmployerRef | None = None
    person: PersonRef | None = None
    partner_ref: str | None = None
    partner_regions: list[RegionRef] = Field(default_factory=list)


class MeOut(Schema):
    username: str
    role: str | None = Field(description="admin, branch_officer, ..., or null for no role")
    role_name: str
    authenticated_by: Literal["token", "session"]
    sees_personal_data: bool
    may_register: bool
    scope: ScopeOut


# --- Jakon and PMI ---------------------------------------------------------------------------


#: Dates a project or a placement may carry: from the programs' start (1 July 2015) to 2100;
#: the services narrow them further (a start at most a year ahead, at most ten years long).
class ProjectIn(Schema):
    """A construction contract (SPK): billed once, in its start month, on its contract value."""

    npp: str = Field(max_length=24, description="The contractor's NPP", examples=["3200000010"])
    name: str = Field(max_length=200, description="The project's name, as on the contract")
    contract_value_idr: int = Field(
        ge=1, le=1_000_000_000_000_000, description="Contract value, whole rupiah"
    )
    village: str = Field(
        max_length=32, description="Village code of the site", examples=["32.04.05.2001"]
    )
    start_date: date = Field(
        ge=date(2015, 7, 1), le=date(2100, 12, 31), description="The SPK's start date"
    )
    end_date: date = Field(ge=date(2015, 7, 1), le=date(2100, 12, 31))


class ProjectOut(Schema):
    id: int
    name: str
    contractor: EmployerRef
    contract_value_idr: int
    village: RegionRef
    start_date: date
    end_date: date
    contribution_idr: int | None = Field(
        description="JKK + JKM on the contract value by band (Permenaker 5/2021), billed to "
        "the contractor by the billing run of the start month; null past the known parameters"
    )


class PmiRegistrationIn(PersonFieldsIn):
    destination_country: str = Field(
        min_length=2, max_length=2, description="ISO 3166-1 alpha-2", examples=["MY"]
    )
    placement_months: int = Field(ge=1, le=120, description="Length of the work agreement")
    start_date: date = Field(
        ge=date(2015, 7, 1), le=date(2100, 12, 31), description="Protection starts"
    )


class PmiRegistrationOut(RegistrationOut):
    placement: PlacementOut
    package_idr: int | None = Field(
        description="Pre-placement protection, the package covering the placement and the "
        "months beyond it (Permenaker 4/2023 Pasal 18), billed to the participant by the "
        "billing run of the start month; null past the known parameters"
    )
