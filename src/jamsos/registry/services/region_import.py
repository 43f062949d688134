"""Import an official region list from CSV: stage, validate every row, report, then write.

Input: one CSV file of any level, or a directory of them (``provinces.csv``, ``regencies.csv``,
``districts.csv``, ``villages.csv``), columns ``code,code_nodot,name,parent_code[,type]``.
Every row is checked (code shape for its level, ``code_nodot``, ``parent_code`` equal to the
code's prefix, parent present in the edition or in the input, duplicate codes, empty names,
``type`` consistent with the code). Nothing is written if any row or file is bad, unless
``accept_valid`` is set: then the valid rows are written and the rest reported.

Two files are always written to ``report_dir``: ``<stem>-errors.csv`` (one line per rejected row,
with the row's values, its reason codes and messages) and ``<stem>-summary.json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from jamsos.core.exports import write_csv_to
from jamsos.registry.codes import CODE_PATTERNS, kind_of, level_of, nodot, parent_code_of
from jamsos.registry.errors import EditionNameInvalid, ImportFileInvalid
from jamsos.registry.models import Kind, Level, Region, RegionEdition
from jamsos.registry.services.editions import edition_get_or_create
from jamsos.registry.services.regions import RegionWriteResult, region_row, regions_write

REQUIRED_COLUMNS = ("code", "code_nodot", "name", "parent_code")
OPTIONAL_COLUMNS = ("type",)
LEVEL_FILES = {
    "provinces.csv": Level.PROVINCE,
    "regencies.csv": Level.REGENCY,
    "districts.csv": Level.DISTRICT,
    "villages.csv": Level.VILLAGE,
}
LEVEL_NAMES = {"auto": None, **{level.label: level for level in CODE_PATTERNS}}
EDITION_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
REPORT_COLUMNS = ("file", "line", *REQUIRED_COLUMNS, "type", "reasons", "messages")
NAME_MAX = Region._meta.get_field("name").max_length or 120

# Reason codes: stable, listed in docs/registry/regions.md.
REASONS = {
    "empty_file": "the file is empty",
    "not_utf8": "the file is not UTF-8 text (binary or another encoding)",
    "not_csv": "the file cannot be parsed as CSV",
    "missing_columns": "the header lacks required columns",
    "no_rows": "the file has a header but no rows",
    "field_count": "the row has more or fewer fields than the header",
    "code_format": "the code does not have the shape of its level",
    "level_mismatch": "the code is not of the level given with --level",
    "code_nodot_mismatch": "code_nodot is not the code without dots",
    "empty_name": "the name is empty",
    "name_too_long": f"the name is longer than {NAME_MAX} characters",
    "parent_mismatch": "parent_code is not the code's own prefix",
    "type_mismatch": "type does not match the code",
    "duplicate_code": "the code appears more than once in the input",
    "orphan": "the parent is neither in the edition nor in the input",
    "parent_rejected": "the parent is in the input but was rejected",
}


@dataclass
class RowProblem:
    file: str
    line: int
    values: dict[str, str]
    reasons: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def add(self, reason: str, detail: str = "") -> None:
        self.reasons.append(reason)
        self.messages.append(f"{REASONS[reason]}{': ' + detail if detail else ''}")


@dataclass
class _Staged:
    file: str
    line: int
    values: dict[str, str]
    level: Level | None = None
    problem: RowProblem | None = None

    def reject(self, reason: str, detail: str = "") -> None:
        if self.problem is None:
            self.problem = RowProblem(self.file, self.line, self.values)
        self.problem.add(reason, detail)


@dataclass
class RegionImportResult:
    edition: str
    files: list[str]
    rows_read: int
    valid: int
    rejected: int
    reasons: dict[str, int]
    written: bool
    accept_valid: bool
    write: RegionWriteResult | None
    report_path: Path
    summary_path: Path
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        file_errors = sum(1 for p in self.problems if p.line == 0)
        head = (
            f"{self.rows_read:,} rows read from {len(self.files)} file(s): "
            f"{self.valid:,} valid, {self.rejected:,} rejected"
        )
        if file_errors:
            head += f", {file_errors} file(s) unreadable"
        if self.reasons:
            head += " (" + ", ".join(f"{r}: {n}" for r, n in sorted(self.reasons.items())) + ")"
        if self.written and self.write is not None:
            tail = self.write.summary()
        elif self.problems:
            tail = "nothing written (use --accept-valid to write the valid rows only)"
        else:
            tail = "nothing written"
        return f"{head}\n{tail}\nreport: {self.report_path}\nsummary: {self.summary_path}"


def regions_import(
    *,
    path: Path,
    edition: str,
    level: str = "auto",
    accept_valid: bool = False,
    report_dir: Path | None = None,
    decree: str = "",
    source: str = "",
    make_current: bool = False,
    progress: bool = False,
) -> RegionImportResult:
    """Validate a region CSV file (or a directory of them) and write it into ``edition``."""
    if level not in LEVEL_NAMES:
        raise ValueError(f"level must be one of {', '.join(LEVEL_NAMES)}")
    if not EDITION_NAME.match(edition):
        raise EditionNameInvalid(name=edition)
    forced_level = LEVEL_NAMES[level]
    files = _input_files(path)
    staged: list[_Staged] = []
    file_problems: list[RowProblem] = []
    for file in files:
        rows, problem = _read(file)
        if problem is not None:
            file_problems.append(problem)
        staged.extend(rows)

    existing_edition = RegionEdition.objects.filter(name=edition).first()
    existing_codes: set[str] = set()
    if existing_edition is not None:
        existing_codes = set(
            Region.objects.filter(edition=existing_edition).values_list("code", flat=True)
        )
    _validate(staged, forced_level, existing_codes)

    valid = [s for s in staged if s.problem is None]
    problems = file_problems + [s.problem for s in staged if s.problem is not None]
    reasons = Counter(reason for p in problems for reason in p.reasons)
    write: RegionWriteResult | None = None
    written = False
    if valid and (not problems or accept_valid):
        target, _ = edition_get_or_create(
            name=edition, decree=decree, source=source, make_current=make_current
        )
        region_rows = [region_row(s.values["code"], s.values["name"]) for s in valid]
        write = regions_write(edition=target, rows=region_rows, progress=progress)
        written = True

    report_path, summary_path = _report_paths(report_dir, edition)
    result = RegionImportResult(
        edition=edition,
        files=[str(f) for f in files],
        rows_read=len(staged),
        valid=len(valid),
        rejected=len(staged) - len(valid),
        reasons=dict(reasons),
        written=written,
        accept_valid=accept_valid,
        write=write,
        report_path=report_path,
        summary_path=summary_path,
        problems=problems,
    )
    _write_report(result)
    return result


def _input_files(path: Path) -> list[Path]:
    if path.is_dir():
        # The four official file names when present (a directory such as the reference data's
        # also holds other CSV files); otherwise every CSV file in it.
        found = [path / name for name in LEVEL_FILES if (path / name).is_file()]
        if not found:
            found = [p for p in sorted(path.glob("*.csv")) if not p.name.endswith("-errors.csv")]
        if not found:
            raise ImportFileInvalid(path=str(path), reason="the directory holds no .csv file")
        return found
    if not path.exists():
        raise ImportFileInvalid(path=str(path), reason="no such file or directory")
    return [path]


def _read(file: Path) -> tuple[list[_Staged], RowProblem | None]:
    """Parse one file into staged rows; a file-level problem (line 0) if it cannot be read."""

    def fail(reason: str, detail: str = "") -> tuple[list[_Staged], RowProblem]:
        problem = RowProblem(str(file), 0, {})
        problem.add(reason, detail)
        return [], problem

    data = file.read_bytes()
    if not data.strip():
        return fail("empty_file")
    if b"\x00" in data:
        return fail("not_utf8", "it contains NUL bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail("not_utf8", str(exc))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip().lower() for h in next(reader)]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            return fail(
                "missing_columns",
                f"missing {', '.join(missing)}; expected {','.join(REQUIRED_COLUMNS)}[,type]",
            )
        staged: list[_Staged] = []
        for raw in reader:
            if not any(cell.strip() for cell in raw):
                continue
            values = {
                name: (raw[i].strip() if i < len(raw) else "")
                for i, name in enumerate(header)
                if name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS
            }
            row = _Staged(str(file), reader.line_num, values)
            if len(raw) != len(header):
                row.reject("field_count", f"{len(raw)} fields, header has {len(header)}")
            staged.append(row)
    except csv.Error as exc:
        return fail("not_csv", str(exc))
    if not staged:
        return fail("no_rows")
    return staged, None


def _validate(staged: list[_Staged], forced: Level | None, existing: set[str]) -> None:
    by_code: dict[str, list[_Staged]] = defaultdict(list)
    for row in staged:
        _check_row(row, forced)
        by_code[row.values.get("code", "")].append(row)
    for code, rows in by_code.items():
        if code and len(rows) > 1:
            where = ", ".join(f"{Path(r.file).name}:{r.line}" for r in rows)
            for row in rows:
                row.reject("duplicate_code", f"{code} at {where}")
    # Parents: walk levels top-down so that a rejected parent rejects its children in turn.
    for level in CODE_PATTERNS:
        for row in staged:
            if row.level != level or level == Level.PROVINCE:
                continue
            parent = parent_code_of(row.values["code"])
            if parent in existing:
                continue
            if parent not in by_code:
                row.reject("orphan", parent)
            elif all(p.problem is not None for p in by_code[parent]) and row.problem is None:
                row.reject("parent_rejected", parent)


def _check_row(row: _Staged, forced: Level | None) -> None:
    values = row.values
    code = values.get("code", "")
    level = level_of(code)
    if level is None or level == Level.NATIONAL:
        row.reject("code_format", repr(code))
        level = None
    elif forced is not None and level != forced:
        row.reject("level_mismatch", f"{code} is a {level.label} code, not a {forced.label}")
        level = None
    row.level = level
    if level is not None:
        if values.get("code_nodot", "") != nodot(code):
            row.reject("code_nodot_mismatch", f"{values.get('code_nodot')!r} != {nodot(code)!r}")
        if values.get("parent_code", "") != parent_code_of(code):
            row.reject(
                "parent_mismatch",
                f"{values.get('parent_code')!r}, expected {parent_code_of(code)!r}",
            )
        given = values.get("type", "").lower()
        expected = kind_of(code, level)
        if given and given != expected.value and not _equivalent_kind(given, expected):
            row.reject("type_mismatch", f"{given!r}, the code says {expected.value!r}")
    name = values.get("name", "")
    if not name:
        row.reject("empty_name")
    elif len(name) > NAME_MAX:
        row.reject("name_too_long", f"{len(name)} characters")


def _equivalent_kind(given: str, expected: Kind) -> bool:
    """``desa`` for a desa adat and ``kecamatan`` for a Papuan distrik are accepted as written."""
    return (given, expected) in {("desa", Kind.DESA_ADAT), ("kecamatan", Kind.DISTRIK)}


def _report_paths(report_dir: Path | None, edition: str) -> tuple[Path, Path]:
    directory = report_dir or Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    stem = f"regions-{edition}-{stamp}"
    return directory / f"{stem}-errors.csv", directory / f"{stem}-summary.json"


def _write_report(result: RegionImportResult) -> None:
    with result.report_path.open("w", encoding="utf-8", newline="") as handle:
        write_csv_to(
            handle,
            (
                [
                    p.file,
                    p.line,
                    *(p.values.get(c, "") for c in REQUIRED_COLUMNS),
                    p.values.get("type", ""),
                    ";".join(p.reasons),
                    " | ".join(p.messages),
                ]
                for p in result.problems
            ),
            REPORT_COLUMNS,
        )
    summary = {
        "edition": result.edition,
        "files": result.files,
        "rows_read": result.rows_read,
        "valid": result.valid,
        "rejected": result.rejected,
        "file_errors": sum(1 for p in result.problems if p.line == 0),
        "reasons": result.reasons,
        "accept_valid": result.accept_valid,
        "written": result.written,
        "write": asdict(result.write) if result.write else None,
        "report": str(result.report_path),
    }
    result.summary_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
