"""``GET /me``: who the caller is, their role, and what their scope covers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.access.services import role_name
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import ErrorOut, request_language
from jamsos.membership.api.schemas import MeOut, employer_ref, office_ref, person_ref
from jamsos.membership.models import BranchOffice, Employer, Person
from jamsos.membership.policy import MEMBERSHIP
from jamsos.registry.models import Region

router = Router(tags=["me"], auth=SIGNED_IN)

#: What each role sees, in words ({bound} is what the account is bound to).
SCOPE_TEXTS: dict[Role | None, dict[str, str]] = {
    Role.ADMIN: {"id": "Semua data.", "en": "Everything."},
    Role.BRANCH_OFFICER: {
        "id": "Kepesertaan dan pemberi kerja yang dilayani {bound}, dan orang yang berdomisili "
        "di wilayah layanannya.",
        "en": "Memberships and employers served by {bound}, and people living in its service area.",
    },
    Role.EMPLOYER_USER: {
        "id": "{bound}, kepesertaan pekerjanya dan data pekerja tersebut.",
        "en": "{bound}, its workers' memberships and those workers' data.",
    },
    Role.WORKER: {
        "id": "Data Anda sendiri dan kepesertaan Anda.",
        "en": "Your own data and memberships.",
    },
    Role.PARTNER_USER: {
        "id": "Kepesertaan yang didaftarkan mitra {bound} dan data pesertanya; agregat di "
        "wilayah perjanjian.",
        "en": "Memberships registered by partner {bound} and their participants' data; "
        "aggregates in the agreement's regions.",
    },
    Role.ANALYST: {
        "id": "Hanya angka agregat, tanpa data pribadi.",
        "en": "Aggregate figures only, no personal data.",
    },
    None: {
        "id": "Tidak ada: akun ini belum diberi peran.",
        "en": "Nothing: this account has no role yet.",
    },
}


def _regions(codes: frozenset[str]) -> list[dict[str, str]]:
    if not codes:
        return []
    rows = Region.objects.filter(edition__is_current=True, code__in=codes).order_by("code")
    return [{"code": r.code, "name": r.name} for r in rows]


def scope_out(scope: Scope, language: str) -> dict[str, Any]:
    office = (
        BranchOffice.objects.filter(pk=scope.branch_office_id).first()
        if scope.branch_office_id
        else None
    )
    employer = Employer.objects.filter(pk=scope.employer_id).first() if scope.employer_id else None
    person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    bound = ""
    if office is not None:
        bound = f"{office.code} {office.name}"
    elif employer is not None:
        bound = f"{employer.legal_name} (NPP {employer.npp})"
    elif scope.partner_ref:
        bound = scope.partner_ref
    return {
        "description": SCOPE_TEXTS[scope.role][language].format(bound=bound),
        "branch_office": office_ref(office),
        "regencies": _regions(scope.regency_codes),
        "employer": employer_ref(employer),
        "person": person_ref(person) if person is not None else None,
        "partner_ref": scope.partner_ref or None,
        "partner_regions": _regions(scope.partner_region_codes),
    }


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="Who am I",
    url_name="me",
)
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in account, its role, whether it may see personal data and register, and
    what its scope covers (the office and its regencies, the employer, the person, or the
    partner)."""
    scope = caller_scope(request)
    language = request_language(request)
    return {
        "username": request.auth.get_username(),  # type: ignore[attr-defined]
        "role": scope.role.value if scope.role else None,
        "role_name": role_name(scope.role)[language],
        "authenticated_by": getattr(request, "jamsos_auth_method", "session"),
        "sees_personal_data": MEMBERSHIP.allows(scope, "person.view"),
        "may_register": MEMBERSHIP.allows(scope, "pu.register")
        or MEMBERSHIP.allows(scope, "bpu.register"),
        "scope": scope_out(scope, language),
    }
