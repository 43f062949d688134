"""Benchmark of the bulk upload of PU workers: parse, validate and commit, on SQLite and PostgreSQL.

    .venv/bin/python bench/upload.py [--rows 100000] [--formats csv,xlsx] [--rounds 1]
                                     [--database URL ...]

Needs the real regions in each database (``jamsos setup_demo --workers 0``). Each database is
given with ``--database`` (default: ``DATABASE_URL``), e.g.::

    DB=postgres://postgres@127.0.0.1:5432/jamsos_bench_upload
    createdb -h 127.0.0.1 -U postgres jamsos_bench_upload
    DATABASE_URL=$DB .venv/bin/jamsos migrate
    DATABASE_URL=$DB .venv/bin/jamsos setup_demo --workers 0
    .venv/bin/python bench/upload.py --database sqlite:///var/bench-upload.sqlite3 --database $DB

What it does:

1. generates a realistic file of N workers on the real regions (deterministic): NIKs consistent
   with the district, birth date and sex (80 % issued in the district lived in), names by the
   province's flavour (``membership.demo.names``), phones, wages around the regional minimum in
   both ``4500000`` and ``4.500.000`` forms, dates in both ``YYYY-MM-DD`` and ``DD-MM-YYYY``,
   dotted and plain village codes, a few optional programs; and about 2 % bad rows (malformed
   NIK, unknown district, future birth date, NIK disagreeing with the birth date, the same NIK
   twice, an unknown village, a wage in words, a start date far ahead). Written as CSV with
   ``;`` (as Indonesian Excel saves it) and as XLSX.
2. before each timed run, registers 1 % of the file's people with another employer (they are
   accepted as existing people) and 0.2 % with the benchmark's employer (refused as already
   working there), through the upload itself, untimed;
3. times, in a fresh process per database and format: parse, validate (every row, and keeping
   the verdicts), and commit (re-check and write people, memberships, wage reports, events);
4. removes what the run wrote, so that the next run starts from the same registry.

Prints a Markdown table and writes it to bench/results/upload.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results" / "upload.md"
BENCH_EMPLOYER = "PT Bench Unggah Pekerja"
OTHER_EMPLOYER = "PT Bench Pemberi Kerja Lama"
BAD_SHARE = 0.02
EXISTING_SHARE = 0.01
ACTIVE_SHARE = 0.002


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------
# The file


def generate(rows: int, seed: int = 7) -> list[dict[str, str]]:
    """``rows`` worker rows on the current region edition (deterministic for a seed)."""
    from jamsos.demo.population.names import NameMaker
    from jamsos.membership.identifiers import nik_make
    from jamsos.registry.models import Level, Region

    rng = random.Random(seed)
    villages = list(
        Region.objects.filter(edition__is_current=True, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "code_nodot", "province_code")
    )
    if not villages:
        raise SystemExit("No regions: run `jamsos setup_demo --workers 0` on this database first.")
    districts = sorted({v[1][:6] for v in villages})
    names = NameMaker()
    serials: dict[tuple[str, date, str], int] = {}
    prefixes = ["0812", "0813", "0821", "0852", "0857", "0878", "0896", "0881", "0838"]
    out: list[dict[str, str]] = []
    last_start = date(2025, 10, 31)
    for _ in range(rows):
        code, nodot, province = rng.choice(villages)
        district = nodot[:6] if rng.random() < 0.8 else rng.choice(districts)
        sex = "M" if rng.random() < 0.6 else "F"
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        key = (district, birth, sex)
        serials[key] = serials.get(key, 4999) + 1
        nik = nik_make(district_code_nodot=district, birth_date=birth, sex=sex, serial=serials[key])
        eighteen = date(birth.year + 18, birth.month, min(birth.day, 28))
        first = max(date(2016, 1, 1), eighteen)
        start = first + timedelta(days=rng.randrange(0, max(1, (last_start - first).days)))
        wage = int(rng.lognormvariate(15.3, 0.45)) // 1000 * 1000
        phone = ""
        if rng.random() < 0.9:
            digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8))))
            phone = rng.choice(prefixes) + digits
            phone = phone if rng.random() < 0.7 else f"{phone[:4]}-{phone[4:8]}-{phone[8:]}"
        program = rng.choices(["", "JHT,JP", "JHT"], weights=[8, 1, 1])[0]
        out.append(
            {
                "nik": nik,
                "nama": names.make(rng, province, sex),
                "tanggal_lahir": birth.isoformat()
                if rng.random() < 0.7
                else birth.strftime("%d-%m-%Y"),
                "jenis_kelamin": ("L" if sex == "M" else "P") if rng.random() < 0.7 else sex,
                "telepon": phone,
                "kode_desa": code if rng.random() < 0.5 else nodot,
                "upah": f"{wage:,}".replace(",", ".") if rng.random() < 0.4 else str(wage),
                "tanggal_mulai": start.isoformat()
                if rng.random() < 0.7
                else start.strftime("%d-%m-%Y"),
                "program": program,
            }
        )
    _spoil(out, rng)
    return out


def _spoil(rows: list[dict[str, str]], rng: random.Random) -> None:
    """Make about :data:`BAD_SHARE` of the rows bad, of eight kinds."""
    from jamsos.membership.identifiers import nik_make

    count = int(len(rows) * BAD_SHARE)
    victims = rng.sample(range(len(rows)), count)
    for n, index in enumerate(victims):
        row = rows[index]
        kind = n % 8
        if kind == 0:
            row["nik"] = row["nik"][:15]
        elif kind == 1:
            row["nik"] = "990101" + row["nik"][6:]
        elif kind == 2:
            birth = date(2099, 3, 1)
            row["nik"] = nik_make(district_code_nodot=row["nik"][:6], birth_date=birth, sex="M",
                                  serial=9001 + n % 900)  # fmt: skip
            row["tanggal_lahir"] = birth.isoformat()
            row["jenis_kelamin"] = "L"
        elif kind == 3:
            row["tanggal_lahir"] = "1901-01-01"
        elif kind == 4:
            row["nik"] = rows[(index + 1) % len(rows)]["nik"]  # the same NIK twice
        elif kind == 5:
            row["kode_desa"] = "99.99.99.9999"
        elif kind == 6:
            row["upah"] = "empat juta"
        else:
            row["tanggal_mulai"] = "2031-01-01"


HEADER = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon", "kode_desa", "upah",
          "tanggal_mulai", "program"]  # fmt: skip


def write_files(rows: list[dict[str, str]], directory: Path) -> dict[str, Path]:
    import csv

    from openpyxl import Workbook

    csv_path = directory / "pekerja.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows([row[name] for name in HEADER] for row in rows)
    # A normal workbook, so that strings are shared as Excel writes them (write-only mode
    # writes inline strings, which Excel never does).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pekerja"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row[name] for name in HEADER])
    xlsx_path = directory / "pekerja.xlsx"
    workbook.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


# --------------------------------------------------------------------------------------------
# The registry around a run


def employers() -> tuple[Any, Any]:
    """The benchmark's employer and another one, made once per database."""
    from jamsos.membership.identifiers import npwp_make
    from jamsos.membership.models import BranchOffice, Employer
    from jamsos.membership.services import (
        branch_office_create,
        branch_office_for_village,
        employer_register,
    )
    from jamsos.registry.models import Level, Region

    found = {
        e.legal_name: e
        for e in Employer.objects.filter(legal_name__in=[BENCH_EMPLOYER, OTHER_EMPLOYER])
    }
    village = (
        Region.objects.filter(
            edition__is_current=True, level=Level.VILLAGE, code="32.73.01.1001"
        ).first()
        or Region.objects.filter(edition__is_current=True, level=Level.VILLAGE).first()
    )
    if (
        branch_office_for_village(village) is None
        and not BranchOffice.objects.filter(code="KCBENCH").exists()
    ):
        regency = Region.objects.get(edition=village.edition, code=village.regency_code)
        branch_office_create(code="KCBENCH", name="Kantor Cabang Bench", regencies=[regency])
    for serial, name in enumerate((BENCH_EMPLOYER, OTHER_EMPLOYER), start=990_001):
        if name not in found:
            found[name] = employer_register(
                npwp=npwp_make(taxpayer_type=1, serial=serial, tax_office=428),
                legal_name=name,
                size="large",
                sector="C",
                risk_class=2,
                address_village=village,
                registered_on=date(2015, 1, 1),
            )
    return found[BENCH_EMPLOYER], found[OTHER_EMPLOYER]


def clean(employer_ids: list[int]) -> None:
    """Remove what benchmark runs wrote (only rows of the benchmark's employers)."""
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef

    from jamsos.membership.models import (
        Membership,
        MembershipEvent,
        Person,
        RecordSource,
        WageReport,
    )
    from jamsos.uploads.models import WorkerUpload, WorkerUploadRow

    def raw(query: Any) -> None:
        query._raw_delete(query.db)

    with transaction.atomic():
        raw(MembershipEvent.objects.filter(membership__employer_id__in=employer_ids))
        raw(WageReport.objects.filter(membership__employer_id__in=employer_ids))
        raw(Membership.objects.filter(employer_id__in=employer_ids))
        raw(
            Person.objects.filter(source=RecordSource.BULK_UPLOAD).exclude(
                Exists(Membership.objects.filter(person_id=OuterRef("pk")))
            )
        )
        raw(WorkerUploadRow.objects.filter(upload__employer_id__in=employer_ids))
        raw(WorkerUpload.objects.filter(employer_id__in=employer_ids))
    if connection.vendor == "postgresql":
        # Without this, each run would find the dead rows of the previous one in the indexes.
        tables = [Person, Membership, WageReport, MembershipEvent, WorkerUpload, WorkerUploadRow]
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")


def seed_registry(rows: list[dict[str, str]], bench: Any, other: Any) -> None:
    """Register some of the file's people first (untimed): 1 % with another employer, 0.2 %
    already working for the benchmark's employer."""
    from jamsos.access.scope import Scope
    from jamsos.uploads.services import upload_commit, upload_validate

    scope = Scope.operator("bench")
    share = int(len(rows) * EXISTING_SHARE)
    active = int(len(rows) * ACTIVE_SHARE)
    for employer, part in ((other, rows[:share]), (bench, rows[share : share + active])):
        content = _csv_bytes(part)
        upload = upload_validate(
            scope=scope, employer_npp=employer.npp, file_name="sebelumnya.csv", content=content
        )
        upload_commit(scope=scope, upload_id=upload.pk)


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows([row[name] for name in HEADER] for row in rows)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------
# One timed run (in its own process)


def measure(
    database: str, path: Path, rows_json: Path, profile: Path | None = None
) -> dict[str, Any]:
    django_setup(database)
    from django.db import connection

    from jamsos.access.scope import Scope
    from jamsos.uploads.services import upload_commit, upload_validate

    bench, other = employers()
    clean([bench.pk, other.pk])
    rows = json.loads(rows_json.read_text())
    seed_registry(rows, bench, other)
    content = path.read_bytes()
    scope = Scope.operator("bench")
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    upload = upload_validate(
        scope=scope, employer_npp=bench.npp, file_name=path.name, content=content
    )
    validated = time.perf_counter()
    result = upload_commit(scope=scope, upload_id=upload.pk)
    committed = time.perf_counter()
    if profiler is not None and profile is not None:
        import io as _io
        import pstats

        profiler.disable()
        buffer = _io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        profile.write_text(buffer.getvalue())
    timings = result.upload.timings
    out = {
        "engine": connection.vendor,
        "server": connection.get_database_version() if connection.vendor != "sqlite" else None,
        "format": upload.file_format,
        "bytes": len(content),
        "rows": upload.total_rows,
        "valid": upload.valid_rows,
        "rejected": result.upload.rejected_rows,
        "existing": result.existing_people,
        "written": result.written,
        "parse": timings["parse"],
        "validate": round(timings["validate"] + timings["store"], 3),
        "validate_rows_only": timings["validate"],
        "store": timings["store"],
        "check_and_upload_wall": round(validated - started, 3),
        "commit": round(committed - validated, 3),
        "commit_detail": {k: timings[k] for k in ("check", "write", "rows") if k in timings},
        "total": round(committed - started, 3),
        "peak_mib": round(_peak_mib()),
    }
    clean([bench.pk, other.pk])
    return out


def _child(database: str, path: Path, rows_json: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", str(path), "--rows-json", str(rows_json),
               "--database", database]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _prepare(database: str, rows: int, directory: Path) -> tuple[dict[str, Path], Path]:
    django_setup(database)
    generated = generate(rows)
    rows_json = directory / "rows.json"
    rows_json.write_text(json.dumps(generated))
    return write_files(generated, directory), rows_json


def _engine_name(run: dict[str, Any]) -> str:
    if run["engine"] == "postgresql" and run.get("server"):
        return "PostgreSQL " + ".".join(str(p) for p in run["server"][:2])
    return {"sqlite": "SQLite (file)"}.get(run["engine"], run["engine"])


def report(runs: list[dict[str, Any]], rows: int, rounds: int) -> str:
    lines = [
        f"# Bulk upload of PU workers ({rows:,} rows)",
        "",
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average before the runs {os.getloadavg()[0]:.1f}. Each run is a fresh process "
        f"on a registry reset to the same state; {rounds} round(s), median shown. "
        "*validate* is checking every row and keeping the verdicts (the upload's rows); "
        "*commit* re-checks the rows and writes people, memberships, wage reports and events. "
        "Peak RSS is the process's.",
        "",
        "| rows | engine | format | file MB | parse s | validate s | commit s | total s | rows/s "
        "| valid / rejected | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault((_engine_name(run), run["format"]), []).append(run)
    for (engine, file_format), items in groups.items():

        def med(key: str, items: list[dict[str, Any]] = items) -> float:
            return float(statistics.median(item[key] for item in items))

        total = med("total")
        first = items[0]
        lines.append(
            f"| {first['rows']:,} | {engine} | {file_format.upper()} | {first['bytes'] / 1e6:.1f} "
            f"| {med('parse'):.2f} | {med('validate'):.2f} | {med('commit'):.2f} | {total:.2f} "
            f"| {first['rows'] / total:,.0f} | {first['valid']:,} / {first['rejected']:,} "
            f"| {med('peak_mib'):,.0f} |"
        )
    lines.append("")
    lines.append("Detail of each run (seconds):")
    lines.append("")
    for run in runs:
        lines.append(
            f"- {_engine_name(run)} {run['format'].upper()}: parse {run['parse']}, check rows "
            f"{run['validate_rows_only']}, keep verdicts {run['store']}, commit {run['commit']} "
            f"({json.dumps(run['commit_detail'])}); {run['written']:,} written of which "
            f"{run['existing']:,} existing people"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--database", action="append", help="A database URL (repeatable)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--rows-json", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="Do not write bench/results")
    parser.add_argument(
        "--profile",
        help="Run one format once in this process under cProfile and write the stats to this file",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    databases = args.database or [os.environ.get("DATABASE_URL", "")]
    if args.measure:
        print(json.dumps(measure(databases[0], Path(args.measure), Path(args.rows_json))))
        return
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="jamsos-bench-upload-") as tmp:
            files, rows_json = _prepare(databases[0], args.rows, Path(tmp))
            file_format = args.formats.split(",")[0]
            run = measure(databases[0], files[file_format], rows_json, Path(args.profile))
            print(json.dumps(run))
        return
    with tempfile.TemporaryDirectory(prefix="jamsos-bench-upload-") as tmp:
        started = time.perf_counter()
        files, rows_json = _prepare(databases[0], args.rows, Path(tmp))
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"({', '.join(f'{k} {v.stat().st_size / 1e6:.1f} MB' for k, v in files.items())})",
              file=sys.stderr)  # fmt: skip
        runs = []
        for _ in range(args.rounds):
            for database in databases:
                for file_format in args.formats.split(","):
                    run = _child(database, files[file_format], rows_json)
                    print(json.dumps(run), file=sys.stderr)
                    runs.append(run)
    table = report(runs, args.rows, args.rounds)
    print(table)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
