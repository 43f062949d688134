"""The reader with columns given as parameters (:class:`ColumnSpec`): names and aliases, the
header on a later row, the columns read, duplicates, and the refusals of missing columns."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from jamsos.uploads import errors
from jamsos.uploads.parsing import UPLOAD_COLUMNS, ColumnSpec, parse_upload, read_table
from jamsos.uploads.tests.conftest import csv_bytes, worker

SPEC = ColumnSpec(
    names={
        "nik": ("nik", "nik", "no_ktp"),
        "name": ("nama", "name", "nama_lengkap"),
        "phone": ("telepon", "phone", "no_hp"),
        "remark": ("keterangan", "remark"),
    },
    required=("nik", "name"),
    optional=("phone",),
)


def _xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_aliases_name_the_columns_in_any_case_and_order() -> None:
    content = b"No. HP;Nama Lengkap;No KTP\n0812;Siti;3204051705900101\n"
    table = read_table(content, file_name="a.csv", columns=SPEC)
    assert table.keys == ["phone", "name", "nik"]
    assert table.columns == ["No. HP", "Nama Lengkap", "No KTP"]
    assert table.rows[0].values == {"phone": "0812", "name": "Siti", "nik": "3204051705900101"}
    assert SPEC.key_of("Nama (sesuai KTP)") == "name"
    assert SPEC.label("nik") == "nik"
    assert SPEC.label("name") == "nama / name"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_header_may_sit_below_a_title(file_format: str) -> None:
    rows = [
        ["Daftar pendataan Desa Cileunyi Kulon", None, None],
        [None, None, None],
        ["nik", "nama", "telepon"],
        ["3204051705900101", "Siti", "0812"],
    ]
    if file_format == "csv":
        content = "\n".join(",".join(c or "" for c in r) for r in rows).encode()
    else:
        content = _xlsx(*rows)
    table = read_table(content, file_name=f"a.{file_format}", columns=SPEC)
    assert table.file_format == file_format
    assert table.keys == ["nik", "name", "phone"]
    assert [r.line for r in table.rows] == [4]
    assert table.rows[0].values["name"] == "Siti"


def test_a_column_outside_required_and_optional_is_ignored_and_unknown_ones_listed() -> None:
    content = b"nik,nama,keterangan,warna,baris\n3204051705900101,Siti,x,merah,7\n"
    table = read_table(content, file_name="a.csv", columns=SPEC)
    assert table.keys == ["nik", "name", None, None, None]
    # "baris" is a column of the upload's report: quiet by default
    assert table.ignored == ["keterangan", "warna"]
    assert table.rows[0].values == {"nik": "3204051705900101", "name": "Siti"}


def test_a_missing_required_column_is_refused_in_both_languages() -> None:
    with pytest.raises(errors.MissingColumns) as refused:
        read_table(b"nik,telepon\n3204051705900101,0812\n", file_name="a.csv", columns=SPEC)
    assert refused.value.message_in("id") == (
        "Kolom wajib tidak ada: nama / name. Baris judul yang terbaca: nik, telepon. "
        "Gunakan templat."
    )
    assert refused.value.message_in("en") == (
        "Required columns are missing: nama / name. Header read: nik, telepon. Use the template."
    )


def test_a_file_naming_no_column_is_refused_with_every_required_one() -> None:
    with pytest.raises(errors.MissingColumns) as refused:
        read_table(b"a,b\n1,2\n", file_name="a.csv", columns=SPEC)
    assert refused.value.message_in("en").startswith(
        "Required columns are missing: nik, nama / name. Header read: a,b."
    )


def test_the_refusal_of_missing_columns_may_be_the_readers_own() -> None:
    class Mine(Exception):
        pass

    seen: list[tuple[list[str], str]] = []

    def refuse(missing: list[str], found: str) -> Exception:
        seen.append((missing, found))
        return Mine()

    spec = ColumnSpec(names=SPEC.names, required=("nik", "name", "phone"), refuse_missing=refuse)
    with pytest.raises(Mine):
        read_table(b"nik,keterangan\n1,2\n", file_name="a.csv", columns=spec)
    assert seen == [(["name", "phone"], "nik, keterangan")]


def test_duplicates_are_refused_by_default_or_as_the_spec_says() -> None:
    content = b"nik,nama,name\n3204051705900101,Siti,Siti Aminah\n"
    with pytest.raises(errors.DuplicateColumn) as refused:
        read_table(content, file_name="a.csv", columns=SPEC)
    assert refused.value.message_in("en") == (
        "Column nama / name appears more than once in the header."
    )
    first = ColumnSpec(names=SPEC.names, required=SPEC.required, on_duplicate=lambda *a: False)
    table = read_table(content, file_name="a.csv", columns=first)
    assert (table.rows[0].values["name"], table.ignored) == ("Siti", ["name"])
    last = ColumnSpec(names=SPEC.names, required=SPEC.required, on_duplicate=lambda *a: True)
    table = read_table(content, file_name="a.csv", columns=last)
    assert (table.rows[0].values["name"], table.ignored) == ("Siti Aminah", ["nama"])


def test_normalise_and_quiet_are_the_readers() -> None:
    spec = ColumnSpec(
        names=SPEC.names,
        required=SPEC.required,
        normalise=lambda text: str(text or "").rsplit("/", 1)[-1].strip().lower(),
        quiet=lambda text: text.startswith("_"),
    )
    content = b"grup/nik,grup/nama,_id,lain\n3204051705900101,Siti,9,x\n"
    table = read_table(content, file_name="a.csv", columns=spec)
    assert table.keys == ["nik", "name", None, None]
    assert table.ignored == ["lain"]


def test_a_table_without_rows_is_returned_the_upload_refuses_it() -> None:
    table = read_table(b"nik,nama\n,\n", file_name="a.csv", columns=SPEC)
    assert table.rows == []
    with pytest.raises(errors.NoRows):
        parse_upload(csv_bytes([worker(1)]).split(b"\n")[0] + b"\n", file_name="a.csv")


def test_the_upload_reads_with_its_own_spec() -> None:
    content = csv_bytes([worker(1)])
    assert read_table(content, file_name="a.csv", columns=UPLOAD_COLUMNS).keys == (
        parse_upload(content, file_name="a.csv").keys
    )


def test_a_report_of_ours_read_back_loses_the_formula_quote():
    """A corrected upload report comes back with the quotes the export put before ``+`` and
    ``=``; the reader takes them off again, and leaves any other text alone."""
    from jamsos.uploads.parsing import cell_text

    assert cell_text("'+6281234567890") == "+6281234567890"
    assert cell_text(" '=1+1 ") == "=1+1"
    assert cell_text("'Sutrisno") == "'Sutrisno"
    assert cell_text("+6281234567890") == "+6281234567890"
