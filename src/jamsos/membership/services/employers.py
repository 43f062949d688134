"""Branch offices, associations and employers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.types import Industry
from jamsos.membership.checks import clean_name
from jamsos.membership.errors import (
    DuplicateBranchOffice,
    DuplicateNpwp,
    InvalidNpwp,
    NoBranchOffice,
    OutOfRange,
    RequiredField,
)
from jamsos.membership.identifiers import npwp_normalise
from jamsos.membership.models import (
    Association,
    BranchOffice,
    Employer,
    EmployerSizeChoice,
    IndustryChoice,
    RecordSource,
    Sector,
)
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.services._common import require_choice, require_level, require_levels
from jamsos.membership.services.sequences import npp_next
from jamsos.registry.models import Level, Region


@transaction.atomic
def branch_office_create(
    *, code: str, name: str, regencies: Iterable[Region], is_demo: bool = False
) -> BranchOffice:
    """Create a branch office serving ``regencies`` (regency-level regions)."""
    code = code.strip().upper()
    if not code:
        raise RequiredField(field="code")
    name = clean_name(name)
    if not name:
        raise RequiredField(field="name")
    area = require_levels(regencies, Level.REGENCY, field="service_area")
    existing = BranchOffice.objects.filter(code=code).first()
    if existing is not None:
        raise DuplicateBranchOffice(code=code, name=existing.name)
    office = BranchOffice(code=code, name=name, is_demo=is_demo)
    office.full_clean()
    office.save()
    office.service_area.set(area)
    return office


def branch_office_for_village(village: Region) -> BranchOffice | None:
    """The office whose service area holds the village's regency (first by code)."""
    return (
        BranchOffice.objects.filter(
            service_area__edition_id=village.edition_id,
            service_area__code=village.regency_code,
        )
        .order_by("code")
        .first()
    )


@transaction.atomic
def association_get_or_create(*, code: str, name: str) -> Association:
    association, _ = Association.objects.get_or_create(code=code, defaults={"name": name})
    return association


@transaction.atomic
def employer_register(
    *,
    npwp: str,
    legal_name: str,
    size: str,
    sector: str,
    risk_class: int,
    address_village: Region,
    industry: str = Industry.OTHER.value,
    branch_office: BranchOffice | None = None,
    associations: Iterable[Association] = (),
    registered_on: date | None = None,
    source: str = RecordSource.SERVICE,
    by: Scope | None = None,
) -> Employer:
    """Register an employer and give it an NPP (``by``: MEMBERSHIP's ``employer.register``).

    The branch office defaults to the one serving the address's regency; the NPWP is stored in
    its 16-digit form (a 15-digit NPWP gets its leading 0) so that both forms are one employer.
    """
    MEMBERSHIP.require(by, "employer.register")
    legal_name = clean_name(legal_name)
    if not legal_name:
        raise RequiredField(field="legal_name")
    normalised = npwp_normalise(npwp)
    if normalised is None:
        raise InvalidNpwp(value=npwp)
    size = require_choice(size, EmployerSizeChoice, field="size")
    sector = require_choice(str(sector).strip().upper(), Sector, field="sector")
    industry = require_choice(industry, IndustryChoice, field="industry")
    if isinstance(risk_class, bool) or risk_class not in range(1, 6):
        raise OutOfRange(field="risk_class", value=risk_class, minimum=1, maximum=5)
    require_level(address_village, Level.VILLAGE, field="address_village")
    existing = Employer.objects.filter(npwp=normalised).first()
    if existing is not None:
        raise DuplicateNpwp(npwp=normalised, legal_name=existing.legal_name, npp=existing.npp)
    office = branch_office or branch_office_for_village(address_village)
    if office is None:
        raise NoBranchOffice(regency=address_village.regency_code)
    employer = Employer(
        npp=npp_next(province_code=address_village.province_code),
        npwp=normalised,
        legal_name=legal_name,
        size=size,
        sector=sector,
        risk_class=risk_class,
        industry=industry,
        address_village=address_village,
        branch_office=office,
        registered_on=registered_on or today_in_jakarta(),
        source=source,
    )
    employer.full_clean(validate_unique=False, validate_constraints=False)
    employer.save()
    employer.associations.set(list(associations))
    return employer
