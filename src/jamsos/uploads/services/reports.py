"""Files given back: the per-row report of an upload, and the empty template.

The report has the file's own columns as sent, then the row number, the status and every reason
in the reader's language (and notes, and the KPJ once written), so that the rejected rows can be
corrected in place and uploaded again (the added columns are ignored on the way back in). It
goes back to the employer who sent the data, so values are not masked; each download is recorded
in the audit trail (``export``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.exports import CSV_TYPE, XLSX_TYPE, Cell, Counted, Sheet, write_csv, write_xlsx
from jamsos.core.formatting import language_of
from jamsos.uploads.errors import InvalidReportFormat
from jamsos.uploads.messages import COLUMN_NAMES, reason_message, status_name
from jamsos.uploads.models import RowStatus, UploadFormat, UploadStatus, WorkerUploadRow
from jamsos.uploads.parsing import OPTIONAL, REQUIRED
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import KpjSeries, upload_get
from jamsos.uploads.validation import EXAMPLE_NAME

REPORT_HEADERS = {
    "id": ("baris", "status", "alasan", "catatan", "kpj"),
    "en": ("row", "status", "reasons", "notes", "kpj"),
}
_EXAMPLE_FILL = "FFF4CC"
#: The empty rows of the template's first sheet formatted as text, for Excel to keep NIKs whole.
_TEMPLATE_TEXT_ROWS = 1000


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

    def lines() -> Iterable[list[str]]:
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
        content, count = report_csv(header, lines(), delimiter=upload.delimiter or ",")
        out = FileOut(f"{stem}.csv", CSV_TYPE, content)
    else:
        content, count = report_xlsx(
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


def report_csv(
    header: Sequence[str], lines: Iterable[Sequence[object]], *, delimiter: str
) -> tuple[bytes, int]:
    """A per-row report as CSV (UTF-8 with BOM, so Excel opens it as such; see
    :mod:`jamsos.core.exports` for what is made safe), and its number of lines."""
    rows = Counted(lines)
    return write_csv(rows, header, delimiter=delimiter, bom=True), rows.count


def report_xlsx(
    header: Sequence[str], lines: Iterable[Sequence[object]], *, title: str
) -> tuple[bytes, int]:
    """A per-row report as an XLSX workbook of one sheet ``title``: ``header`` as a frozen
    banner, then ``lines`` as text (never a formula); and its number of lines."""
    rows = Counted(lines)
    sheet = Sheet(
        title,
        header,
        rows,
        header_style="banner",
        freeze_header=True,
        widths=[min(60, max(12, len(text) + 4)) for text in header],
    )
    return write_xlsx(sheet), rows.count


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
        return FileOut(f"{stem}.csv", CSV_TYPE, write_csv([example], names, bom=True))
    # Text, so that Excel keeps all 16 digits of a NIK, a phone's leading 0, and dates as typed
    # (DD-MM-YYYY is read the same whatever the computer's settings).
    text_format = ["@" if key not in ("wage", "name") else None for key in TEMPLATE_COLUMNS]
    sample = [
        Cell(value, number_format=fmt, fill=_EXAMPLE_FILL)
        for value, fmt in zip(example, text_format, strict=True)
    ]
    empty = [Cell(number_format=fmt) if fmt else None for fmt in text_format]
    workers = Sheet(
        "Pekerja" if language == "id" else "Workers",
        names,
        [sample, *([empty] * (_TEMPLATE_TEXT_ROWS - 1))],
        header_style="banner",
        freeze_header=True,
        widths=[44 if key == "name" else 18 for key in TEMPLATE_COLUMNS],
    )
    yes, no = ("ya", "tidak") if language == "id" else ("yes", "no")
    note = (
        "Baris 2 lembar pertama adalah contoh: hapus sebelum mengunggah (baris contoh selalu "
        "ditolak). Satu baris per pekerja; baris kosong dilewati. Urutan kolom bebas; nama "
        "kolom boleh bahasa Indonesia atau Inggris."
        if language == "id"
        else "Row 2 of the first sheet is an example: delete it before uploading (the example "
        "row is always refused). One row per worker; empty rows are skipped. Columns may come "
        "in any order, named in Indonesian or English."
    )
    guide = Sheet(
        "Petunjuk" if language == "id" else "Instructions",
        ["kolom", "wajib", "isi"] if language == "id" else ["column", "required", "content"],
        [
            *(
                [
                    Cell(name, wrap=True),
                    Cell(yes if key in REQUIRED else no, wrap=True),
                    Cell(COLUMN_HELP[key][language], wrap=True),
                ]
                for key, name in zip(TEMPLATE_COLUMNS, names, strict=True)
            ),
            [],
            [Cell(note, wrap=True)],
        ],
        header_style="banner",
        widths=[18, 10, 100],
    )
    return FileOut(f"{stem}.xlsx", XLSX_TYPE, write_xlsx(workers, guide))
