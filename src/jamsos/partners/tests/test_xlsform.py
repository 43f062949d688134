"""The shipped XLSForm: its sheets and field names, and that its export headers map."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from jamsos.partners.services.xlsform import column_key

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
