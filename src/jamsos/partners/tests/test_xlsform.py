"""The shipped XLSForm: its sheets and field names, and that its export headers map."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jamsos.partners.services.xlsform import NoRowsInFile, WrongColumns, column_key, read_rows

FORM = Path(__file__).resolve().parents[1] / "data" / "xlsform" / "jamsos_pendataan.xlsx"


def test_form_sheets_and_fields() -> None:
    book = openpyxl.load_workbook(FORM, read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = list(book["survey"].iter_rows(values_only=True))
    assert survey[0][:4] == (
        "type",
        "name",
        "label::Bahasa Indonesia (id)",
        "label::English (en)",
    )
    names = [r[1] for r in survey[1:] if r[1]]
    assert names == [
        "start", "end", "today", "deviceid", "campaign_code", "cadre_code",
        "group_identitas", "nik", "name", "birth_date",
        "group_kontak", "consent_contact", "phone",
        "group_pekerjaan", "occupation", "estimated_income", "ecosystem",
        "group_alamat", "village_code", "address",
    ]  # fmt: skip
    nik = next(r for r in survey if r[1] == "nik")
    assert nik[0] == "text"
    assert "^[0-9]{16}$" in nik[7]
    assert nik[10] == "numbers"
    phone = next(r for r in survey if r[1] == "phone")
    assert phone[6] == "${consent_contact} = 'yes'"
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[1][1] == "jamsos_pendataan"
    choices = {(r[0], r[1]) for r in book["choices"].iter_rows(min_row=2, values_only=True)}
    assert ("yes_no", "yes") in choices
    assert ("ecosystem", "umkm") in choices


def test_every_data_field_is_read_back() -> None:
    book = openpyxl.load_workbook(FORM, read_only=True)
    types = {r[1]: r[0] for r in book["survey"].iter_rows(min_row=2, values_only=True)}
    data = [
        n
        for n, t in types.items()
        if n and t not in {"start", "end", "today", "deviceid", "begin_group", "end_group"}
    ]
    assert {n: column_key(f"group_x/{n}") for n in data} == {n: n for n in data}
    assert column_key("meta/instanceID") == "source_ref"
    assert column_key("_uuid") == "source_ref"


def test_a_kobo_csv_reads_instance_id_over_uuid_and_drops_group_paths() -> None:
    content = (
        b"start;group_identitas/nik;group_identitas/name;_uuid;meta/instanceID;warna\n"
        b"2025-03-01;3204051705900101;Siti;abc;uuid:def;merah\n"
    )
    result = read_rows(content, file_name="kobo.csv")
    assert result.file_format == "kobo-csv"
    [row] = result.rows
    assert row.line == 2
    assert row.values == {"nik": "3204051705900101", "name": "Siti", "source_ref": "def"}
    assert result.ignored == ["warna"]  # export columns ("start", "_uuid") are not listed


def test_a_table_below_a_title_and_the_refusals_of_its_columns() -> None:
    content = b"Pendataan Desa Cileunyi Kulon\n\nNo KTP,Nama Lengkap\n3204051705900101,Siti\n"
    [row] = read_rows(content, file_name="a.csv").rows
    assert (row.line, row.values["name"]) == (4, "Siti")
    with pytest.raises(WrongColumns) as refused:
        read_rows(b"nik,nama,nik\n1,2,3\n", file_name="a.csv")
    assert refused.value.message_in("en") == (
        "Required Columns missing: nik (2x). Columns found: nik, nama, nik."
    )
    with pytest.raises(WrongColumns) as refused:
        read_rows(b"nik,alamat\n1,2\n", file_name="a.csv")
    assert refused.value.message_in("id") == (
        "Kolom wajib tidak ada: name. Kolom yang ditemukan: nik, alamat."
    )
    with pytest.raises(NoRowsInFile):
        read_rows(b"nik,nama\n", file_name="a.csv")
