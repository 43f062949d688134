"""The result file of a batch: every row with its status and reason in Bahasa Indonesia and
English, and the KPJ of those enrolled."""

from __future__ import annotations

from typing import Any

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.exports import CSV_TYPE, XLSX_TYPE
from jamsos.partners.models import EnrolmentBatch, EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment.columns import (
    STATUS_TEXT,
    column_spec,
    reason,
    reason_text,
    reasons_text,
)
from jamsos.partners.services.enrolment.errors import BadFormat
from jamsos.uploads.services.reports import FileOut, report_csv, report_xlsx

RESULT_HEADER = ("baris", "nik", "nama", "status", "status_en", "alasan", "reason_en", "kpj")


def row_reasons(row: EnrolmentRow, language: str) -> str:
    """Why a row has its status, in ``language`` (reasons first, else the last note)."""
    data = row.data or {}
    reasons = list(data.get("_reasons") or [])
    notes = list(data.get("_notes") or [])
    if row.status == RowStatus.SKIPPED and row.batch.decision_note:
        return reason_text(
            reason("enrolment.rejected_batch", "", note=row.batch.decision_note), language
        )
    if reasons:
        return reasons_text(reasons, language)
    if row.status == RowStatus.VALID:
        return reason_text(reason("enrolment.waiting"), language) + (
            "; " + reasons_text(notes[-1:], language) if notes else ""
        )
    return reasons_text(notes[-1:], language)


def batch_result_file(*, scope: Scope, batch_id: int, file_format: str = "xlsx") -> FileOut:
    """Every row of the batch: its columns as sent, then row, NIK, name, status and reason in
    Bahasa Indonesia and English, and the KPJ of the enrolled. The partner sent the data, so
    nothing is masked; the download is audited."""
    from jamsos.partners.selectors.enrolment import batch_get

    file_format = str(file_format or "").strip().lower().lstrip(".")
    if file_format not in {"xlsx", "csv"}:
        raise BadFormat(value=file_format)
    batch = batch_get(scope, batch_id)
    columns = [str(c) for c in (batch.counts.get("columns") or [])]
    keys = list(_column_keys(batch))
    header = [*columns, *RESULT_HEADER]

    def lines() -> Any:
        for row in (
            EnrolmentRow.objects.filter(batch=batch).select_related("batch").order_by("row_number")
        ):
            data = row.data or {}
            cells = [str(data.get(k, "")) for k in keys]
            idn, en = STATUS_TEXT[row.status]
            yield [
                *cells,
                str(row.row_number),
                row.nik,
                row.name,
                idn,
                en,
                row_reasons(row, "id"),
                row_reasons(row, "en"),
                str(data.get("_kpj", "")),
            ]

    stem = f"hasil-pendaftaran-{batch.pk}"
    if file_format == "csv":
        content, count = report_csv(header, lines(), delimiter=",")
        out = FileOut(f"{stem}.csv", CSV_TYPE, content)
    else:
        content, count = report_xlsx(header, lines(), title="Hasil")
        out = FileOut(f"{stem}.xlsx", XLSX_TYPE, content)
    audit_record(
        scope,
        AuditAction.EXPORT,
        batch,
        label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
        detail={"result": file_format, "rows": count},
    )
    return out


def _column_keys(batch: EnrolmentBatch) -> list[str]:
    """The keys the rows' ``data`` uses for the file's columns, in the file's order."""
    columns = [str(c) for c in (batch.counts.get("columns") or [])]
    _, keys, _ = column_spec(batch.kind).match(columns)
    keys += [None] * (len(columns) - len(keys))
    return [
        key or text or f"col{i + 1}"
        for i, (text, key) in enumerate(zip(columns, keys, strict=True))
    ]
