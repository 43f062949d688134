"""Coverage selectors over hand-made CoverageArea rows: figures, ordering, scoping, queries.

The ``cov`` fixture (imported by the other read tests) writes rows for three months of a small
real world (membership test regions): the nation, Jawa Barat (32), Kalimantan Utara (65), three
regencies, one district and one of its two villages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.coverage import selectors
from jamsos.coverage.errors import (
    BadChoice,
    BadPeriod,
    LevelTooHigh,
    NoFigures,
    NotPermitted,
    OutsideScope,
    RegionNotFound,
)
from jamsos.coverage.models import CoverageArea, CoverageOffice, PublishedFigure
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.membership.tests.fixtures import Regions

ADMIN = Scope(role=Role.ADMIN, actor_name="admin")
ANALYST = Scope(role=Role.ANALYST, actor_name="analis")
EMPLOYER = Scope(role=Role.EMPLOYER_USER, actor_name="pt", employer_id=1)
WORKER = Scope(role=Role.WORKER, actor_name="w", person_id=1)
NOBODY = Scope.nobody()
PARTNER = Scope(role=Role.PARTNER_USER, actor_name="mitra", partner_region_codes=frozenset({"65"}))

#: (code, level, parent, registered, active, new, lapsed, reactivated, potential, estimated)
APRIL = [
    ("00", 0, "", 400, 300, 20, 45, 3, 1000, False),
    ("32", 1, "00", 330, 250, 15, 40, 2, 800, False),
    ("65", 1, "00", 70, 50, 5, 5, 1, 100, True),
    ("32.04", 2, "32", 200, 150, 10, 10, 1, 500, True),
    ("32.73", 2, "32", 130, 100, 5, 30, 1, 120, True),
    ("65.01", 2, "65", 70, 50, 5, 5, 1, 400, True),
    ("32.04.05", 3, "32.04", 200, 150, 10, 10, 1, 500, True),
    ("32.04.05.2001", 4, "32.04.05", 120, 100, 6, 4, 0, 250, True),
]


@dataclass
class Cov:
    regions: Regions
    office: BranchOffice
    far_office: BranchOffice
    officer: Scope
    far_officer: Scope


def area(
    period: str, row: tuple, segment: str = "", ecosystem: str = "", channel: str = "", **over
) -> CoverageArea:
    code, level, parent, reg, act, new, lapsed, react, potential, est = row
    values = {
        "period": period,
        "level": level,
        "region_code": code,
        "parent_code": parent,
        "segment": segment,
        "ecosystem": ecosystem,
        "channel": channel,
        "registered": reg,
        "active": act,
        "new": new,
        "lapsed": lapsed,
        "reactivated": react,
        "potential": potential,
        "potential_kind": "employed" if potential is not None else "",
        "potential_estimated": est,
        "potential_source": "BPS, Sakernas Agustus 2024" if potential is not None else "",
    }
    values.update(over)
    return CoverageArea(**values)


def cov_build(regions: Regions) -> Cov:
    """The ``cov`` fixture's world (coverage/tests/conftest.py)."""
    office = BranchOffice.objects.get(code="KC3204")
    far = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    rows = [area("2025-04", r) for r in APRIL]
    # March: fewer actives in Kabupaten Bandung; February: only the nation has a row.
    rows += [area("2025-03", r, active=r[4] - 10) for r in APRIL if r[0] != "32.73"]
    rows.append(area("2025-02", APRIL[0], active=280))
    # Slices: PU and BPU in Kabupaten Bandung; two ecosystems in the nation.
    rows.append(area("2025-04", APRIL[3], segment="PU", active=90, potential=200))
    rows.append(area("2025-04", APRIL[3], segment="BPU", active=60, potential=300, lapsed=9))
    rows.append(area("2025-04", APRIL[0], ecosystem="pasar", active=40, potential=None))
    rows.append(area("2025-04", APRIL[0], ecosystem="umkm", active=70, potential=None))
    rows.append(area("2025-04", APRIL[5], segment="BPU", active=20, potential=300, lapsed=25))
    CoverageArea.objects.bulk_create(rows)
    CoverageOffice.objects.bulk_create(
        [
            CoverageOffice(
                period="2025-04", branch_office=office, registered=330, active=250, lapsed=40
            ),
            CoverageOffice(period="2025-04", branch_office=far, registered=70, active=50, lapsed=5),
            CoverageOffice(period="2025-03", branch_office=office, registered=320, active=230),
        ]
    )
    officer = Scope(
        role=Role.BRANCH_OFFICER,
        actor_name="cabang",
        branch_office_id=office.pk,
        regency_codes=frozenset({"32.04", "32.73"}),
    )
    far_officer = Scope(
        role=Role.BRANCH_OFFICER,
        actor_name="cabang_b",
        branch_office_id=far.pk,
        regency_codes=frozenset({"65.01"}),
    )
    return Cov(regions, office, far, officer, far_officer)


def test_periods(cov: Cov) -> None:
    assert selectors.coverage_periods() == ["2025-02", "2025-03", "2025-04"]
    assert selectors.latest_period() == "2025-04"


def test_no_figures_yet(regions: Regions) -> None:
    assert selectors.latest_period() is None
    with pytest.raises(NoFigures):
        selectors.coverage_area(ADMIN)


def test_area_rate_and_unprotected(cov: Cov) -> None:
    nation = selectors.coverage_area(ADMIN)
    assert (nation.period, nation.name, nation.active, nation.potential) == (
        "2025-04",
        "Indonesia",
        300,
        1000,
    )
    assert nation.rate == Decimal("0.3000")
    assert nation.unprotected == 700
    assert nation.has_children
    kota = selectors.coverage_area(ADMIN, code="3273")  # undotted codes are accepted
    assert kota.code == "32.73"
    assert kota.name == "Kota Bandung"
    assert kota.rate == Decimal("0.8333")  # 100 / 120, half up
    assert kota.unprotected == 20
    assert kota.potential_estimated
    march = selectors.coverage_area(ADMIN, code="32.04", period="2025-03")
    assert march.active == 140
    pu = selectors.coverage_area(ADMIN, code="32.04", segment="pu")
    assert (pu.segment, pu.active, pu.rate, pu.unprotected) == ("PU", 90, Decimal("0.4500"), 110)
    village = selectors.coverage_area(ADMIN, code="32.04.05.2001")
    assert village.rate == Decimal("0.4000")
    assert not village.has_children


def test_area_floor_and_missing_rows(cov: Cov) -> None:
    CoverageArea.objects.filter(period="2025-04", region_code="32.73", segment="").update(
        active=150
    )
    assert selectors.coverage_area(ADMIN, code="32.73").unprotected == 0
    assert selectors.coverage_area(ADMIN, code="32.73").rate == Decimal("1.2500")
    empty = selectors.coverage_area(ADMIN, code="32.04.05.2002")
    assert (empty.active, empty.potential, empty.rate, empty.unprotected) == (0, None, None, None)
    assert empty.name == "Cileunyi Wetan"
    assert empty.parent_code == "32.04.05"


def test_children(cov: Cov) -> None:
    provinces = selectors.coverage_children(ADMIN)
    assert [(r.code, r.active) for r in provinces] == [("32", 250), ("65", 50)]
    regencies = selectors.coverage_children(ADMIN, code="32")
    assert [(r.code, r.name, r.active) for r in regencies] == [
        ("32.04", "Kabupaten Bandung", 150),
        ("32.73", "Kota Bandung", 100),
    ]
    villages = selectors.coverage_children(ADMIN, code="32.04.05")
    assert [(r.code, r.active, r.potential) for r in villages] == [
        ("32.04.05.2001", 100, 250),
        ("32.04.05.2002", 0, None),
    ]
    assert selectors.coverage_children(ADMIN, code="32.04.05.2001") == []
    bpu = selectors.coverage_children(ADMIN, code="32", segment="BPU")
    assert [(r.code, r.active) for r in bpu] == [("32.04", 60), ("32.73", 0)]


def test_series_is_oldest_first_with_zero_months(cov: Cov) -> None:
    series = selectors.coverage_series(ADMIN, code="32.04")
    assert [(r.period, r.active) for r in series] == [
        ("2025-02", 0),
        ("2025-03", 140),
        ("2025-04", 150),
    ]
    assert [r.period for r in selectors.coverage_series(ADMIN, months=2)] == ["2025-03", "2025-04"]
    assert [r.active for r in selectors.coverage_series(ADMIN)] == [280, 290, 300]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("unprotected", [("32.04", 350), ("65.01", 350), ("32.73", 20)]),
        (
            "rate",
            [
                ("65.01", Decimal("0.1250")),
                ("32.04", Decimal("0.3000")),
                ("32.73", Decimal("0.8333")),
            ],
        ),
        ("lapsed", [("32.73", 30), ("32.04", 10), ("65.01", 5)]),
    ],
)
def test_ranking_orders(cov: Cov, by: str, expected: list) -> None:
    rows = selectors.coverage_ranking(ADMIN, by=by)
    field = {"unprotected": "unprotected", "rate": "rate", "lapsed": "lapsed"}[by]
    assert [(r.code, getattr(r, field)) for r in rows] == expected
    assert rows[0].name in {"Kabupaten Bandung", "Kota Bandung", "Kabupaten Bulungan"}


def test_ranking_filters_and_limits(cov: Cov) -> None:
    inside = selectors.coverage_ranking(ADMIN, code="32", by="unprotected")
    assert [r.code for r in inside] == ["32.04", "32.73"]
    assert [r.code for r in selectors.coverage_ranking(ADMIN, by="lapsed", limit=1)] == ["32.73"]
    bpu = selectors.coverage_ranking(ADMIN, by="lapsed", segment="BPU")
    assert [(r.code, r.lapsed) for r in bpu] == [("65.01", 25), ("32.04", 9)]
    provinces = selectors.coverage_ranking(ADMIN, level=1, by="rate")
    assert [r.code for r in provinces] == ["32", "65"]  # 0.3125 then 0.5
    villages = selectors.coverage_ranking(ADMIN, code="32.04", level=4)
    assert [r.code for r in villages] == ["32.04.05.2001"]
    with pytest.raises(LevelTooHigh):
        selectors.coverage_ranking(ADMIN, code="32.04", level=2)
    with pytest.raises(BadChoice):
        selectors.coverage_ranking(ADMIN, by="size")


def test_breadcrumbs(cov: Cov) -> None:
    assert selectors.breadcrumbs("32.04.05.2001") == [
        ("00", "Indonesia", 0),
        ("32", "Jawa Barat", 1),
        ("32.04", "Kabupaten Bandung", 2),
        ("32.04.05", "Cileunyi", 3),
        ("32.04.05.2001", "Cileunyi Kulon", 4),
    ]
    assert selectors.breadcrumbs("00") == [("00", "Indonesia", 0)]


def test_ecosystems(cov: Cov) -> None:
    rows = selectors.coverage_ecosystems(ADMIN)
    assert [(r.ecosystem, r.active) for r in rows] == [("umkm", 70), ("pasar", 40)]


def test_offices(cov: Cov) -> None:
    rows = selectors.coverage_offices(ADMIN)
    assert [(r.office_code, r.active, r.lapsed) for r in rows] == [
        ("KC3204", 250, 40),
        ("KC6501", 50, 5),
    ]
    bandung = rows[0]
    assert bandung.regency_codes == ("32.04", "32.73")
    assert bandung.potential == 620  # 500 + 120
    assert bandung.rate == Decimal("0.4032")
    assert bandung.potential_estimated
    march = selectors.coverage_offices(ADMIN, period="2025-03")
    assert [(r.office_code, r.active) for r in march] == [("KC3204", 230), ("KC6501", 0)]
    own = selectors.coverage_offices(cov.officer)
    assert [r.office_code for r in own] == ["KC3204"]
    partner = selectors.coverage_offices(PARTNER)
    assert [r.office_code for r in partner] == ["KC6501"]


def test_branch_officer_scope(cov: Cov) -> None:
    officer = cov.officer
    # The nation and any province: aggregates, open to everyone with a coverage role.
    assert selectors.coverage_area(officer).active == 300
    assert selectors.coverage_area(officer, code="65").active == 50
    assert [r.code for r in selectors.coverage_children(officer)] == ["32", "65"]
    # Below a province: only their regencies.
    assert selectors.coverage_children(officer, code="65") == []
    assert [r.code for r in selectors.coverage_children(officer, code="32")] == ["32.04", "32.73"]
    with pytest.raises(OutsideScope):
        selectors.coverage_area(officer, code="65.01")
    with pytest.raises(OutsideScope):
        selectors.coverage_series(officer, code="65.01.01")
    assert [r.code for r in selectors.coverage_ranking(officer, by="unprotected")] == [
        "32.04",
        "32.73",
    ]
    assert [r.code for r in selectors.coverage_ranking(cov.far_officer)] == ["65.01"]
    # Province rankings are aggregates: not limited.
    assert [r.code for r in selectors.coverage_ranking(officer, level=1)] == ["32", "65"]


def test_partner_scope(cov: Cov) -> None:
    assert [r.code for r in selectors.coverage_children(PARTNER, code="65")] == ["65.01"]
    assert selectors.coverage_children(PARTNER, code="32") == []
    assert selectors.coverage_area(PARTNER, code="65.01.01.1001").active == 0
    with pytest.raises(OutsideScope):
        selectors.coverage_area(PARTNER, code="32.04")


@pytest.mark.parametrize("scope", [EMPLOYER, WORKER, NOBODY])
def test_refused_roles(cov: Cov, scope: Scope) -> None:
    with pytest.raises(NotPermitted) as refused:
        selectors.coverage_area(scope)
    assert refused.value.http_status == 403
    with pytest.raises(NotPermitted):
        selectors.coverage_offices(scope)
    with pytest.raises(NotPermitted):
        selectors.target_progress(scope)


def test_analyst_sees_everything(cov: Cov) -> None:
    assert selectors.coverage_area(ANALYST, code="65.01").active == 50
    assert len(selectors.coverage_offices(ANALYST)) == 2


def test_bad_arguments(cov: Cov) -> None:
    with pytest.raises(RegionNotFound):
        selectors.coverage_area(ADMIN, code="99.99")
    with pytest.raises(BadPeriod):
        selectors.coverage_area(ADMIN, period="April")
    with pytest.raises(BadChoice):
        selectors.coverage_area(ADMIN, segment="XYZ")
    with pytest.raises(BadChoice):
        selectors.coverage_children(ADMIN, ecosystem="mall")


def test_published_figures_selector(cov: Cov) -> None:
    PublishedFigure.objects.create(
        region_code="32", period="2025-02", measure="active_participants", value=4960000, source="s"
    )
    PublishedFigure.objects.create(
        region_code="00",
        period="2025-02",
        measure="active_participants",
        value=41380000,
        source="s",
    )
    rows = selectors.published_figures(code="32")
    assert [(r.region_name, r.value) for r in rows] == [("Jawa Barat", Decimal("4960000"))]
    assert [r.region_code for r in selectors.published_figures()] == ["00", "32"]


def test_bounded_queries(cov: Cov) -> None:
    """Each selector's query count is fixed (what the docstrings state), whatever the rows."""
    selectors.coverage_area(ADMIN)  # warm the edition cache if any
    for call, most in [
        (lambda: selectors.coverage_area(ADMIN, code="32.04"), 4),
        (lambda: selectors.coverage_children(ADMIN, code="32"), 6),
        (lambda: selectors.coverage_series(ADMIN, code="32.04"), 4),
        (lambda: selectors.coverage_ranking(ADMIN, by="rate"), 5),
        (lambda: selectors.coverage_ecosystems(ADMIN), 4),
        (lambda: selectors.coverage_offices(ADMIN), 5),
        (lambda: selectors.breadcrumbs("32.04.05.2001"), 2),
    ]:
        with CaptureQueriesContext(connection) as queries:
            call()
        assert len(queries) <= most, [q["sql"] for q in queries]
