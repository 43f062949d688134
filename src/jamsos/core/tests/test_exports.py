"""The one export writer (``jamsos.core.exports``) and every export of the code base through it.

Each export in :data:`EXPORTS` is fed rows whose text cells hold what a spreadsheet would run
(:data:`HOSTILE`); every file it gives must hold those values as text: a CSV cell starting with
a formula trigger starts with a quote (or is a number), an XLSX holds no formula. A scan fails
when a CSV or XLSX writer appears outside ``jamsos/core/exports.py``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.exports import (
    FORMULA_TRIGGERS,
    Cell,
    Counted,
    Sheet,
    csv_lines,
    restore_cell,
    safe_cell,
    safe_text,
    write_csv,
    write_csv_to,
    write_xlsx,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.fixtures import Regions

#: What a spreadsheet runs: a formula, a sign followed by an expression, a function call, and
#: the tab and carriage return that some spreadsheets skip before reading a formula.
HOSTILE = ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")
SRC = Path(__file__).resolve().parents[2]  # src/jamsos


# --- the writer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_a_spreadsheet_would_run_gets_a_quote(text: str) -> None:
    assert safe_text(text) == "'" + text
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_text(text)) == text


@pytest.mark.parametrize(
    "text", ["Budi", "3204051705900001", "0812-3456-7890", "", "'quoted", "a=b", " =1"]
)
def test_other_text_is_kept(text: str) -> None:
    assert safe_text(text) == text
    assert restore_cell(text) == text


def test_numbers_stay_numbers_and_text_that_looks_like_one_is_quoted() -> None:
    assert safe_cell(-5000) == -5000
    assert safe_cell(Decimal("-0.25")) == Decimal("-0.25")
    assert safe_cell(1.5) == 1.5
    assert safe_cell(True) is True
    assert safe_cell(None) == ""
    assert safe_cell(date(2025, 3, 1)) == "2025-03-01"
    assert safe_cell(datetime(2025, 3, 1, 8, 30, tzinfo=UTC)) == "2025-03-01T08:30:00+00:00"
    assert safe_cell("-5000+cmd") == "'-5000+cmd"
    assert safe_cell("-5000") == "'-5000"  # text is text, whatever it looks like
    assert safe_cell(Cell("=x", number_format="@")) == "'=x"


def test_a_phone_number_is_quoted_whole_and_restored_whole() -> None:
    cell = safe_cell("+6281234567890")
    assert cell == "'+6281234567890"
    assert restore_cell(str(cell)) == "+6281234567890"


def test_csv_keeps_the_callers_format() -> None:
    rows = [["=1+1", -5000, None, "a;b"], ["x", 3, Decimal("0.3173"), True]]
    content = write_csv(rows, ["name", "amount", "rate", "note"], delimiter=";", bom=True)
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig") == (
        'name;amount;rate;note\r\n\'=1+1;-5000;;"a;b"\r\nx;3;0.3173;True\r\n'
    )
    assert write_csv([["a"]]) == b"a\r\n"
    assert list(csv_lines([["@x"]], ["h"])) == ["h\r\n", "'@x\r\n"]


def test_csv_to_a_file_counts_the_rows() -> None:
    out = io.StringIO()
    assert write_csv_to(out, iter([["+1"], ["2"]]), ["h"]) == 2
    assert out.getvalue() == "h\r\n'+1\r\n2\r\n"
    assert write_csv_to(io.StringIO(), [], ["h"]) == 0
    assert write_csv_to(io.StringIO(), [["a"]]) == 1
    rows = Counted(iter([[1], [2], [3]]))
    write_csv(rows)
    assert rows.count == 3


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers() -> None:
    content = write_xlsx(
        Sheet(
            "Laporan",
            ["=HYPERLINK(1)", "amount", "rate"],
            [
                [*HOSTILE[:1], -5000, Cell(Decimal("0.25"), number_format="0.0%")],
                ["+6281234567890", 7, None],
                [Cell("-2+3", fill="FFF4CC", bold=True, wrap=True), date(2025, 3, 1), True],
            ],
            header_style="banner",
            freeze_header=True,
            widths=[20, 12],
        ),
        Sheet("Kedua", ["h"], [[text] for text in HOSTILE], header_style=None),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Laporan", "Kedua"]
    first = book["Laporan"]
    assert first.freeze_panes == "A2"
    assert first.column_dimensions["A"].width == 20
    assert first["A1"].value == "=HYPERLINK(1)"
    assert first["A1"].data_type == "s"
    assert first["A1"].font.bold
    assert first["A2"].value == "=1+1"
    assert first["B2"].value == -5000
    assert first["C2"].number_format == "0.0%"
    assert first["C2"].value == pytest.approx(0.25)
    assert first["A3"].value == "+6281234567890"  # a string cell keeps the phone as it is
    assert first["A4"].fill.fgColor.rgb.endswith("FFF4CC")
    assert first["A4"].alignment.wrap_text
    assert first["B4"].value == datetime(2025, 3, 1)  # noqa: DTZ001 (Excel has no time zones)
    assert first["C4"].value is True
    second = [c.value for c in book["Kedua"]["A"]][1:]
    # XML reads a carriage return back as a line feed; the text stays text.
    assert second == [text.replace("\r", "\n") for text in HOSTILE]
    assert not book["Kedua"]["A1"].font.bold
    assert_xlsx_safe(content, HOSTILE)


# --- checks --------------------------------------------------------------------------------------


def _present(cells: list[str], value: str) -> bool:
    """``value`` is among ``cells``, quoted or not, whatever blanks the export trimmed."""
    return any(restore_cell(c).strip() == value.strip() for c in cells)


def assert_csv_safe(
    content: bytes | str, expected: tuple[str, ...] = HOSTILE, *, delimiter: str = ","
) -> None:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    cells = [
        c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row
    ]
    running = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(c)]
    assert not running, f"cells a spreadsheet would run: {running}"
    missing = [v for v in expected if not _present(cells, v)]
    assert not missing, f"values the export should hold (as text): {missing}"


def assert_xlsx_safe(content: bytes, expected: tuple[str, ...] = HOSTILE) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), f"a formula in {name}"
    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    missing = [v for v in expected if not _present(cells, v)]
    assert not missing, f"values the export should hold: {missing}"


# --- every export --------------------------------------------------------------------------------


@dataclass
class Given:
    """What an export is given: the test's fixtures."""

    regions: Regions
    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]


@dataclass
class Out:
    kind: str  # "csv" or "xlsx"
    content: bytes | str
    delimiter: str = ","
    expected: tuple[str, ...] = HOSTILE


def _admin(name: str = "ekspor-admin") -> tuple[Any, Scope]:
    user = user_access_grant(username=name, role=Role.ADMIN).user
    return user, scope_for_user(user)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _arrears_payers() -> None:
    from jamsos.billing.tests.conftest import invoice_make, payer_make
    from jamsos.core.clock import today_in_jakarta

    due = today_in_jakarta() - timedelta(days=40)
    for text in HOSTILE:
        payer = payer_make(sponsor_ref=f"APBD-{HOSTILE.index(text)}")
        payer.name = text
        payer.save(update_fields=["name"])
        invoice_make(payer, "2025-03", due_date=due, items=[("BPU", "JKK", 1_000)])


def billing_arrears_page(given: Given) -> list[Out]:
    _arrears_payers()
    user, _ = _admin()
    response = _client(user).get("/iuran/tunggakan/csv")
    assert response.status_code == 200
    return [Out("csv", b"".join(response.streaming_content))]


def billing_arrears_cli(given: Given) -> list[Out]:
    _arrears_payers()
    target = given.tmp_path / "arrears.csv"
    call_command("billing", "arrears", "--csv", str(target), stdout=io.StringIO())
    return [Out("csv", target.read_bytes())]


def billing_lapsed_cli(given: Given) -> list[Out]:
    from jamsos.billing.cli import reports

    rows = [dict.fromkeys(reports.LAPSED_HEADER, 1) | {"name": text} for text in HOSTILE]
    found = SimpleNamespace(iterator=lambda chunk_size: iter(rows))
    given.monkeypatch.setattr(reports, "lapsed_memberships", lambda *a, **k: found)
    target = given.tmp_path / "lapsed.csv"
    call_command(
        "billing", "lapsed", "--period", "2025-05", "--csv", str(target), stdout=io.StringIO()
    )
    return [Out("csv", target.read_bytes())]


def _claims_transfer_rows(given: Given) -> None:
    from jamsos.claims import api, cli, views

    def rows(*args: Any, **kwargs: Any) -> Any:
        return iter(
            [("KL1", "014", text, "1234567890", text, 1, "JHT", "full", text) for text in HOSTILE]
        )

    for module in (api, cli, views):
        given.monkeypatch.setattr(module, "transfer_rows", rows)


def claims_transfer_page(given: Given) -> list[Out]:
    _claims_transfer_rows(given)
    user, _ = _admin()
    response = _client(user).get("/klaim/transfer.csv")
    assert response.status_code == 200
    return [Out("csv", response.content)]


def claims_transfer_api(given: Given) -> list[Out]:
    _claims_transfer_rows(given)
    user, _ = _admin()
    response = _client(user).get("/api/v1/claims/transfer-file")
    assert response.status_code == 200
    return [Out("csv", response.content)]


def claims_transfer_cli(given: Given) -> list[Out]:
    _claims_transfer_rows(given)
    target = given.tmp_path / "transfer.csv"
    call_command("claims", "transfer-file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    return [Out("csv", target.read_bytes())]


def _area(name: str) -> Any:
    from jamsos.coverage.selectors import AreaRow

    return AreaRow(
        period="2025-04", level=4, code="32.04.05.2001", name=name, parent_code="32.04.05",
        registered=1, active=1, new=0, lapsed=0, reactivated=0, potential=-5, potential_kind="",
        potential_estimated=False, potential_source=name, rate=Decimal("-0.5"), unprotected=0,
        has_children=False,
    )  # fmt: skip


def coverage_cli(given: Given) -> list[Out]:
    from jamsos.coverage.cli import show

    given.monkeypatch.setattr(show, "coverage_area", lambda scope, **kw: _area(HOSTILE[0]))
    given.monkeypatch.setattr(
        show, "coverage_children", lambda scope, **kw: [_area(t) for t in HOSTILE[1:]]
    )
    target = given.tmp_path / "cakupan.csv"
    call_command(
        "coverage", "show", "--region", "32", "--children", "--csv", str(target),
        stdout=io.StringIO(),
    )  # fmt: skip
    return [Out("csv", target.read_bytes())]


def coverage_tables(given: Given) -> list[Out]:
    from jamsos.coverage.views import export_response

    _, scope = _admin()
    header = ["code", "name", "active", "coverage_rate"]
    records = [["32", text, -5, Decimal("0.25")] for text in HOSTILE]
    out = []
    for fmt in ("csv", "xlsx"):
        response = export_response(
            scope, fmt=fmt, name="cakupan", header=header, records=records, detail={}
        )
        out.append(Out(fmt, response.content))
    return out


def upload_report(given: Given) -> list[Out]:
    from jamsos.membership.tests.factories import employer_create
    from jamsos.uploads.services import upload_report as report
    from jamsos.uploads.services import upload_validate

    employer = employer_create(village=given.regions.sukarasa, legal_name="PT Ekspor")
    user = user_access_grant(
        username="ekspor-pemberi-kerja", role=Role.EMPLOYER_USER, employer=employer
    ).user
    scope = scope_for_user(user)
    header = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon", "kode_desa", "upah",
              "tanggal_mulai", "program"]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # an input file, as an employer would send it
    writer.writerow(header)
    for text in HOSTILE:
        writer.writerow([text, text, "1990-05-17", "L", text, "32.04.05.2001", text, "", text])
    upload = upload_validate(
        scope=scope,
        employer_npp=employer.npp,
        file_name="pekerja.csv",
        content=buffer.getvalue().encode(),
        today=date(2025, 3, 15),
    )
    return [
        Out(fmt, report(scope=scope, upload_id=upload.pk, file_format=fmt).content)
        for fmt in ("csv", "xlsx")
    ]


def upload_template(given: Given) -> list[Out]:
    from jamsos.uploads.services import upload_template as template

    return [
        Out(fmt, template(file_format=fmt, language=lang).content, expected=())
        for fmt in ("csv", "xlsx")
        for lang in ("id", "en")
    ]


def enrolment_result_file(given: Given) -> list[Out]:
    from jamsos.partners.services.enrolment import batch_result_file, batch_stage
    from jamsos.partners.tests.enrolment.test_enrolment import (
        BPU_HEADER,
        TODAY,
        csv_bytes,
        world_build,
    )

    world = world_build(given.regions)
    scope = world.scope("mitra_baznas")
    rows = [[text, text, "1990-05-17", "L", "32.04.05.2001", text] for text in HOSTILE]
    staged = batch_stage(
        scope=scope,
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="baznas-ekspor",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    )
    return [
        Out(fmt, batch_result_file(scope=scope, batch_id=staged.batch.pk, file_format=fmt).content)
        for fmt in ("csv", "xlsx")
    ]


def door_to_door_report(given: Given) -> list[Out]:
    from jamsos.partners.services.prospects import ImportResult, Problem, RowReport, report_csv

    rows = [
        RowReport(
            line=i + 2,
            nik=text,
            name=text,
            source_ref="",
            status="invalid",
            problems=[Problem("nik_invalid", value=text)],
        )
        for i, text in enumerate(HOSTILE)
    ]
    result = ImportResult(
        campaign=None,  # type: ignore[arg-type]
        file_name="pendataan.csv",
        file_format="csv",
        rows=rows,
        written=False,
    )
    return [Out("csv", report_csv(result, lang), delimiter=";") for lang in ("id", "en")]


def pendataan_funnel_cli(given: Given) -> list[Out]:
    from jamsos.partners.cli import pendataan
    from jamsos.partners.services.funnel import STEPS

    rows = [SimpleNamespace(key=text, due_3m=-1, **dict.fromkeys(STEPS, 0)) for text in HOSTILE]
    given.monkeypatch.setattr(pendataan, "funnel", lambda *a, **k: rows)
    given.capsys.readouterr()
    call_command("pendataan", "funnel", "--csv", stdout=io.StringIO())
    return [Out("csv", given.capsys.readouterr().out)]


def partners_scorecard_cli(given: Given) -> list[Out]:
    from jamsos.partners.cli import partners

    cards = [
        SimpleNamespace(
            as_dict=lambda text=text: dict.fromkeys(partners.FIELDS, -1) | {"name": text}
        )
        for text in HOSTILE
    ]
    given.monkeypatch.setattr(partners, "scorecards", lambda query: cards)
    target = given.tmp_path / "kartu.csv"
    call_command("partners", "scorecard", "--csv", str(target), stdout=io.StringIO())
    return [Out("csv", target.read_bytes())]


def memberships_api_export(given: Given) -> list[Out]:
    from jamsos.membership.models import Person
    from jamsos.membership.services import bpu_self_register
    from jamsos.membership.tests.factories import person_create

    for text in HOSTILE:
        member = bpu_self_register(
            person=person_create(domicile=given.regions.sukarasa),
            declared_income_idr=1_000_000,
            start_date=date(2025, 3, 1),
            today=date(2025, 3, 3),
        )
        Person.objects.filter(pk=member.person_id).update(name=text)
    user, _ = _admin()
    response = _client(user).get("/api/v1/memberships/export.csv")
    assert response.status_code == 200, response.content
    return [Out("csv", b"".join(response.streaming_content))]


def _hostile_employers(given: Given) -> None:
    """Large employers named with the hostile texts: each has too few workers to be listed."""
    from jamsos.membership.services import pu_worker_register
    from jamsos.membership.tests.factories import employer_create, person_create

    for text in HOSTILE:
        employer = employer_create(village=given.regions.sukarasa, size="large", legal_name=text)
        pu_worker_register(
            employer=employer,
            person=person_create(domicile=given.regions.sukarasa),
            wage_idr=5_000_000,
            start_date=date(2025, 2, 1),
            today=date(2025, 3, 3),
        )


def compliance_page(given: Given) -> list[Out]:
    _hostile_employers(given)
    user, _ = _admin()
    client = _client(user)
    files = []
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/kerja/kepatuhan/?period=2025-02&format={fmt}")
        assert response.status_code == 200, response.content
        files.append(Out(fmt, response.content))
    return files


def compliance_cli(given: Given) -> list[Out]:
    _hostile_employers(given)
    out = io.StringIO()
    call_command("compliance", "employers", "--period", "2025-02", "--csv", stdout=out)
    return [Out("csv", out.getvalue())]


def wage_file_template(given: Given) -> list[Out]:
    from jamsos.membership.models import Person
    from jamsos.membership.services import pu_worker_register
    from jamsos.membership.tests.factories import employer_create, person_create
    from jamsos.uploads.wage_reports import wage_file_template as template

    employer = employer_create(village=given.regions.sukarasa)
    for text in HOSTILE:
        member = pu_worker_register(
            employer=employer,
            person=person_create(domicile=given.regions.sukarasa),
            wage_idr=5_000_000,
            start_date=date(2025, 2, 1),
            today=date(2025, 3, 3),
        )
        Person.objects.filter(pk=member.person_id).update(name=text)
    scope = Scope(role=Role.ADMIN, actor_name="test")
    return [
        Out(fmt, template(scope, employer=employer, file_format=fmt)) for fmt in ("csv", "xlsx")
    ]


def audit_trail_cli(given: Given) -> list[Out]:
    from jamsos.access.audit import audit_record

    for text in HOSTILE:
        audit_record(
            Scope(role=Role.ADMIN, actor_name=text),
            "view_full",
            target_type="membership.person",
            target_id="1",
            label=text,
        )
    out = io.StringIO()
    call_command("audit", "show", "--csv", stdout=out)
    return [Out("csv", out.getvalue())]


def region_import_report(given: Given) -> list[Out]:
    from jamsos.registry.services.region_import import regions_import

    path = given.tmp_path / "regencies.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)  # an input file with a bad code on every line
        writer.writerow(["code", "code_nodot", "name", "parent_code", "type"])
        for i, text in enumerate(HOSTILE):
            writer.writerow([f"3X{i}", text, text, "", ""])
    result = regions_import(path=path, edition="ekspor-2025", report_dir=given.tmp_path)
    assert not result.written
    return [Out("csv", result.report_path.read_bytes())]


#: Every CSV or XLSX Jamsos gives out, by the module that writes it.
EXPORTS: dict[str, tuple[str, Callable[[Given], list[Out]]]] = {
    "billing arrears page": ("billing/views.py", billing_arrears_page),
    "billing arrears --csv": ("billing/cli/reports.py", billing_arrears_cli),
    "billing lapsed --csv": ("billing/cli/reports.py", billing_lapsed_cli),
    "claims transfer page": ("claims/views.py", claims_transfer_page),
    "claims transfer API": ("claims/api/__init__.py", claims_transfer_api),
    "claims transfer-file": ("claims/cli.py", claims_transfer_cli),
    "coverage tables": ("coverage/views.py", coverage_tables),
    "coverage show --csv": ("coverage/cli/show.py", coverage_cli),
    "upload report": ("uploads/services/reports.py", upload_report),
    "upload template": ("uploads/services/reports.py", upload_template),
    "enrolment result file": ("partners/services/enrolment/results.py", enrolment_result_file),
    "door-to-door import report": ("partners/services/prospects.py", door_to_door_report),
    "pendataan funnel --csv": ("partners/cli/pendataan.py", pendataan_funnel_cli),
    "partners scorecard --csv": ("partners/cli/partners.py", partners_scorecard_cli),
    "memberships export.csv": ("membership/api/memberships.py", memberships_api_export),
    "audit show --csv": ("access/management/commands/audit.py", audit_trail_cli),
    "region import report": ("registry/services/region_import.py", region_import_report),
    "compliance page": ("membership/views/compliance.py", compliance_page),
    "compliance employers --csv": ("membership/management/commands/compliance.py", compliance_cli),
    "wage file template": ("uploads/wage_reports.py", wage_file_template),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_export_writes_what_a_spreadsheet_would_run_as_text(
    name: str,
    regions: Regions,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, build = EXPORTS[name]
    files = build(Given(regions, tmp_path, monkeypatch, capsys))
    assert files
    for out in files:
        if out.kind == "csv":
            assert_csv_safe(out.content, out.expected, delimiter=out.delimiter)
        else:
            assert isinstance(out.content, bytes)
            assert_xlsx_safe(out.content, out.expected)


# --- no other writer -----------------------------------------------------------------------------

_WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|\.write_(csv|excel)\(")
#: Modules that write a table which is no export, and why they may.
_NOT_EXPORTS = {
    # Builds the demo's input files (lists to import), written as a person would send them.
    "demo/partners.py",
    # Builds the XLSForm (the listing form's definition) from constants at development time.
    "partners/data/xlsform/build_xlsform.py",
    # Polars writes the COPY stream of the bulk row writer into the database, not a file.
    "core/bulkwrite.py",
}


def _modules() -> list[Path]:
    return [
        path
        for path in SRC.rglob("*.py")
        if "tests" not in path.relative_to(SRC).parts and "migrations" not in path.parts
    ]


def test_no_csv_or_xlsx_writer_outside_the_export_module() -> None:
    found = {
        path.relative_to(SRC).as_posix()
        for path in _modules()
        if _WRITERS.search(path.read_text(encoding="utf-8"))
    }
    assert found - _NOT_EXPORTS == {"core/exports.py"}
    assert found >= _NOT_EXPORTS, "an exception that no longer applies: drop it"


def test_every_module_that_uses_the_export_writer_is_in_the_table() -> None:
    calls = re.compile(r"\b(write_csv|write_csv_to|csv_lines|write_xlsx|report_csv|report_xlsx)\(")
    users = set()
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if "jamsos.core.exports import" in text and calls.search(text):
            users.add(path.relative_to(SRC).as_posix())
    assert users <= {module for module, _ in EXPORTS.values()}
