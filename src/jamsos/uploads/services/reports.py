"""Files given back: the per-row report of an upload, and the empty template.

The report has the file's own columns as sent, then the row number, the status and every reason
in the reader's language (and notes, and the KPJ once written), so that the rejected rows can be
corrected in place and uploaded again (the added columns are ignored on the way back in). It
goes back to the employer who sent the data, so values are not masked; each download is recorded
in the audit trail (``export``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.formatting import language_of
from jamsos.uploads.errors import InvalidReportFormat
from jamsos.uploads.messages import COLUMN_NAMES, reason_message, status_name
from jamsos.uploads.models import RowStatus, UploadFormat, UploadStatus, WorkerUploadRow
from jamsos.uploads.parsing import OPTIONAL, REQUIRED
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import KpjSeries, upload_get
from jamsos.uploads.validation import EXAMPLE_NAME

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
REPORT_HEADERS = {
    "id": ("baris", "status", "alasan", "catatan", "kpj"),
    "en": ("row", "status", "reasons", "notes", "kpj"),
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0F6B4F")
_EXAMPLE_FILL = PatternFill("solid", fgColor="FFF4CC")
_FORMULA_START = ("=", "@")


@dataclass(frozen=True)
class FileOut:
    file_name: str
    content_type: str
    content: bytes


def _format(value: str) -> str:
    text = str(value or "").strip().lower().lstrip(".")
    if text not in UploadFormat.values:
        raise InvalidReportFormat(value=value)
    return text


def _safe(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is written as text (CSV injection)."""
    if value.startswith(_FORMULA_START) or (
        value[:1] in ("+", "-") and len(value) > 1 and not value[1].isdigit()
    ):
        return "'" + value
    return value


def upload_report(
    *,
    scope: Scope,
    upload_id: int | str,
    file_format: str,
    language: str = "id",
    only_rejected: bool = False,
) -> FileOut:
    """The report of one upload (every row, or the rejected rows only) as XLSX or CSV."""
    UPLOADS.require(scope, "upload.view")
    file_format = _format(file_format)
    language = language_of(language)
    upload = upload_get(scope, pk=upload_id)
    query = WorkerUploadRow.objects.filter(upload=upload)
    if only_rejected:
        query = query.filter(status=RowStatus.REJECTED)
    width = len(upload.columns)
    header = [*upload.columns, *REPORT_HEADERS[language]]

    committed = upload.status == UploadStatus.COMMITTED
    series = KpjSeries(upload)

    def lines() -> Iterator[list[str]]:
        for line, status, raw, reasons, notes, start_date in (
            query.order_by("line")
            .values_list("line", "status", "raw", "reasons", "notes", "start_date")
            .iterator(chunk_size=5000)
        ):
            cells = [str(c) for c in raw[:width]] + [""] * max(0, width - len(raw))
            written = committed and status == RowStatus.VALID
            kpj = series.next(start_date) if written and start_date is not None else ""
            yield [
                *cells,
                str(line),
                status_name("written" if written else status, language),
                " | ".join(reason_message(r, language) for r in reasons),
                " | ".join(reason_message(n, language) for n in notes),
                kpj,
            ]

    stem = f"laporan-unggahan-{upload.pk}" if language == "id" else f"upload-report-{upload.pk}"
    if only_rejected:
        stem += "-ditolak" if language == "id" else "-rejected"
    if file_format == "csv":
        content, count = write_csv(header, lines(), delimiter=upload.delimiter or ",")
        out = FileOut(f"{stem}.csv", CSV_TYPE, content)
    else:
        content, count = write_xlsx(
            header, lines(), title="Laporan" if language == "id" else "Report"
        )
        out = FileOut(f"{stem}.xlsx", XLSX_TYPE, content)
    audit_record(
        scope,
        AuditAction.EXPORT,
        upload,
        label=f"{upload.file_name} → NPP {upload.employer.npp}"[:200],
        detail={
            "report": file_format,
            "rows": count,
            "only_rejected": only_rejected,
            "language": language,
        },
    )
    return out


def write_csv(
    header: list[str], lines: Iterator[list[str]], *, delimiter: str
) -> tuple[bytes, int]:
    """A CSV file of ``header`` then ``lines`` (UTF-8 with BOM, so Excel opens it as such;
    cells that a spreadsheet would run as a formula are made text), and its number of lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for cells in lines:
        writer.writerow([_safe(c) for c in cells])
        count += 1
    # With a BOM, Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def write_xlsx(header: list[str], lines: Iterator[list[str]], *, title: str) -> tuple[bytes, int]:
    """An XLSX workbook of one sheet ``title``: ``header`` bold and frozen, then ``lines`` as
    text (never a formula); and its number of lines."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, len(text) + 4))
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for values in lines:
        row = []
        for value in values:
            if value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


# --- template -----------------------------------------------------------------------------------

#: What each column holds, for the template's instructions sheet.
COLUMN_HELP: dict[str, dict[str, str]] = {
    "nik": {
        "id": "NIK 16 angka, sesuai KTP. Format kolom sebagai Teks agar Excel tidak memotongnya.",
        "en": "16-digit NIK as on the ID card. Format the column as Text so Excel keeps it whole.",
    },
    "name": {"id": "Nama lengkap.", "en": "Full name."},
    "birth_date": {
        "id": "Tanggal lahir: TTTT-BB-HH (1990-05-17) atau HH-BB-TTTT (17-05-1990).",
        "en": "Birth date: YYYY-MM-DD (1990-05-17) or DD-MM-YYYY (17-05-1990).",
    },
    "sex": {
        "id": "L (laki-laki) atau P (perempuan); M/F juga diterima.",
        "en": "L or P (M or F also accepted).",
    },
    "phone": {
        "id": "Opsional. Nomor ponsel Indonesia, misalnya 081234567890.",
        "en": "Optional. Indonesian mobile number, e.g. 081234567890.",
    },
    "village_code": {
        "id": "Kode desa/kelurahan domisili (Kemendagri), 10 digit: 32.04.05.2001 atau 3204052001.",
        "en": "Domicile village code (Kemendagri), 10 digits: 32.04.05.2001 or 3204052001.",
    },
    "wage": {
        "id": "Upah sebulan (upah pokok + tunjangan tetap) dalam rupiah bulat: 4500000 atau "
        "4.500.000.",
        "en": "Monthly wage (basic + fixed allowances) in whole rupiah: 4500000 or 4.500.000.",
    },
    "start_date": {
        "id": "Tanggal mulai bekerja/kepesertaan: TTTT-BB-HH atau HH-BB-TTTT.",
        "en": "Start date of work/membership: YYYY-MM-DD or DD-MM-YYYY.",
    },
    "programs": {
        "id": "Opsional. Program tambahan, misalnya JHT,JP. Kosong: program wajib sesuai skala "
        "usaha.",
        "en": "Optional. Extra programs, e.g. JHT,JP. Empty: the employer size's mandatory "
        "programs.",
    },
}
EXAMPLE_ROW: dict[str, object] = {
    "nik": "3204055705900001",
    "name": EXAMPLE_NAME,
    "birth_date": "1990-05-17",
    "sex": "P",
    "phone": "081234567890",
    "village_code": "32.04.05.2001",
    "wage": "4.500.000",
    "start_date": date(2025, 7, 1).isoformat(),
    "programs": "JHT,JP",
}
#: The template's column order: the person, the domicile, the membership.
TEMPLATE_COLUMNS = (*REQUIRED[:4], *OPTIONAL[:1], *REQUIRED[4:], *OPTIONAL[1:])


def upload_template(*, file_format: str, language: str = "id") -> FileOut:
    """The empty template: the header (Indonesian or English names) and one example row, which
    is refused if it is uploaded as it is."""
    file_format = _format(file_format)
    language = language_of(language)
    names = [COLUMN_NAMES[k][0 if language == "id" else 1] for k in TEMPLATE_COLUMNS]
    example = [str(EXAMPLE_ROW[k]) for k in TEMPLATE_COLUMNS]
    stem = "templat-pekerja" if language == "id" else "workers-template"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerow(example)
        return FileOut(f"{stem}.csv", CSV_TYPE, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pekerja" if language == "id" else "Workers"
    sheet.append(names)
    sheet.append(example)
    for index, key in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 44 if key == "name" else 18
        header = sheet.cell(row=1, column=index)
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        sample = sheet.cell(row=2, column=index)
        sample.fill = _EXAMPLE_FILL
        # Text, so that Excel keeps all 16 digits of a NIK, a phone's leading 0, and dates as
        # typed (DD-MM-YYYY is read the same whatever the computer's settings).
        if key not in ("wage", "name"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Petunjuk" if language == "id" else "Instructions")
    guide.append(
        ["kolom", "wajib", "isi"] if language == "id" else ["column", "required", "content"]
    )
    for cell in guide[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    yes, no = ("ya", "tidak") if language == "id" else ("yes", "no")
    for key, name in zip(TEMPLATE_COLUMNS, names, strict=True):
        guide.append([name, yes if key in REQUIRED else no, COLUMN_HELP[key][language]])
    note = (
        "Baris 2 lembar pertama adalah contoh: hapus sebelum mengunggah (baris contoh selalu "
        "ditolak). Satu baris per pekerja; baris kosong dilewati. Urutan kolom bebas; nama "
        "kolom boleh bahasa Indonesia atau Inggris."
        if language == "id"
        else "Row 2 of the first sheet is an example: delete it before uploading (the example "
        "row is always refused). One row per worker; empty rows are skipped. Columns may come "
        "in any order, named in Indonesian or English."
    )
    guide.append([])
    guide.append([note])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    content = io.BytesIO()
    workbook.save(content)
    return FileOut(f"{stem}.xlsx", XLSX_TYPE, content.getvalue())
