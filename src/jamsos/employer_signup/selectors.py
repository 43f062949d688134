"""Reading employers' applications, scoped by the caller."""

from __future__ import annotations

from django.db.models import QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.employer_signup.errors import ApplicationNotFound
from jamsos.employer_signup.models import ApplicationStatus, EmployerApplication
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP


def applications_visible(scope: Scope) -> QuerySet[EmployerApplication]:
    query = EmployerApplication.objects.all()
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        return query.filter(branch_office_id=scope.branch_office_id)
    return query.none()


def application_list(scope: Scope, *, status: str = "") -> QuerySet[EmployerApplication]:
    EMPLOYER_SIGNUP.require(scope, "applications.view")
    query = applications_visible(scope).select_related("address_village", "branch_office")
    if status in ApplicationStatus.values:
        query = query.filter(status=status)
    return query.order_by("-submitted_at", "-id")


def application_get(scope: Scope, application_id: int) -> EmployerApplication:
    EMPLOYER_SIGNUP.require(scope, "applications.view")
    found = (
        applications_visible(scope)
        .select_related("address_village", "branch_office", "employer")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise ApplicationNotFound(value=application_id)
    return found


def pending_count(scope: Scope) -> int:
    return applications_visible(scope).filter(status=ApplicationStatus.PENDING).count()
