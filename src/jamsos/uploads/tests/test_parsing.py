"""Reading files: formats, encodings, delimiters, headers, and whole-file refusals."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from jamsos.uploads import errors
from jamsos.uploads.parsing import cell_text, header_key, parse_upload, read_capped
from jamsos.uploads.tests.conftest import HEADER, csv_bytes, excel, worker, xlsx_bytes

ROWS = [worker(1), worker(2, sex="F")]


def test_csv_with_comma():
    parsed = parse_upload(csv_bytes(ROWS), file_name="a.csv")
    assert parsed.file_format == "csv"
    assert parsed.delimiter == ","
    assert parsed.columns == HEADER
    assert [r.line for r in parsed.rows] == [2, 3]
    assert parsed.rows[0].values["nik"] == ROWS[0]["nik"]
    assert parsed.rows[0].values["village_code"] == "32.04.05.2001"
    assert parsed.rows[0].raw[6] == "4.500.000"


def test_csv_with_semicolon_and_bom_as_indonesian_excel_writes_it():
    content = codecs.BOM_UTF8 + csv_bytes(ROWS, delimiter=";")
    parsed = parse_upload(content, file_name="a.csv")
    assert parsed.delimiter == ";"
    assert parsed.columns[0] == "nik"  # the BOM is not part of the first header
    assert parsed.rows[1].values["sex"] == "P"


def test_csv_in_utf16_and_in_windows_1252():
    text = csv_bytes([worker(1, nama="Ni Made Ayu Ariani")], delimiter="\t").decode()
    utf16 = parse_upload(text.encode("utf-16"), file_name="unicode.txt")
    assert utf16.delimiter == "\t"
    assert utf16.rows[0].values["name"] == "Ni Made Ayu Ariani"
    cp1252 = csv_bytes([worker(1, nama="José Ramos Hôrta")]).decode().encode("cp1252")
    assert parse_upload(cp1252, file_name="a.csv").rows[0].values["name"] == "José Ramos Hôrta"


def test_english_names_any_order_a_title_row_and_unknown_columns():
    header = ["Name", "NIK", "Birth Date", "sex", "village_code", "Wage (Rp)", "start_date", "dept"]
    rows = [{"Name": "Budi", "NIK": "3204051705900001", "dept": "Gudang"}]
    body = csv_bytes(rows, header=header).decode()
    content = ("Daftar pekerja PT Maju\n\n" + body).encode()
    parsed = parse_upload(content, file_name="a.csv")
    assert parsed.keys[:3] == ["name", "nik", "birth_date"]
    assert parsed.keys[5] == "wage"
    assert parsed.ignored == ["dept"]
    assert parsed.rows[0].line == 4
    assert parsed.rows[0].values["name"] == "Budi"


def test_report_columns_are_read_back_without_complaint():
    header = [*HEADER, "baris", "status", "alasan", "catatan", "kpj"]
    parsed = parse_upload(csv_bytes(ROWS, header=header), file_name="laporan.csv")
    assert parsed.ignored == []
    assert len(parsed.rows) == 2


def test_empty_rows_are_skipped_and_rows_keep_their_number():
    header, first = csv_bytes([worker(1)]).decode().splitlines()
    second = csv_bytes([worker(2)]).decode().splitlines()[1]
    content = "\n".join([header, first, ",,,,,,,,", "", second]).encode()
    parsed = parse_upload(content, file_name="a.csv")
    assert [r.line for r in parsed.rows] == [2, 5]


def test_xlsx_with_real_dates_numbers_and_a_sheet_before_the_list():
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Catatan"
    notes.append(["Daftar ini untuk bulan Maret"])
    sheet = workbook.create_sheet("Pekerja")
    sheet.append(HEADER)
    sheet.append(
        [
            "3204051705900001",
            "Budi",
            excel(1990, 5, 17),
            "L",
            81234567890,
            "3204052001",
            4500000,
            excel(2025, 3, 1),
            None,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_upload(buffer.getvalue(), file_name="pekerja.xlsx")
    assert parsed.file_format == "xlsx"
    row = parsed.rows[0]
    assert row.line == 2
    assert row.values["birth_date"] == excel(1990, 5, 17)
    assert row.values["wage"] == 4500000
    assert row.raw[2] == "1990-05-17"
    assert row.raw[4] == "81234567890"


def test_xlsx_built_by_the_helper():
    parsed = parse_upload(xlsx_bytes(ROWS), file_name="a.xlsx")
    assert [r.values["nik"] for r in parsed.rows] == [ROWS[0]["nik"], ROWS[1]["nik"]]


@pytest.mark.parametrize(
    ("content", "detected"),
    [
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Excel 97-2003 (.xls) or Word (.doc)"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "a PNG image"),
        (b"\x00\x01\x02\x03binary\x00\x00" * 20, "a binary file"),
    ],
)
def test_wrong_file_types_are_refused_whole(content, detected):
    with pytest.raises(errors.WrongFileType) as caught:
        parse_upload(content, file_name="pekerja.csv")
    assert caught.value.extra["detected"] == detected
    assert "XLSX" in caught.value.message_in("en")
    assert "bukan XLSX atau CSV" in caught.value.message_in("id")


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_word_document_renamed_xlsx_is_refused():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    with pytest.raises(errors.WrongFileType) as caught:
        parse_upload(docx, file_name="pekerja.xlsx")
    assert "Word" in caught.value.message_in("en")
    with pytest.raises(errors.WrongFileType):
        parse_upload(_zip({"data.csv": b"nik"}), file_name="pekerja.zip")


def test_a_damaged_workbook_is_refused():
    broken = _zip({"xl/workbook.xml": b"<not really>"})
    with pytest.raises(errors.UnreadableWorkbook):
        parse_upload(broken, file_name="rusak.xlsx")


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n", codecs.BOM_UTF8, b";;;;\n;;;\n", b",,,\r\n"],
)
def test_empty_files_are_refused(content):
    with pytest.raises(errors.EmptyFile) as caught:
        parse_upload(content, file_name="kosong.csv")
    assert caught.value.message_in("id") == "Berkas kosong.csv kosong."


def test_an_empty_workbook_is_refused():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(errors.EmptyFile):
        parse_upload(buffer.getvalue(), file_name="kosong.xlsx")


def test_a_header_without_rows_is_refused():
    with pytest.raises(errors.NoRows):
        parse_upload(csv_bytes([]), file_name="judul.csv")
    with pytest.raises(errors.NoRows):
        parse_upload(xlsx_bytes([]), file_name="judul.xlsx")


def test_missing_columns_are_named():
    header = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "upah"]
    with pytest.raises(errors.MissingColumns) as caught:
        parse_upload(csv_bytes([worker(1)], header=header), file_name="a.csv")
    message = caught.value.message_in("en")
    assert "kode_desa / village_code" in message
    assert "tanggal_mulai / start_date" in message
    assert "nik, nama, tanggal_lahir, jenis_kelamin, upah" in message


def test_text_that_is_not_a_list_of_workers_is_refused_by_its_header():
    with pytest.raises(errors.MissingColumns):
        parse_upload(b"Dear HR,\nplease find the list attached.\n", file_name="surat.txt")


def test_a_column_given_twice_is_refused():
    header = [*HEADER, "name"]
    with pytest.raises(errors.DuplicateColumn) as caught:
        parse_upload(csv_bytes([worker(1)], header=header), file_name="a.csv")
    assert "nama / name" in caught.value.message_in("en")


def test_more_rows_than_the_cap_is_refused(settings):
    settings.JAMSOS_UPLOAD_MAX_ROWS = 3
    assert len(parse_upload(csv_bytes([worker(i) for i in range(1, 4)]), file_name="a").rows) == 3
    with pytest.raises(errors.TooManyRows) as caught:
        parse_upload(csv_bytes([worker(i) for i in range(1, 5)]), file_name="a.csv")
    assert caught.value.http_status == 413
    with pytest.raises(errors.TooManyRows):
        parse_upload(xlsx_bytes([worker(i) for i in range(1, 5)]), file_name="a.xlsx")


def test_more_bytes_than_the_cap_is_refused(settings):
    settings.JAMSOS_UPLOAD_MAX_BYTES = 1024 * 1024
    big = csv_bytes([worker(1)]) + b"x" * (1024 * 1024)
    with pytest.raises(errors.FileTooLarge) as caught:
        parse_upload(big, file_name="besar.csv")
    assert "1 MB" in caught.value.message_in("en")
    with pytest.raises(errors.FileTooLarge):
        read_capped(io.BytesIO(big), file_name="besar.csv")
    assert read_capped(io.BytesIO(b"abc"), file_name="kecil.csv") == b"abc"


def test_header_key_and_cell_text():
    assert header_key("\ufeffTanggal Lahir (YYYY-MM-DD)*") == "tanggal_lahir"
    assert header_key(" Kode-Desa ") == "kode_desa"
    assert cell_text(4500000.0) == "4500000"
    assert cell_text(excel(2025, 3, 1)) == "2025-03-01"
    assert cell_text(None) == ""


def _sheet_values(content: bytes) -> tuple[list[tuple[int, list]], list[tuple[int, list]]]:
    """The rows as the fast reader gives them, and as openpyxl's own iter_rows gives them."""
    from openpyxl import load_workbook

    from jamsos.uploads.parsing import _Workbook

    def trimmed(cells):
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        return cells

    loaded = _Workbook.load(content, file_name="a.xlsx")
    fast = [(n, trimmed(c)) for n, c in loaded.rows(loaded.sheets[0])]
    loaded.archive.close()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    fast = [(n, c) for n, c in fast if c]
    slow = [
        (n, trimmed(c))
        for n, c in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return fast, [(n, c) for n, c in slow if c]


def test_the_fast_sheet_reader_reads_what_openpyxl_reads():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nik", "nama", "tanggal", "angka", "benar", "kosong", "pecahan"])
    sheet.append(["3204051705900001", "Ni Made Ayu", excel(1990, 5, 17), 4500000, True, None, 0.5])
    sheet.append([])  # an empty row Excel leaves out
    sheet.append([None, "Tanpa NIK", excel(2025, 3, 1), -2, False, None, 1.25e-7])
    sheet["J6"] = "far right"
    sheet["A8"] = "=1+1"  # a formula without a cached value
    sheet["B2"].number_format = "@"
    sheet["C4"].number_format = "DD/MM/YYYY"
    sheet["D4"].number_format = "yyyy-mm-dd"  # a date format on a number: a date
    buffer = io.BytesIO()
    workbook.save(buffer)
    fast, slow = _sheet_values(buffer.getvalue())
    assert fast == slow
    assert fast[1][1][2] == excel(1990, 5, 17)
    assert fast[3][0] == 6  # the row keeps its number


def test_the_fast_reader_handles_inline_strings_and_prefixed_names():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pekerja")
    sheet.append(["nik", "nama"])
    sheet.append(["3204051705900001", "Budi"])
    buffer = io.BytesIO()
    book.save(buffer)
    expected = [(1, ["nik", "nama"]), (2, ["3204051705900001", "Budi"])]
    fast, slow = _sheet_values(buffer.getvalue())
    assert fast == slow == expected
    # The same sheet with prefixed element names (<x:row>, <x:c>), as some libraries write.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    prefixed = io.BytesIO()
    with zipfile.ZipFile(prefixed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode().replace('xmlns="', 'xmlns:x="', 1)
                data = re.sub(r"<(/?)([a-zA-Z]+)([ />])", r"<\1x:\2\3", text).encode()
            target.writestr(item, data)
    fast, slow = _sheet_values(prefixed.getvalue())
    assert fast == slow == expected
