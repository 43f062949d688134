"""Reading employers' applications, scoped by the caller."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.employer_signup.errors import ApplicationNotFound
from jamsos.employer_signup.models import ApplicationStatus, EmployerApplication
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP
from jamsos.membership.models import Employer


def applications_visible(scope: Scope) -> QuerySet[EmployerApplication]:
    query = EmployerApplication.objects.all()
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        return query.filter(branch_office_id=scope.branch_office_id)
    return query.none()


def _with_npwp_checks(query: QuerySet[EmployerApplication]) -> QuerySet[EmployerApplication]:
    """Each application with what its NPWP already is, for the officer (never the applicant,
    who gets the same answer either way): ``npwp_taken_npp``, the NPP of the employer already
    registered with it (or ``None``), and ``npwp_pending_elsewhere``, whether another pending
    application carries it too."""
    return query.annotate(
        npwp_taken_npp=Subquery(Employer.objects.filter(npwp=OuterRef("npwp")).values("npp")[:1]),
        npwp_pending_elsewhere=Exists(
            EmployerApplication.objects.filter(
                npwp=OuterRef("npwp"), status=ApplicationStatus.PENDING
            ).exclude(pk=OuterRef("pk"))
        ),
    )


def application_list(scope: Scope, *, status: str = "") -> QuerySet[EmployerApplication]:
    EMPLOYER_SIGNUP.require(scope, "applications.view")
    query = _with_npwp_checks(
        applications_visible(scope).select_related("address_village", "branch_office")
    )
    if status in ApplicationStatus.values:
        query = query.filter(status=status)
    return query.order_by("-submitted_at", "-id")


def application_get(scope: Scope, application_id: int) -> EmployerApplication:
    EMPLOYER_SIGNUP.require(scope, "applications.view")
    found = _with_npwp_checks(
        applications_visible(scope)
        .select_related("address_village", "branch_office", "employer")
        .filter(pk=application_id)
    ).first()
    if found is None:
        raise ApplicationNotFound(value=application_id)
    return found


def pending_count(scope: Scope) -> int:
    return applications_visible(scope).filter(status=ApplicationStatus.PENDING).count()
