"""factory_boy factories that go through the services, so every row obeys the rules."""

from __future__ import annotations

from datetime import date

import factory

from jamsos.membership.identifiers import nik_make, npwp_make
from jamsos.membership.services import PersonData, employer_register, person_register


class PersonDataFactory(factory.Factory):
    """Data of a new person in Cileunyi (32.04.05) whose NIK agrees with birth date and sex."""

    class Meta:
        model = PersonData

    class Params:
        serial = factory.Sequence(lambda n: n + 1)
        district = "320405"

    name = factory.Sequence(lambda n: f"Budi Santoso {n}")
    birth_date = date(1990, 5, 17)
    sex = "M"
    domicile = None
    phone = "0812-3456-7890"
    nik = factory.LazyAttribute(
        lambda o: nik_make(
            district_code_nodot=o.district, birth_date=o.birth_date, sex=o.sex, serial=o.serial
        )
    )


def person_create(*, domicile, today: date = date(2025, 3, 15), **kwargs):
    data = PersonDataFactory(domicile=domicile, **kwargs)
    return person_register(
        nik=data.nik,
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        domicile=data.domicile,
        phone=data.phone,
        today=today,
    )


_npwp_serial = iter(range(1, 1_000_000))


def employer_create(*, village, size: str = "large", **kwargs):
    values = {
        "npwp": npwp_make(taxpayer_type=1, serial=next(_npwp_serial), tax_office=428),
        "legal_name": "PT Sumber Makmur Jaya",
        "size": size,
        "sector": "C",
        "risk_class": 3,
        "address_village": village,
        "registered_on": date(2020, 1, 2),
    }
    values.update(kwargs)
    return employer_register(**values)
