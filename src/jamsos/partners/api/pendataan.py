"""Door-to-door listing over the API (mounted at ``/api/v1/partners``; docs/partners/pendataan.md).

- ``GET /campaigns``: the campaigns the caller sees;
- ``GET /campaigns/{code}/funnel?by=cadre|village|ecosystem``: counts only (analysts too);
- ``GET /campaigns/{code}/follow-up``: leads to contact (NIK and phone masked);
- ``POST /campaigns/{code}/prospects``: record one listed worker (JSON);
- ``POST /campaigns/{code}/imports`` (multipart ``file``, optional ``format``,
  ``accept_valid``): import a file; idempotent (a NIK or submission already listed is
  reported ``already_listed``, never stored twice);
- ``POST /prospects/{id}/contacted``, ``POST /prospects/{id}/register``.

Signed-in callers only; a campaign outside the scope is 404, roles without access get 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import request_language
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.partners.selectors.pendataan import (
    campaign_get,
    campaigns_visible,
    follow_up_list,
)
from jamsos.partners.services.funnel import funnel, prospect_contacted, prospect_register
from jamsos.partners.services.matching import match_reason_text
from jamsos.partners.services.prospects import prospect_record, prospects_import

router = Router(auth=SIGNED_IN)


class CampaignOut(Schema):
    code: str
    name: str
    village_code: str
    village_name: str
    branch_office: str
    partner: str | None
    agreement: str | None
    starts_on: date
    ends_on: date
    status: str


class FunnelOut(Schema):
    key: str
    listed: int
    contacted: int
    registered: int
    first_payment: int
    active_3m: int
    due_3m: int
    covered: int
    reactivation: int
    new: int
    possible_match: int


class ProspectIn(Schema):
    nik: str
    name: str
    phone: str = ""
    birth_date: date | None = None
    occupation: str = ""
    estimated_income: int | None = None
    ecosystem: str = ""
    village_code: str = ""
    address: str = ""
    consent_contact: bool = False
    cadre_code: str = ""
    source_ref: str = ""


class ProspectOut(Schema):
    id: int
    nik: str
    name: str
    phone: str
    village_code: str
    cadre: str | None
    match_status: str
    match_reason: str
    contacted_on: date | None
    registered_kpj: str | None


class RowOut(Schema):
    row: int
    status: str
    nik: str
    fields: list[str]
    reasons: list[str]
    match_status: str
    match_reason: str


class ImportOut(Schema):
    campaign: str
    format: str
    written: bool
    counts: dict[str, int]
    ignored_columns: list[str]
    rows: list[RowOut]


class RegisterIn(Schema):
    declared_income_idr: int | None = None
    sex: str | None = None
    programs: list[str] = []


def _campaign(c: Any) -> CampaignOut:
    return CampaignOut(
        code=c.code,
        name=c.name,
        village_code=c.village.code,
        village_name=c.village.name,
        branch_office=c.branch_office.code,
        partner=c.partner.code if c.partner_id else None,
        agreement=c.agreement.number if c.agreement_id else None,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        status=c.status,
    )


def _prospect(p: Any, language: str) -> ProspectOut:
    return ProspectOut(
        id=p.pk,
        nik=mask_nik(p.nik),
        name=p.name,
        phone=mask_phone(p.phone),
        village_code=p.village.code,
        cadre=p.cadre.code if p.cadre_id else None,
        match_status=p.match_status,
        match_reason=match_reason_text(p.match_reason, language),
        contacted_on=p.contacted_on,
        registered_kpj=p.registered_membership.kpj if p.registered_membership_id else None,
    )


@router.get("/campaigns", response=list[CampaignOut], url_name="pendataan-campaigns")
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        return [_campaign(c) for c in campaigns_visible(scope).order_by("code")]


@router.get("/campaigns/{code}/funnel", response=list[FunnelOut], url_name="pendataan-funnel")
def campaign_funnel(request: HttpRequest, code: str, by: str = "cadre") -> list[FunnelOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        campaign = campaign_get(scope, code)
        return [FunnelOut(**r.as_dict()) for r in funnel(scope, campaign=campaign, by=by)]


@router.get(
    "/campaigns/{code}/follow-up", response=list[ProspectOut], url_name="pendataan-follow-up"
)
def campaign_follow_up(request: HttpRequest, code: str) -> list[ProspectOut]:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        campaign = campaign_get(scope, code)
        leads = follow_up_list(scope, campaign)
        audit_record(scope, AuditAction.EXPORT, campaign, detail={"follow_up": len(leads)})
        return [_prospect(p, language) for p in leads]


@router.post(
    "/campaigns/{code}/prospects",
    response={201: ProspectOut},
    url_name="pendataan-prospect-create",
)
def prospect_create(request: HttpRequest, code: str, data: ProspectIn) -> Status[ProspectOut]:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        prospect = prospect_record(scope=scope, campaign=code, values=data.dict())
        return Status(201, _prospect(prospect, language))


@router.post(
    "/campaigns/{code}/imports",
    response={200: ImportOut, 201: ImportOut},
    url_name="pendataan-import",
)
def prospect_import(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    format: Form[str] = "",
    accept_valid: Form[bool] = False,
) -> Status[ImportOut]:
    from jamsos.uploads.parsing import read_capped

    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        content = read_capped(file, file_name=file.name or "")
        result = prospects_import(
            scope=scope,
            campaign=code,
            content=content,
            file_name=file.name or "",
            file_format=format or None,
            accept_valid=accept_valid,
        )
        out = ImportOut(
            campaign=result.campaign.code,
            format=result.file_format,
            written=result.written,
            counts=result.counts,
            ignored_columns=result.ignored_columns,
            rows=[
                RowOut(
                    row=r.line,
                    status=r.status,
                    nik=mask_nik(r.nik) if len(r.nik) == 16 else r.nik,
                    fields=[p.field for p in r.problems],
                    reasons=[p.message(language) for p in r.problems],
                    match_status=r.match_status,
                    match_reason=match_reason_text(r.match_reason, language),
                )
                for r in result.rows
            ],
        )
        return Status(201 if result.counts["stored"] else 200, out)


@router.post(
    "/prospects/{prospect_id}/contacted",
    response=ProspectOut,
    url_name="pendataan-prospect-contacted",
)
def contacted(request: HttpRequest, prospect_id: int) -> ProspectOut:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        return _prospect(prospect_contacted(scope=scope, prospect=prospect_id), language)


@router.post(
    "/prospects/{prospect_id}/register",
    response={201: ProspectOut},
    url_name="pendataan-prospect-register",
)
def register(request: HttpRequest, prospect_id: int, data: RegisterIn) -> Status[ProspectOut]:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        prospect = prospect_register(
            scope=scope,
            prospect=prospect_id,
            declared_income_idr=data.declared_income_idr,
            sex=data.sex,
            programs=data.programs,
        )
        return Status(201, _prospect(prospect, language))
