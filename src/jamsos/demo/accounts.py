"""The demo accounts: one per role on the demo population, password ``DEMO_PASSWORD``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from jamsos.access.models import ApiToken, Role, UserAccess
from jamsos.access.services import DEMO_PASSWORD
from jamsos.membership.models import BranchOffice, Employer, Membership, RecordSource
from jamsos.membership.services.accounts import user_access_grant


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    bound_to: str


def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """One account per role on the demo population, for trying the pages and the API.

    The branch officer works at the demo office with the most memberships; the employer user at
    its employer with the most active wage earners; the worker is that employer's
    longest-serving active wage earner; the
    partner user holds the partner reference with the most registrations.
    """
    office_id = (
        Membership.objects.filter(source=RecordSource.DEMO)
        .values("branch_office_id")
        .annotate(n=Count("id"))
        .order_by("-n", "branch_office_id")
        .values_list("branch_office_id", flat=True)
        .first()
    )
    if office_id is None:
        return []
    office = BranchOffice.objects.get(pk=office_id)
    employer_id = (
        Membership.objects.filter(branch_office_id=office_id, segment="PU", status="active")
        .values("employer_id")
        .annotate(n=Count("id"))
        .order_by("-n", "employer_id")
        .values_list("employer_id", flat=True)
        .first()
    )
    employer = Employer.objects.get(pk=employer_id) if employer_id else None
    worker = None
    if employer is not None:
        worker = (
            Membership.objects.filter(employer=employer, segment="PU", status="active")
            .select_related("person")
            .order_by("start_date", "id")
            .first()
        )
    partner_ref = (
        Membership.objects.filter(branch_office_id=office_id, partner_ref__isnull=False)
        .values("partner_ref")
        .annotate(n=Count("id"))
        .order_by("-n", "partner_ref")
        .values_list("partner_ref", flat=True)
        .first()
    )
    regencies = list(office.service_area.all())
    accounts = [DemoAccount("demo-admin", Role.ADMIN, "")]
    user_access_grant(username="demo-admin", role=Role.ADMIN, password=password, is_demo=True)
    _superuser("demo-admin")
    user_access_grant(
        username="demo-cabang",
        role=Role.BRANCH_OFFICER,
        branch_office=office,
        password=password,
        is_demo=True,
    )
    accounts.append(DemoAccount("demo-cabang", Role.BRANCH_OFFICER, str(office)))
    if employer is not None:
        user_access_grant(
            username="demo-perusahaan",
            role=Role.EMPLOYER_USER,
            employer=employer,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-perusahaan", Role.EMPLOYER_USER, str(employer)))
    if worker is not None:
        user_access_grant(
            username="demo-peserta",
            role=Role.WORKER,
            person=worker.person,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-peserta", Role.WORKER, f"KPJ {worker.kpj}"))
    if partner_ref:
        user_access_grant(
            username="demo-mitra",
            role=Role.PARTNER_USER,
            partner_ref=partner_ref,
            partner_regions=regencies,
            password=password,
            is_demo=True,
        )
        accounts.append(DemoAccount("demo-mitra", Role.PARTNER_USER, partner_ref))
    user_access_grant(username="demo-analis", role=Role.ANALYST, password=password, is_demo=True)
    accounts.append(DemoAccount("demo-analis", Role.ANALYST, ""))
    return accounts


def _superuser(username: str) -> None:
    get_user_model().objects.filter(username=username).update(is_superuser=True, is_staff=True)


def demo_users_remove() -> int:
    users = get_user_model().objects.filter(jamsos_access__is_demo=True)
    ApiToken.objects.filter(user__in=users).delete()
    UserAccess.objects.filter(is_demo=True).delete()
    count, _ = users.delete()
    return count
