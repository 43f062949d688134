"""Construction projects (Jakon) and migrant workers' placements (PMI).

``POST /projects`` registers a contractor's construction contract; ``POST /registrations/pmi``
registers a migrant worker for a placement abroad. A branch officer registers the projects of
its office's contractors and the migrant workers living in its office's area; an administrator
anyone's. Neither writes an invoice: the billing run of the start month bills the project to the
contractor (JKK and JKM on the contract value, by band) and the package to the participant.
Refusals name the field (400), nothing is written when one is refused.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.legal.types import Segment
from jamsos.membership.api.common import WRITE_ERRORS, region_for
from jamsos.membership.api.registrations import person_for_registration, registered_meanwhile
from jamsos.membership.api.schemas import (
    PmiRegistrationIn,
    PmiRegistrationOut,
    ProjectIn,
    ProjectOut,
    employer_ref,
    membership_out,
    region_ref,
)
from jamsos.membership.models import Channel, ConstructionProject, Person
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import employer_get_by_npp, segment_contribution_idr
from jamsos.membership.services import construction_project_register, pmi_register

router = Router(tags=["registration"])


def project_out(project: ConstructionProject) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "contractor": employer_ref(project.contractor),
        "contract_value_idr": project.contract_value_idr,
        "village": region_ref(project.village),
        "start_date": project.start_date,
        "end_date": project.end_date,
        "contribution_idr": segment_contribution_idr(
            Segment.JAKON, project.start_date, contract_value_idr=project.contract_value_idr
        ),
    }


@router.post(
    "/projects",
    auth=SIGNED_IN,
    response={201: ProjectOut, **WRITE_ERRORS},
    summary="Register a construction project (Jakon) of a contractor",
    url_name="projects-create",
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    """A branch officer registers the projects of its office's contractors (another office's
    NPP is 404); an administrator any contractor's. The site is a village code. The start is
    at most a year ahead, the project at most ten years long; the end not before the start.
    The response gives what the billing run of the start month bills the contractor."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "jakon.register")
    contractor = employer_get_by_npp(scope, npp=payload.npp)
    village = region_for(payload.village, field="village")
    project = construction_project_register(
        contractor=contractor,
        name=payload.name,
        contract_value_idr=payload.contract_value_idr,
        village=village,
        start_date=payload.start_date,
        end_date=payload.end_date,
        by=scope,
    )
    return Status(201, project_out(project))


@router.post(
    "/registrations/pmi",
    auth=SIGNED_IN,
    response={201: PmiRegistrationOut, **WRITE_ERRORS},
    summary="Register a migrant worker's placement abroad (PMI)",
    url_name="registrations-pmi",
)
def registration_pmi(request: HttpRequest, payload: PmiRegistrationIn) -> Status[dict[str, Any]]:
    """Before departure: the destination (ISO country code), the agreement's length in months
    (1 to 120) and the day protection starts (at most a year ahead). A branch officer registers
    people living in its office's area (403 `membership.outside_office_area` otherwise). The
    person is new (every field) or registered (by NIK), as for the other registrations."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "pmi.register")
    person = person_for_registration(scope, payload)
    with registered_meanwhile():
        membership = pmi_register(
            person=person,
            destination_country=payload.destination_country,
            placement_months=payload.placement_months,
            start_date=payload.start_date,
            channel=Channel.BRANCH,
            by=scope,
        )
    placement = membership.placement
    assert placement is not None
    return Status(
        201,
        {
            "membership": membership_out(membership),
            "person_created": not isinstance(person, Person),
            "placement": {
                "destination_country": placement.destination_country,
                "placement_months": placement.placement_months,
                "start_date": placement.start_date,
                "end_date": placement.end_date,
            },
            "package_idr": segment_contribution_idr(
                Segment.PMI, placement.start_date, placement_months=placement.placement_months
            ),
        },
    )
