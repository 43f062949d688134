"""Memberships: list, export, detail with history, end, and monthly wage reports.

Interface only: ``membership_list`` and ``membership_get_by_kpj`` filter by the caller's scope
(a KPJ outside it is 404, like one that does not exist); ``membership_end`` and
``wage_report_submit`` write, append the history and the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Router, Status

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.pagination import DEFAULT_LIMIT, Key, Keyset, page_fields, page_of
from jamsos.core.exports import CSV_TYPE, csv_lines
from jamsos.core.masking import mask_nik
from jamsos.membership.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Cursor,
    Limit,
    WithCount,
)
from jamsos.membership.api.schemas import (
    MembershipDetailOut,
    MembershipEndIn,
    MembershipListOut,
    MembershipOut,
    SegmentName,
    StatusName,
    WageReportIn,
    WageReportListOut,
    WageReportOut,
    membership_detail_out,
    membership_out,
    wage_report_out,
)
from jamsos.membership.models import Membership, WageSource
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    membership_events,
    membership_get_by_kpj,
    membership_list,
    wage_reports,
)
from jamsos.membership.services import membership_end, wage_report_submit

router = Router(tags=["memberships"], auth=SIGNED_IN)

#: The order of ``membership_list`` (newest start first), served by the index on
#: ``(branch_office, status, -start_date)`` for an office's list.
MEMBERSHIP_ORDER = Keyset(
    "memberships", (Key("start_date", date, descending=True), Key("id", int, descending=True))
)
LATEST_WAGE_REPORTS = 12


EXPORT_COLUMNS = (
    "kpj",
    "segment",
    "status",
    "nik",
    "name",
    "employer_npp",
    "employer_name",
    "branch_office",
    "partner_ref",
    "programs",
    "start_date",
    "end_date",
    "end_reason",
    "declared_income_idr",
    "channel",
)
_EXPORT_VALUES = (
    "kpj",
    "segment",
    "status",
    "person__nik",
    "person__name",
    "employer__npp",
    "employer__legal_name",
    "branch_office__code",
    "partner_ref",
    "programs",
    "start_date",
    "end_date",
    "end_reason",
    "declared_income_idr",
    "channel",
)
_NIK_COLUMN = EXPORT_COLUMNS.index("nik")


def _filtered(
    scope: Scope, segment: str | None, status: str | None, employer: str | None
) -> QuerySet[Membership]:
    query = membership_list(scope, segment=segment, status=status)
    if employer:
        # Within the caller's memberships: an unknown or invisible NPP gives an empty list.
        query = query.filter(employer__npp=employer.strip())
    return query


@router.get(
    "/memberships",
    response={200: MembershipListOut, **READ_ERRORS},
    summary="List memberships",
    url_name="memberships-list",
)
def memberships_list(
    request: HttpRequest,
    segment: SegmentName | None = None,
    status: StatusName | None = None,
    employer: str | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    with_count: WithCount = False,
) -> dict[str, Any]:
    """The memberships the caller may see, newest start first, a page at a time (follow
    `next`). Filters: `segment`, `status`, `employer` (NPP). NIK masked.

    Analysts and accounts without a role: 403.
    """
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    page = page_of(
        _filtered(scope, segment, status, employer),
        MEMBERSHIP_ORDER,
        cursor=cursor,
        limit=limit,
        with_count=with_count,
    )
    return {"items": [membership_out(m) for m in page.items], **page_fields(request, page)}


def _csv_lines(rows: Iterator[tuple[Any, ...]], *, full_nik: bool) -> Iterator[str]:
    def values() -> Iterator[list[Any]]:
        for row in rows:
            cells = list(row)
            if not full_nik:
                cells[_NIK_COLUMN] = mask_nik(row[_NIK_COLUMN])
            yield cells

    return csv_lines(values(), EXPORT_COLUMNS)


@router.get(
    "/memberships/export.csv",
    response={**READ_ERRORS},
    summary="Export memberships as CSV (audited)",
    url_name="memberships-export",
    openapi_extra={
        "responses": {
            "200": {
                "description": "CSV, UTF-8, one row per membership: " + ", ".join(EXPORT_COLUMNS),
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def memberships_export(
    request: HttpRequest,
    segment: SegmentName | None = None,
    status: StatusName | None = None,
    employer: str | None = None,
) -> StreamingHttpResponse:
    """Every membership the caller may see (same filters as the list), streamed as CSV. The
    NIK is masked unless the caller is an administrator. Each export is written to the audit
    trail with its filters and row count, before the first row is sent."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    query = _filtered(scope, segment, status, employer)
    rows = query.count()
    full_nik = scope.is_admin
    audit_record(
        scope,
        AuditAction.EXPORT,
        target_type="membership.membership",
        label="memberships.csv",
        detail={
            "rows": rows,
            "filters": {"segment": segment, "status": status, "employer": employer},
            "nik": "full" if full_nik else "masked",
        },
    )
    values = query.values_list(*_EXPORT_VALUES).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_lines(values, full_nik=full_nik), content_type=CSV_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="memberships-{stamp}.csv"'
    response["X-Row-Count"] = str(rows)
    return response


@router.get(
    "/memberships/{kpj}",
    response={200: MembershipDetailOut, **READ_ERRORS},
    summary="One membership with its history",
    url_name="memberships-detail",
)
def membership_detail(request: HttpRequest, kpj: str) -> dict[str, Any]:
    """The membership, its history (started, programs, wage and income changes, end) and the
    latest 12 wage reports. A KPJ outside the caller's scope is 404."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    events = list(membership_events(scope, membership=membership))
    wages = list(wage_reports(scope, membership=membership)[:LATEST_WAGE_REPORTS])
    return membership_detail_out(membership, events, wages)


@router.post(
    "/memberships/{kpj}/end",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="End a membership",
    url_name="memberships-end",
)
def membership_end_api(request: HttpRequest, kpj: str, payload: MembershipEndIn) -> dict[str, Any]:
    """Administrators, branch officers and employer users end the memberships in their scope
    (an employer user: its own workers). Wage reports and history stay. 409
    `membership.already_ended` when it has ended already."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "membership.end")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    ended = membership_end(
        membership=membership, end_date=payload.end_date, reason=payload.reason, by=scope
    )
    ended.person = membership.person
    ended.employer = membership.employer
    ended.branch_office = membership.branch_office
    return membership_out(ended)


@router.get(
    "/memberships/{kpj}/wage-reports",
    response={200: WageReportListOut, **READ_ERRORS},
    summary="The wages reported for a membership",
    url_name="memberships-wage-reports",
)
def membership_wage_reports(request: HttpRequest, kpj: str) -> dict[str, Any]:
    """Every month reported, newest first (at most one row per month of membership)."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    reports = wage_reports(scope, membership=membership)
    return {"kpj": membership.kpj, "items": [wage_report_out(r) for r in reports]}


@router.post(
    "/memberships/{kpj}/wage-reports",
    response={201: WageReportOut, **WRITE_ERRORS},
    summary="Report a month's wage",
    url_name="memberships-wage-report-submit",
)
def membership_wage_report_submit(
    request: HttpRequest, kpj: str, payload: WageReportIn
) -> Status[dict[str, Any]]:
    """A PU member's wage for one month (`YYYY-MM`), by the employer user, a branch officer or
    an administrator. A month is reported once (409 `membership.wage_already_reported`); a
    month outside the membership is refused (400). A wage different from the month before
    appends a `wage_changed` event."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "wage.report")
    membership = membership_get_by_kpj(scope, kpj=kpj)
    source = WageSource.EMPLOYER if scope.role == Role.EMPLOYER_USER else WageSource.BRANCH
    report = wage_report_submit(
        membership=membership,
        period=payload.period,
        wage_idr=payload.wage_idr,
        source=source,
        by=scope,
    )
    return Status(201, wage_report_out(report))
