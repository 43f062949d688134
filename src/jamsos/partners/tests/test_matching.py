"""Matching a listed batch against itself and the registry: every status, with real records."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.billing.models import InvoiceLine
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.membership.identifiers import nik_make
from jamsos.membership.services import bpu_self_register, membership_end
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.services.matching import match_reason_text, match_rows

TODAY = date(2025, 3, 15)


def _bpu(person, start: date):
    return bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=start, today=TODAY
    )


def _bill(membership, period: str, *, paid: bool) -> None:
    invoice_make(
        payer_make(person=membership.person),
        period,
        due_date=date(2025, 3, 15),
        items=[("BPU", "JKK", 10_000), ("BPU", "JKM", 6_800)],
        lines=[(membership, {"base_idr": 1_000_000, "jkk_idr": 10_000, "jkm_idr": 6_800})],
    )
    if paid:
        InvoiceLine.objects.filter(membership=membership, period=period).update(
            paid_on=date(2025, 3, 10)
        )


@pytest.fixture
def registry(regions: Regions):
    village = regions.cileunyi_kulon
    paid = _bpu(person_create(domicile=village), date(2025, 2, 1))
    _bill(paid, "2025-02", paid=True)
    unpaid = _bpu(person_create(domicile=village), date(2025, 2, 1))
    _bill(unpaid, "2025-02", paid=False)
    ended = _bpu(person_create(domicile=village), date(2024, 6, 1))
    membership_end(membership=ended, end_date=date(2024, 12, 31), reason="resignation")
    fresh = _bpu(person_create(domicile=village), date(2025, 3, 1))  # after the 2025-02 run
    no_membership = person_create(domicile=village)
    lookalike = person_create(
        domicile=village, name="Siti Aminah", birth_date=date(1988, 1, 2), sex="F"
    )
    return {
        "paid": paid,
        "unpaid": unpaid,
        "ended": ended,
        "fresh": fresh,
        "no_membership": no_membership,
        "lookalike": lookalike,
        "village": village,
    }


def test_every_status(registry, regions: Regions) -> None:
    new_nik = nik_make(
        district_code_nodot="320405", birth_date=date(1995, 7, 1), sex="M", serial=4321
    )
    lookalike_nik = nik_make(
        district_code_nodot="320405", birth_date=date(1988, 1, 2), sex="F", serial=9876
    )
    rows = pl.DataFrame(
        {
            "nik": [
                registry["paid"].person.nik,
                registry["unpaid"].person.nik,
                registry["ended"].person.nik,
                registry["fresh"].person.nik,
                registry["no_membership"].nik,
                lookalike_nik,
                registry["paid"].person.nik,
                "12345",
                new_nik,
            ],
            "name": ["A", "B", "C", "D", "E", "SITI  AMINAH", "A again", "bad", "Joko"],
            "birth_date": [None] * 9,
            "village_code": ["3204052001"] * 8 + ["32.04.05.2001"],
            "extra": list(range(9)),
        },
        schema_overrides={"birth_date": pl.Date},
    )
    with CaptureQueriesContext(connection) as queries:
        out = match_rows(rows, today=TODAY)
    assert len(queries) <= 16  # a fixed number, whatever the batch size
    assert out.columns[:5] == ["nik", "name", "birth_date", "village_code", "extra"]
    assert out["match_status"].to_list() == [
        "covered",
        "reactivation",
        "reactivation",
        "covered",
        "new",
        "possible_match",
        "duplicate",
        None,
        "new",
    ]
    assert out["match_reason"].to_list() == [
        "covered_paid",
        "reactivation_unpaid",
        "reactivation_ended",
        "covered_not_yet_billed",
        "new_person_on_file",
        "possible_match_name_birth_village",
        "duplicate",
        "nik_invalid",
        "new",
    ]
    assert out["membership_id"].to_list() == [
        registry["paid"].pk,
        registry["unpaid"].pk,
        registry["ended"].pk,
        registry["fresh"].pk,
        None,
        None,
        None,
        None,
        None,
    ]
    assert out["person_id"].to_list()[4:6] == [
        registry["no_membership"].pk,
        registry["lookalike"].pk,
    ]
    assert out["duplicate_of"].to_list()[6] == 0
    assert match_reason_text("possible_match_name_birth_village") == (
        "nama, tanggal lahir dan desa sama"
    )
    assert match_reason_text("possible_match_name_birth_village", "en") == (
        "same name, birth date and village"
    )


def test_possible_match_needs_same_village_and_birth_date(registry) -> None:
    nik = nik_make(district_code_nodot="320405", birth_date=date(1988, 1, 2), sex="F", serial=77)
    rows = pl.DataFrame(
        {
            "nik": [nik, nik[:-1] + "8", nik[:-1] + "9"],
            "name": ["Siti Aminah", "Siti Aminah", "Siti Aminah"],
            "birth_date": [date(1988, 1, 2), date(1988, 1, 3), date(1988, 1, 2)],
            "village_code": ["32.04.05.2001", "32.04.05.2001", "32.04.05.2002"],
        }
    )
    out = match_rows(rows, today=TODAY)
    assert out["match_status"].to_list() == ["possible_match", "new", "new"]


def test_empty_batch() -> None:
    out = match_rows(
        pl.DataFrame(schema={"nik": pl.Utf8, "name": pl.Utf8, "village_code": pl.Utf8})
    )
    assert out.height == 0
    assert "match_status" in out.columns


def test_vectorised_nik_check_agrees_with_nik_parse() -> None:
    from jamsos.membership.identifiers import nik_parse
    from jamsos.partners.services.matching import _niks

    cases = [
        "3204051705900101",  # fine
        "3204052902000001",  # 29-02-00: exists in 2000
        "3204052902010001",  # 29-02-01: never
        "3204056902040001",  # woman, 29-02-04
        "3204057202900001",  # day 72
        "3204053202900001",  # day 32
        "3204051705900000",  # serial 0000
        "3204051713900001",  # month 13
        "32.04.05.170590.0101",  # separators: the slow path
        " 3204051705900101 ",
        "320405170590010",
        "",
        None,
    ]
    niks, valid, _ = _niks(pl.Series(cases, dtype=pl.Utf8), date(2025, 3, 15))
    assert valid == [nik_parse(str(c or ""))[0] is not None for c in cases]
    assert valid == [True, True, False, True, False, False, False, False, True, True] + [False] * 3
    assert niks[8] == "3204051705900101"
