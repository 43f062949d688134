"""The branch officer's decision on employers' applications, mounted at
/api/v1/employer-applications (docs/registry/segments.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import ErrorOut as ErrorShape
from jamsos.api.errors import request_language
from jamsos.employer_signup.models import EmployerApplication
from jamsos.employer_signup.selectors import application_get, application_list
from jamsos.employer_signup.services import application_reject, application_verify

router = Router(tags=["employer-applications"], auth=SIGNED_IN)
_ERRORS: dict[int, Any] = {400: ErrorShape, 403: ErrorShape, 404: ErrorShape, 409: ErrorShape}


class ApplicationOut(Schema):
    id: int
    reference: str
    legal_name: str
    npwp: str
    village_code: str
    sector: str
    risk_class: int
    size: str
    branch_office: str
    status: str
    submitted_at: datetime
    reason: str
    npp: str | None


class RejectIn(Schema):
    reason: str


def _out(a: EmployerApplication) -> ApplicationOut:
    return ApplicationOut(
        id=a.pk,
        reference=a.reference,
        legal_name=a.legal_name,
        npwp=a.npwp,
        village_code=a.address_village.code,
        sector=a.sector,
        risk_class=a.risk_class,
        size=a.size,
        branch_office=a.branch_office.code,
        status=a.status,
        submitted_at=a.submitted_at,
        reason=a.reason,
        npp=a.employer.npp if a.employer_id else None,  # type: ignore[union-attr]
    )


@router.get(
    "", response={200: list[ApplicationOut], **_ERRORS}, summary="Applications of my office"
)
def list_applications(request: HttpRequest, status: str = "pending") -> list[ApplicationOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        query = application_list(scope, status=status).select_related("employer")[:200]
        return [_out(a) for a in query]


@router.post(
    "/{application_id}/verify",
    response={200: ApplicationOut, **_ERRORS},
    summary="Verify an application: the employer registered with its NPP, the contact's account",
)
def verify(request: HttpRequest, application_id: int) -> ApplicationOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        application_verify(
            scope=scope, application_id=application_id, base_url=request.build_absolute_uri("/")
        )
        return _out(application_get(scope, application_id))


@router.post(
    "/{application_id}/reject",
    response={200: ApplicationOut, **_ERRORS},
    summary="Reject an application with a reason (sent to the contact)",
)
def reject(request: HttpRequest, application_id: int, body: RejectIn) -> ApplicationOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        application_reject(scope=scope, application_id=application_id, reason=body.reason)
        return _out(application_get(scope, application_id))
