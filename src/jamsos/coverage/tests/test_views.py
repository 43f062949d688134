"""Coverage pages (/cakupan/): real figures from hand-made rows, drill-down, exports, scope.

The ``dash`` fixture writes CoverageArea rows for two months of the membership tests' small
real world (the nation, Jawa Barat, Kalimantan Utara, their regencies, the Cileunyi district
and its two villages), an office row, ecosystem rows, a published figure, a target and two
province boundaries, then signs in one user per role.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from jamsos.access.models import AuditEvent, Role
from jamsos.coverage.models import (
    CoverageArea,
    CoverageOffice,
    CoverageTarget,
    PublishedFigure,
    TargetLevel,
)
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.registry.models import Region, RegionBoundary

SOURCE = "BPS, Sakernas Agustus 2024"
EQUAL_SHARE = "equal share of the regency estimate"

#: (code, level, parent, registered, active, new, lapsed, reactivated, potential, estimated)
APRIL = [
    ("00", 0, "", 52_345_678, 45_870_123, 250_000, 400_000, 30_000, 144_640_000, False),
    ("32", 1, "00", 8_000_000, 7_123_456, 40_000, 90_000, 5_000, 24_420_000, False),
    ("65", 1, "00", 150_000, 100_000, 1_000, 2_000, 100, 400_000, True),
    ("32.04", 2, "32", 700_000, 560_000, 3_000, 9_000, 700, 1_750_000, True),
    ("32.73", 2, "32", 400_000, 300_000, 2_000, 7_000, 500, 1_500_000, True),
    ("65.01", 2, "65", 150_000, 100_000, 1_000, 2_000, 100, 400_000, True),
    ("32.04.05", 3, "32.04", 15_000, 12_345, 100, 200, 12, 40_000, True),
    ("32.04.05.2001", 4, "32.04.05", 7_500, 6_000, 40, 120, 5, 20_000, True),
    ("32.04.05.2002", 4, "32.04.05", 7_500, 6_345, 60, 80, 7, 20_000, True),
]
SQUARE = '{"type":"MultiPolygon","coordinates":[[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]]}'


def square(x: float, y: float) -> str:
    return SQUARE % (x, y, x + 1, y, x + 1, y + 1, x, y + 1, x, y)


@dataclass
class Dash:
    regions: Regions
    office: BranchOffice
    users: dict[str, Any]

    def client(self, name: str, language: str = "id") -> Client:
        client = Client(headers={"accept-language": language})
        client.force_login(self.users[name])
        client.cookies["django_language"] = language
        return client


def area(period: str, row: tuple, **extra: Any) -> CoverageArea:
    code, level, parent, registered, active, new, lapsed, reactivated, potential, est = row
    return CoverageArea(
        period=period,
        level=level,
        region_code=code,
        parent_code=parent,
        registered=registered,
        active=active,
        new=new,
        lapsed=lapsed,
        reactivated=reactivated,
        potential=potential,
        potential_kind="employed",
        potential_estimated=est,
        potential_source=EQUAL_SHARE if level >= 3 else SOURCE,
        **extra,
    )


def dash_build(regions: Regions) -> Dash:
    """The ``dash`` fixture's world (coverage/tests/conftest.py)."""
    rows = [area("2025-04", r) for r in APRIL]
    # March: the same regions, 5% fewer active, for the series.
    rows += [area("2025-03", (r[0], r[1], r[2], r[3], int(r[4] * 0.95), *r[5:])) for r in APRIL]
    rows += [
        CoverageArea(
            period="2025-04",
            level=0,
            region_code="00",
            segment="BPU",
            registered=9_000_000,
            active=5_432_100,
            potential=83_830_000,
            potential_kind="informal_employed",
        ),
        CoverageArea(
            period="2025-04",
            level=0,
            region_code="00",
            ecosystem="pasar",
            registered=5_000,
            active=3_210,
        ),
        CoverageArea(
            period="2025-04",
            level=0,
            region_code="00",
            ecosystem="umkm",
            registered=4_000,
            active=1_234,
        ),
    ]
    CoverageArea.objects.bulk_create(rows)
    office = BranchOffice.objects.get(code="KC3204")
    far = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    CoverageOffice.objects.create(
        period="2025-04", branch_office=office, registered=900_000, active=860_000, lapsed=16_000
    )
    CoverageOffice.objects.create(
        period="2025-04", branch_office=far, registered=150_000, active=100_000
    )
    PublishedFigure.objects.create(
        region_code="00",
        period="2024-12",
        measure="active_participants",
        value=41_000_000,
        source="BPJS Ketenagakerjaan, Laporan Keuangan 2024",
        source_url="https://www.bpjsketenagakerjaan.go.id/laporan",
    )
    CoverageTarget.objects.create(
        level=TargetLevel.NATIONAL,
        region_code="00",
        baseline_period="2025-03",
        target_period="2026-12",
        target_active=70_000_000,
        source="RPJMN 2025-2029",
    )
    for code, x in (("32", 107.0), ("65", 116.0)):
        region = Region.objects.get(code=code, edition__is_current=True)
        RegionBoundary.objects.create(region=region, geometry=square(x, -7.0))
    employer = employer_create(village=regions.cileunyi_kulon, legal_name="PT Cakupan")
    person = person_create(domicile=regions.cileunyi_wetan)
    grants = {
        "admin": {"role": Role.ADMIN},
        "analis": {"role": Role.ANALYST},
        "cabang": {"role": Role.BRANCH_OFFICER, "branch_office": office},
        "mitra": {"role": Role.PARTNER_USER, "partner_ref": "PKS-65"},
        "perusahaan": {"role": Role.EMPLOYER_USER, "employer": employer},
        "peserta": {"role": Role.WORKER, "person": person},
    }
    users = {
        name: user_access_grant(username=f"c-{name}", **grant).user  # type: ignore[arg-type]
        for name, grant in grants.items()
    }
    users["norole"] = get_user_model().objects.create_user(username="c-norole")
    return Dash(regions, office, users)


def text(response: Any) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def figure(page: str, name: str) -> str:
    """The text of a headline figure (``data-figure="active"``)."""
    start = page.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return page[start : page.index("<", start)]


# --- the dashboard ------------------------------------------------------------------------------


def test_nation_headline_figures_in_indonesian(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/"))
    assert figure(page, "registered") == "52.345.678"
    assert figure(page, "active") == "45.870.123"
    assert figure(page, "rate") == "31,7%"  # 45,870,123 / 144,640,000
    assert figure(page, "unprotected") == "98.769.877"
    assert figure(page, "new") == "250.000"
    assert figure(page, "lapsed") == "400.000"
    assert figure(page, "reactivated") == "30.000"
    assert "dari 144.640.000 penduduk bekerja" in page
    assert SOURCE in page
    assert "April 2025" in page
    # The children (provinces) with their figures, linked one level down.
    assert 'href="/cakupan/?wilayah=32&amp;periode=2025-04"' in page
    assert "7.123.456" in page
    assert "29,2%" in page
    assert "25,0%" in page  # Kalimantan Utara
    # Where a worker is counted, and that lower potentials are estimates.
    assert "desa/kelurahan tempat tinggalnya (domisili)" in page
    assert "dibagi ke desa/kelurahannya menurut jenisnya" in page


def test_published_figures_and_targets_beside_the_computed_ones(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/"))
    assert "Angka resmi" in page
    assert "41.000.000" in page
    assert 'href="https://www.bpjsketenagakerjaan.go.id/laporan"' in page
    assert "Desember 2024" in page
    assert "70.000.000 peserta aktif pada Desember 2026" in page
    assert "24.129.877" in page  # the gap: 70,000,000 - 45,870,123
    series = json.loads(
        page.split('id="coverage-series-data" type="application/json">')[1].split("</script>")[0]
    )
    assert series["periods"] == ["2025-03", "2025-04"]
    assert series["active"] == [int(45_870_123 * 0.95), 45_870_123]
    assert series["target"]["x"][-1] == "2026-12"
    assert series["target"]["y"][-1] == 70_000_000


def test_drill_down_to_a_village_and_breadcrumbs_back(dash: Dash) -> None:
    client = dash.client("admin")
    province = text(client.get("/cakupan/?wilayah=32"))
    assert 'href="/cakupan/?wilayah=32.04&amp;periode=2025-04"' in province
    assert "Kabupaten Bandung" in province
    assert "32,0%" in province
    regency = text(client.get("/cakupan/?wilayah=32.04&periode=2025-04"))
    assert 'href="/cakupan/?wilayah=32.04.05&amp;periode=2025-04"' in regency
    district = text(client.get("/cakupan/?wilayah=32.04.05&periode=2025-04"))
    assert figure(district, "rate") == "30,9%"  # 12,345 / 40,000
    assert "perkiraan" in district  # the estimated badge
    assert "bagian sama rata dari perkiraan kabupaten/kota" in district  # EQUAL_SHARE
    assert 'href="/cakupan/?wilayah=32.04.05.2002&amp;periode=2025-04"' in district
    village = text(client.get("/cakupan/?wilayah=32.04.05.2002&periode=2025-04"))
    assert figure(village, "active") == "6.345"
    assert figure(village, "rate") == "31,7%"  # 6,345 / 20,000
    assert figure(village, "unprotected") == "13.655"
    assert "tingkat terkecil" in village
    crumbs = village.split('class="coverage-crumbs"')[1].split("</nav>")[0]
    for code in ("32", "32.04", "32.04.05"):
        assert f'href="/cakupan/?wilayah={code}&amp;periode=2025-04"' in crumbs
    assert 'href="/cakupan/?periode=2025-04"' in crumbs  # the nation
    assert '<span aria-current="page">Cileunyi Wetan</span>' in crumbs
    assert crumbs.index("Jawa Barat") < crumbs.index("Kabupaten Bandung") < crumbs.index("Cileunyi")


def test_children_table_sorts_by_rate_unprotected_and_lapsed(dash: Dash) -> None:
    client = dash.client("analis")

    def order(sort: str) -> list[str]:
        page = text(client.get(f"/cakupan/?wilayah=32.04.05&urut={sort}"))
        table = page.split('id="anak-wilayah"')[1]
        return sorted(("Cileunyi Kulon", "Cileunyi Wetan"), key=table.index)

    assert order("rate") == ["Cileunyi Kulon", "Cileunyi Wetan"]  # 30,0% then 31,7%
    assert order("-rate") == ["Cileunyi Wetan", "Cileunyi Kulon"]
    assert order("unprotected") == ["Cileunyi Kulon", "Cileunyi Wetan"]  # 14,000 then 13,655
    assert order("lapsed") == ["Cileunyi Kulon", "Cileunyi Wetan"]  # 120 then 80
    assert order("-lapsed") == ["Cileunyi Wetan", "Cileunyi Kulon"]


def test_segment_filter_reads_the_slice(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/?segmen=BPU"))
    assert figure(page, "active") == "5.432.100"
    assert figure(page, "rate") == "6,5%"  # 5,432,100 / 83,830,000
    assert "pekerja informal" in page


def test_bad_parameters_are_named_and_set_aside(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/?periode=2030-01&segmen=XYZ&wilayah=abc"))
    assert "Periode: belum ada angka cakupan untuk 2030-01" in page
    assert "Segmen: “XYZ” bukan salah satu dari PU, BPU, JAKON, PMI" in page
    assert "Wilayah: “abc” bukan kode wilayah" in page
    assert figure(page, "active") == "45.870.123"  # the nation, latest month
    mixed = text(dash.client("analis").get("/cakupan/?segmen=PU&ekosistem=pasar"))
    assert "ekosistem hanya dicatat untuk peserta BPU" in mixed


def test_unknown_region_is_not_found(dash: Dash) -> None:
    assert dash.client("admin").get("/cakupan/?wilayah=99.99").status_code == 404


def test_english_numbers(dash: Dash) -> None:
    page = text(dash.client("analis", "en").get("/cakupan/"))
    assert figure(page, "active") == "45,870,123"
    assert figure(page, "rate") == "31.7%"
    assert "Unprotected" in page


# --- the map ------------------------------------------------------------------------------------


def test_map_json_has_the_children_codes_and_their_boundaries(dash: Dash) -> None:
    response = dash.client("analis").get("/cakupan/peta.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [r["code"] for r in data["rows"]] == ["32", "65"]
    assert data["has_boundaries"] is True
    assert {f["id"] for f in data["geojson"]["features"]} == {"32", "65"}
    jabar = data["rows"][0]
    assert jabar["rate_text"] == "29,2%"
    assert jabar["active_text"] == "7.123.456"
    assert jabar["url"] == "/cakupan/?wilayah=32&periode=2025-04"
    assert data["geojson"]["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_map_json_without_boundaries_has_the_rows_for_the_fallback(dash: Dash) -> None:
    data = json.loads(dash.client("analis").get("/cakupan/peta.json?wilayah=32").content)
    assert [r["code"] for r in data["rows"]] == ["32.04", "32.73"]
    assert data["has_boundaries"] is False
    assert data["geojson"]["features"] == []
    page = text(dash.client("analis").get("/cakupan/?wilayah=32"))
    # The tiles are the map without boundaries or scripts: one per child, linked.
    tiles = page.split('id="coverage-tiles"')[1].split("</div>")[0]
    assert 'href="/cakupan/?wilayah=32.04&amp;periode=2025-04"' in tiles
    assert "band-3" in tiles  # Kabupaten Bandung, 32,0%: the 30–40% band
    assert "band-2" in tiles  # Kota Bandung, 20,0%


def test_plotly_is_served_by_the_application(dash: Dash) -> None:
    client = dash.client("analis")
    page = text(client.get("/cakupan/"))
    # The nation's children (provinces) have boundaries: the map bundle (choropleth, lines).
    assert '<script src="/cakupan/plotly/geo.js?v=4.1.1" defer>' in page
    assert 'data-traces="choropleth,scatter,scattergeo"' in page
    assert "cdn.plot.ly" not in page.lower()
    assert "//cdn" not in page.lower()
    response = client.get("/cakupan/plotly/geo.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response["Cache-Control"]
    assert len(response.content) < 500_000  # the full bundle is 4.8 MB, 1.4 MB compressed
    plain = client.get("/cakupan/plotly/geo.js")
    assert b"plotly.js (geo - minified) v4.1.1" in plain.content[:2000]
    assert len(plain.content) < 1_500_000
    again = client.get("/cakupan/plotly/geo.js", headers={"if-none-match": plain["ETag"]})
    assert again.status_code == 304
    assert client.get("/cakupan/plotly/full.js").status_code == 404
    base = client.get("/cakupan/peta/dasar/world_110m.json")
    assert json.loads(base.content)["type"] == "Topology"


def test_pages_without_a_map_load_the_bar_bundle(dash: Dash) -> None:
    client = dash.client("analis")
    # Jawa Barat's regencies have no boundaries here: bars, no map.
    province = text(client.get("/cakupan/?wilayah=32"))
    assert '<script src="/cakupan/plotly/basic.js?v=4.1.1" defer>' in province
    assert 'data-map-url=""' in province
    assert 'data-traces="bar,pie,scatter"' in province
    ecosystems = text(client.get("/cakupan/ekosistem/"))
    assert "/cakupan/plotly/basic.js" in ecosystems
    basic = client.get("/cakupan/plotly/basic.js")
    assert basic.status_code == 200
    assert b"plotly.js (basic - minified) v4.1.1" in basic.content[:2000]


# --- exports ------------------------------------------------------------------------------------


def test_csv_export_of_the_children_with_the_filters(dash: Dash) -> None:
    response = dash.client("analis").get("/cakupan/?wilayah=32.04.05&format=csv&urut=-rate")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="cakupan-32.04.05-2025-04.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["code"] for r in rows] == ["32.04.05.2002", "32.04.05.2001"]
    wetan = rows[0]
    assert wetan["name"] == "Cileunyi Wetan"
    assert wetan["active"] == "6345"
    assert wetan["potential"] == "20000"
    assert wetan["potential_estimated"] == "True"
    assert wetan["coverage_rate"] == "0.3173"
    assert wetan["unprotected"] == "13655"
    assert AuditEvent.objects.filter(action="export", target_type="coverage.table").count() == 1


def test_xlsx_export_opens_with_numbers(dash: Dash) -> None:
    response = dash.client("analis").get("/cakupan/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    values = {
        row[header.index("code")]: row for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert set(values) == {"32", "65"}
    jabar = values["32"]
    assert jabar[header.index("active")] == 7_123_456
    assert jabar[header.index("coverage_rate")] == pytest.approx(0.2917)
    rate_cell = sheet.cell(row=2, column=header.index("coverage_rate") + 1)
    assert rate_cell.number_format == "0.0%"


def test_series_export(dash: Dash) -> None:
    response = dash.client("analis").get("/cakupan/?format=csv&tabel=series")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["period"] for r in rows] == ["2025-03", "2025-04"]
    assert rows[1]["active"] == "45870123"
    bad = dash.client("analis").get("/cakupan/?format=csv&tabel=people")
    assert bad.status_code == 400
    assert "Tabel: “people”" in bad.content.decode()


# --- where to go next, offices, ecosystems -------------------------------------------------------


def test_where_to_go_next_rankings(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/prioritas/"))
    assert "Pekerja belum terlindungi terbanyak" in page
    unprotected = page.split('id="peringkat-unprotected"')[1].split("</section>")[0]
    # Regencies by unprotected workers: Kabupaten Bandung 1,190,000, Kota Bandung 1,200,000,
    # Bulungan 300,000.
    assert unprotected.index("Kota Bandung") < unprotected.index("Kabupaten Bandung")
    assert unprotected.index("Kabupaten Bandung") < unprotected.index("Kabupaten Bulungan")
    assert "1.200.000" in unprotected
    rate = page.split('id="peringkat-rate"')[1].split("</section>")[0]
    assert rate.index("Kota Bandung") < rate.index("Kabupaten Bulungan")  # 20,0% < 25,0%
    lapsed = page.split('id="peringkat-lapsed"')[1].split("</section>")[0]
    assert lapsed.index("Kabupaten Bandung") < lapsed.index("Kota Bandung")  # 9,000 > 7,000
    export = dash.client("analis").get("/cakupan/prioritas/?tingkat=2&format=csv&tabel=lapsed")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(r["rank"], r["code"], r["lapsed"]) for r in rows][:2] == [
        ("1", "32.04", "9000"),
        ("2", "32.73", "7000"),
    ]


def test_offices_view(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/kantor/"))
    assert "Kantor Cabang Bandung" in page
    assert "Kantor Cabang Bulungan" in page
    assert "860.000" in page
    assert "16.000" in page
    # The Bandung office serves both Bandung regencies: 1,750,000 + 1,500,000 potential.
    assert "3.250.000" in page
    assert "26,5%" in page
    own = text(dash.client("cabang").get("/cakupan/kantor/"))
    assert "Kantor Cabang Bandung" in own
    assert "Kantor Cabang Bulungan" not in own
    xlsx = dash.client("cabang").get("/cakupan/kantor/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "office_code"
    assert [(r[1], r[6]) for r in rows[1:]] == [("KC3204", 860_000)]


def test_ecosystems_view(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/ekosistem/"))
    assert "3.210" in page
    assert "1.234" in page
    assert "72,2%" in page  # pasar's share of the ecosystems' active: 3,210 / 4,444
    assert page.index("3.210") < page.index("1.234")
    assert 'href="/cakupan/?periode=2025-04&amp;segmen=BPU&amp;ekosistem=pasar"' in page
    export = dash.client("analis").get("/cakupan/ekosistem/?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(r["ecosystem"], r["active"]) for r in rows] == [("pasar", "3210"), ("umkm", "1234")]


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["perusahaan", "peserta", "norole"])
@pytest.mark.parametrize(
    "url", ["/cakupan/", "/cakupan/peta.json", "/cakupan/kantor/", "/cakupan/?format=csv"]
)
def test_employers_workers_and_roleless_users_are_refused(dash: Dash, name: str, url: str) -> None:
    response = dash.client(name).get(url)
    assert response.status_code == 403
    assert b"45870123" not in response.content
    assert b"45.870.123" not in response.content


def test_anonymous_is_sent_to_sign_in(dash: Dash) -> None:
    for url in ("/cakupan/", "/cakupan/kantor/", "/cakupan/?format=xlsx"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_branch_officer_drills_only_into_their_regencies(dash: Dash) -> None:
    client = dash.client("cabang")
    nation = text(client.get("/cakupan/"))
    assert figure(nation, "active") == "45.870.123"  # aggregates of the nation are open
    assert 'href="/cakupan/?wilayah=65&amp;periode=2025-04"' in nation
    own = text(client.get("/cakupan/?wilayah=32.04.05"))
    assert figure(own, "active") == "12.345"
    far_province = text(client.get("/cakupan/?wilayah=65"))
    assert "Kabupaten Bulungan" not in far_province.split('id="anak-wilayah"')[1]
    refused = client.get("/cakupan/?wilayah=65.01")
    assert refused.status_code == 403
    assert "di luar wilayah kerja Anda" in refused.content.decode()
    assert client.get("/cakupan/?wilayah=65.01&format=csv").status_code == 403
    ranking = text(client.get("/cakupan/prioritas/"))
    assert "Kabupaten Bulungan" not in ranking
    assert "Kabupaten Bandung" in ranking


@pytest.mark.parametrize("code", ["32", "32.04", "32.04.05", "65"])
@pytest.mark.parametrize("by", ["unprotected", "rate", "lapsed"])
def test_dashboard_rankings_match_the_ranking_selector(dash: Dash, code: str, by: str) -> None:
    # given: the dashboard ranks the children it has read instead of reading the level again
    from jamsos.access.scope import Scope
    from jamsos.coverage import selectors
    from jamsos.coverage.views import rank_children

    scope = Scope(role=Role.ADMIN, actor_name="admin")
    children = selectors.coverage_children(scope, code=code, period="2025-04")
    level = len(code.split(".")) + 1
    # then: the same regions in the same order as the selector's
    expected = selectors.coverage_ranking(
        scope, code=code, period="2025-04", level=level, by=by, limit=20
    )
    assert [r.code for r in rank_children(children, by)] == [r.code for r in expected]


@pytest.fixture(autouse=True)
def _employed_potential(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the arithmetic on the stored potential (BPS employed persons): they
    read it under that definition. test_potential.py checks the default (the agency's)."""
    monkeypatch.setattr("jamsos.coverage.potential.default_key", lambda: "employed")


# --- where the dashboard opens ------------------------------------------------------------------


def test_with_a_demo_loaded_the_dashboard_opens_on_its_dense_district(dash: Dash) -> None:
    # given: a demo population whose summary names its dense district
    from jamsos.membership.models import DemoPopulation

    DemoPopulation.objects.create(
        seed=1,
        workers=20_000,
        as_of=date(2025, 2, 28),
        summary={"focus": {"district": "32.04.05", "people": 6_000, "share": 0.3}},
    )
    # when: opened from the menu (no parameters)
    page = text(dash.client("analis").get("/cakupan/"))
    # then: on Cileunyi, with the note saying what the demo covers and a way to the nation
    assert "Cakupan: Cileunyi" in page
    assert figure(page, "registered") == "15.000"
    assert "Data demo: 20.000 pekerja rekaan. 6.000 di antaranya tinggal di Kecamatan Cileunyi" in (
        page
    )
    assert "14.000 lainnya tersebar" in page
    assert 'href="/cakupan/?periode=2025-04">Lihat seluruh Indonesia' in page
    # a page asked for with any parameter opens where it is asked, without the note
    nation = text(dash.client("analis").get("/cakupan/?periode=2025-04"))
    assert "Cakupan: Indonesia" in nation
    assert "Data demo" not in nation
    # a partner user whose regions do not hold the district opens on the nation
    far = text(dash.client("mitra").get("/cakupan/"))
    assert "Cakupan: Indonesia" in far
    assert "Data demo" not in far


def test_without_a_demo_the_dashboard_opens_on_the_nation(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/"))
    assert "Cakupan: Indonesia" in page
    assert "Data demo" not in page
