"""Matching reads each spelling of a NIK as the registered person or as an invalid NIK: fullwidth
digits, spaces and zero-width characters find the person; a digit of another script matches
nobody (the NIK is invalid), so it is never a new person."""

from __future__ import annotations

from datetime import date

import polars as pl

from jamsos.core.tests.identifier_variants import variant_params
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.services.matching import match_rows

TODAY = date(2025, 3, 15)


def test_every_spelling_of_a_registered_nik(regions: Regions) -> None:
    person = person_create(domicile=regions.cileunyi_kulon)
    spellings = variant_params(person.nik)
    rows = pl.DataFrame(
        {
            "nik": [spelling for _, spelling, _ in spellings],
            "name": [person.name] * len(spellings),
            "birth_date": [None] * len(spellings),
            "village_code": ["3204052001"] * len(spellings),
        },
        schema_overrides={"birth_date": pl.Date},
    )
    out = match_rows(rows, today=TODAY)
    first_same = next(i for i, (_, _, same) in enumerate(spellings) if same)
    for i, (name, _spelling, same) in enumerate(spellings):
        status, reason, person_id = (
            out["match_status"][i],
            out["match_reason"][i],
            out["person_id"][i],
        )
        if not same:
            assert (status, reason, person_id) == (None, "nik_invalid", None), name
        elif i == first_same:
            assert person_id == person.pk, name
        else:
            assert (status, out["duplicate_of"][i]) == ("duplicate", first_same), name
