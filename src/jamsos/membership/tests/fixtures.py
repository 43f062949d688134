"""Shared fixtures (registered in src/conftest.py): a handful of real regions (not all 83,762
villages) and a branch office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.registry.models import Region
from jamsos.registry.services.editions import edition_get_or_create
from jamsos.registry.services.regions import region_row, regions_write

TODAY = date(2025, 3, 15)

#: Real Kepmendagri 300.2.2-2430/2025 codes and names. 32.04.01 does not exist in this edition.
REGIONS = [
    ("32", "Jawa Barat"),
    ("32.04", "Kabupaten Bandung"),
    ("32.04.05", "Cileunyi"),
    ("32.04.05.2001", "Cileunyi Kulon"),
    ("32.04.05.2002", "Cileunyi Wetan"),
    ("32.73", "Kota Bandung"),
    ("32.73.01", "Sukasari"),
    ("32.73.01.1001", "Sukarasa"),
    ("65", "Kalimantan Utara"),
    ("65.01", "Kabupaten Bulungan"),
    ("65.01.01", "Tanjung Palas"),
    ("65.01.01.1001", "Tanjung Palas Hulu"),
]


@dataclass
class Regions:
    jabar: Region
    kab_bandung: Region
    cileunyi: Region
    cileunyi_kulon: Region
    cileunyi_wetan: Region
    kota_bandung: Region
    sukasari: Region
    sukarasa: Region
    bulungan: Region
    tanjung_palas: Region
    tanjung_palas_hulu: Region


@pytest.fixture
def regions(db) -> Regions:
    edition, _ = edition_get_or_create(name="test-2025", make_current=True)
    regions_write(edition=edition, rows=[region_row(code, name) for code, name in REGIONS])
    by_code = {r.code: r for r in Region.objects.filter(edition=edition)}
    # Every employer and BPU member is served by an office: Bandung's office serves both
    # Bandung regencies; Bulungan (65.01) has none, for the refusals.
    branch_office_create(
        code="KC3204",
        name="Kantor Cabang Bandung",
        regencies=[by_code["32.04"], by_code["32.73"]],
    )
    return Regions(
        jabar=by_code["32"],
        kab_bandung=by_code["32.04"],
        cileunyi=by_code["32.04.05"],
        cileunyi_kulon=by_code["32.04.05.2001"],
        cileunyi_wetan=by_code["32.04.05.2002"],
        kota_bandung=by_code["32.73"],
        sukasari=by_code["32.73.01"],
        sukarasa=by_code["32.73.01.1001"],
        bulungan=by_code["65.01"],
        tanjung_palas=by_code["65.01.01"],
        tanjung_palas_hulu=by_code["65.01.01.1001"],
    )


@pytest.fixture
def branch_office(regions: Regions) -> BranchOffice:
    return BranchOffice.objects.get(code="KC3204")
