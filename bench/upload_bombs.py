"""Hostile uploads: how long the reader takes to refuse each, and how much memory it holds.

    .venv/bin/python bench/upload_bombs.py [--timeout 180] [--ratio-off]

Each file (built by ``jamsos.uploads.tests.bombs``, the same the tests refuse) is read by the
bulk upload's reader in a fresh process; the wall time, the outcome (the refusal's code) and the
process's peak RSS are printed as a Markdown table and written to bench/results/upload_bombs.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "upload_bombs.md"
ROOT = Path(__file__).resolve().parent.parent

BOMBS = {
    "empty rows (XLSX, 30 million <row/>)": ("empty_rows_xlsx", "bomb.xlsx"),
    "shared strings (XLSX, 4 million)": ("shared_strings_xlsx", "bomb.xlsx"),
    "empty lines (CSV, 32 MiB)": ("empty_lines_csv", "bomb.csv"),
    "one line of delimiters (CSV, 32 MiB)": ("wide_line_csv", "bomb.csv"),
    "one cell of 5 million characters (XLSX)": ("huge_cell_xlsx", "bomb.xlsx"),
}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {bench!r})
from benchlib import django_setup
django_setup("sqlite:///:memory:")
from jamsos.core.errors import ApplicationError
from jamsos.uploads.parsing import parse_upload
from django.test import override_settings
from jamsos.uploads.tests import bombs
content = getattr(bombs, {builder!r})()
opts = {{"JAMSOS_UPLOAD_MAX_RATIO": 10**9}} if {ratio_off!r} else {{}}
started = time.perf_counter()
try:
    with override_settings(**opts):
        parse_upload(content, file_name={name!r})
    outcome = "read"
except ApplicationError as exc:
    outcome = exc.code
elapsed = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"bytes": len(content), "seconds": elapsed, "outcome": outcome, "rss": rss}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument(
        "--ratio-off",
        action="store_true",
        help="also read each workbook with the compression ratio check off (the next limits)",
    )
    args = parser.parse_args()
    lines = [
        "| file | limits | size KB | outcome | seconds | peak RSS MiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    runs = [(label, builder, name, False) for label, (builder, name) in BOMBS.items()]
    if args.ratio_off:
        runs += [
            (label, builder, name, True)
            for label, (builder, name) in BOMBS.items()
            if name.endswith(".xlsx")
        ]
    for label, builder, name, ratio_off in runs:
        limits = "ratio off" if ratio_off else "defaults"
        label = f"{label} | {limits}"
        code = CHILD.format(
            bench=str(Path(__file__).parent), builder=builder, name=name, ratio_off=ratio_off
        )
        try:
            done = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                cwd=ROOT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            lines.append(f"| {label} | | not finished | > {args.timeout:.0f} | |")
            print(lines[-1], flush=True)
            continue
        if done.returncode != 0:
            lines.append(f"| {label} | | crashed: {done.stderr.strip().splitlines()[-1]} | | |")
        else:
            out = json.loads(done.stdout.strip().splitlines()[-1])
            lines.append(
                f"| {label} | {out['bytes'] / 1024:,.0f} | {out['outcome']} | "
                f"{out['seconds']:.2f} | {out['rss']:,.0f} |"
            )
        print(lines[-1], flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
