"""A month's wages of an employer's existing workers from a file (XLSX or CSV), by KPJ.

The file is read through the one upload reader (:func:`jamsos.uploads.parsing.read_table`, with
its limits); every row is checked (a KPJ and a wage that read, no KPJ twice, then the membership
service's own checks: the floor, the employer's worker, the month) and a file with any bad row
writes nothing and names every bad row. A good file is written at once by
:func:`jamsos.membership.services.wages_report`. The template lists the employer's active wage
earners with their last wage, so that "fill in and upload" is the whole job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from jamsos.access.scope import Scope
from jamsos.core.exports import Sheet, write_csv, write_xlsx
from jamsos.core.identifiers import ascii_digits
from jamsos.legal.periods import Period
from jamsos.membership.errors import MembershipError
from jamsos.membership.models import Employer, Status, WageReport, WageSource
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import membership_list
from jamsos.membership.services import wages_report
from jamsos.uploads.parsing import ColumnSpec, cell_text, read_table

COLUMNS = ColumnSpec(
    names={
        "kpj": ("kpj", "kpj", "nomor_kpj"),
        "wage": ("upah", "wage", "upah_bulan_ini"),
        "name": ("nama", "name"),
    },
    required=("kpj", "wage"),
    optional=("name",),
)
HEADER = {"id": ("KPJ", "Nama", "Upah"), "en": ("KPJ", "Name", "Wage")}
PROBLEMS = {
    "kpj": {"id": "KPJ tidak terbaca", "en": "KPJ cannot be read"},
    "wage": {"id": "Upah bukan angka rupiah utuh", "en": "Wage is not a whole rupiah amount"},
    "twice": {"id": "KPJ {kpj} sudah ada di baris {line}", "en": "KPJ {kpj} is also on row {line}"},
    "empty": {"id": "Berkas tidak memuat baris upah", "en": "The file holds no wage rows"},
}


@dataclass(frozen=True)
class RowProblem:
    line: int
    kpj: str
    message: str


@dataclass
class WageFileResult:
    period: Period
    rows: int = 0
    written: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _wage(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value).replace("Rp", "").replace("rp", "").strip()
    if "," in text and text.rsplit(",", 1)[1].strip("0") == "":
        text = text.rsplit(",", 1)[0]  # "5.000.000,00"
    digits = ascii_digits(text, deletechars=" .\u00a0")
    return int(digits) if digits else None


def wage_file_import(
    by: Scope,
    *,
    employer: Employer,
    period: Period,
    content: bytes,
    file_name: str,
    language: str = "id",
) -> WageFileResult:
    """Check every row of the file and report them all, or none (``result.problems``)."""
    MEMBERSHIP.require(by, "wage.report")
    table = read_table(content, file_name=file_name, columns=COLUMNS)
    result = WageFileResult(period, rows=len(table.rows))
    wages: dict[str, int | None] = {}
    lines: dict[str, int] = {}
    for row in table.rows:
        kpj = ascii_digits(cell_text(row.values.get("kpj"))) or ""
        wage = _wage(row.values.get("wage"))
        if not kpj:
            result.problems.append(RowProblem(row.line, "", PROBLEMS["kpj"][language]))
        elif kpj in lines:
            text = PROBLEMS["twice"][language].format(kpj=kpj, line=lines[kpj])
            result.problems.append(RowProblem(row.line, kpj, text))
        elif wage is None:
            lines[kpj] = row.line
            result.problems.append(RowProblem(row.line, kpj, PROBLEMS["wage"][language]))
        else:
            lines[kpj] = row.line
            wages[kpj] = wage
    if not table.rows:
        result.problems.append(RowProblem(0, "", PROBLEMS["empty"][language]))
    batch = wages_report(
        employer=employer,
        period=period,
        wages=wages,
        source=WageSource.BULK_UPLOAD,
        by=by,
        check_only=bool(result.problems),
    )
    _add_refusals(result, batch.refusals, lines, language)
    if not result.problems:
        result.written = batch.written
    return result


def _add_refusals(
    result: WageFileResult,
    refusals: dict[str, MembershipError],
    lines: dict[str, int],
    language: str,
) -> None:
    for kpj, error in refusals.items():
        result.problems.append(RowProblem(lines.get(kpj, 0), kpj, error.message_in(language)))
    result.problems.sort(key=lambda p: p.line)


def wage_file_template(
    by: Scope, *, employer: Employer, file_format: str, language: str = "id"
) -> bytes:
    """The employer's active wage earners with their last wage, as XLSX or CSV to fill in."""
    MEMBERSHIP.require(by, "wage.report")
    latest = WageReport.objects.filter(membership=OuterRef("pk")).order_by("-period")
    rows = (
        membership_list(by, segment="PU", status=Status.ACTIVE, employer_id=employer.pk)
        .order_by("person__name", "kpj")
        .annotate(last_wage=Subquery(latest.values("wage_idr")[:1]))
        .values_list("kpj", "person__name", "last_wage")
    )
    header = HEADER["en" if language == "en" else "id"]
    if file_format == "csv":
        return write_csv(rows.iterator(), header, bom=True)
    return write_xlsx(Sheet(title="Upah", header=header, rows=rows.iterator(), widths=(16, 36, 16)))
