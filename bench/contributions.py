"""Benchmark of the bulk contribution path against a hand-written baseline and the per-person path.

    .venv/bin/python bench/contributions.py [--rows N] [--quick]

(a) bulk: ``jamsos.legal.bulk.contributions_frame`` over a synthetic frame of mixed segments
    (about 65% PU, 22% BPU, 12% Jakon, 1% PMI; periods 2015-07..2026-12; risk classes, employer
    sizes, optional programs, industries), collected with every slot column and the totals; also
    with the rejects frame, and, as a diagnostic, keeping only the totals;
(b) baseline: one hand-written Polars expression doing the PU arithmetic with fixed 2025 rates
    (JKK by risk class, JKM, JHT, JP under its cap, JKP funding lines, totals) over as many rows;
(c) per person: ``jamsos.legal.contribution`` called once per row on 100,000 rows of (a)'s frame.

Every measurement runs in its own process, so that peak memory is its own; (a) and (b) run in 3
alternating rounds and the median is reported. Prints a Markdown table and writes it to
bench/results/contributions.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

RESULTS = Path(__file__).parent / "results" / "contributions.md"
FIRST_INDEX = 2015 * 12 + 6  # 2015-07
LAST_INDEX = 2026 * 12 + 11  # 2026-12
PMI_FIRST_INDEX = 2019 * 12  # 2019-01, the first PMI parameters
PER_PERSON_ROWS = 100_000
ROUNDS = 3


# --------------------------------------------------------------------------------------------
# Synthetic data


def _uniform(n: int, seed: int) -> pl.Expr:
    """A deterministic pseudo-random float in [0, 1) per row."""
    return (pl.int_range(0, n, dtype=pl.UInt64).hash(seed) % 1_000_003).cast(pl.Float64) / 1_000_003


def _pick(u: pl.Expr, choices: list[tuple[Any, float]], dtype: pl.DataType) -> pl.Expr:
    """One of ``choices`` by cumulative weight."""
    expr: pl.Expr = pl.lit(choices[-1][0], dtype=dtype)
    cumulative = 0.0
    bounds = []
    for value, weight in choices:
        cumulative += weight
        bounds.append((value, cumulative))
    for value, bound in reversed(bounds[:-1]):
        expr = pl.when(u < bound).then(pl.lit(value, dtype=dtype)).otherwise(expr)
    return expr


def synthetic_frame(n: int, *, all_pu: bool = False) -> pl.DataFrame:
    """``n`` person-months with realistic shares of segments and options (deterministic)."""
    from jamsos.legal.bulk import EMPLOYER_SIZE_DTYPE, INDUSTRY_DTYPE, SEGMENT_DTYPE

    u = [_uniform(n, seed) for seed in range(12)]
    segment = (
        pl.repeat(pl.lit("PU", dtype=SEGMENT_DTYPE), n)
        if all_pu
        else _pick(
            u[0], [("PU", 0.65), ("BPU", 0.22), ("JAKON", 0.12), ("PMI", 0.01)], SEGMENT_DTYPE
        )
    )
    seg = pl.col("segment")
    span = LAST_INDEX - FIRST_INDEX + 1
    pmi_span = LAST_INDEX - PMI_FIRST_INDEX + 1
    period = (
        pl.when(seg == "PMI")
        .then(PMI_FIRST_INDEX + (u[1] * pmi_span).cast(pl.Int32))
        .otherwise(FIRST_INDEX + (u[1] * span).cast(pl.Int32))
        .cast(pl.Int32)
    )
    # Wages: most near the regional minimum wages (Rp 1.5-5.5 million), a tail to Rp 60 million.
    wage = (1_500_000 + u[2] * 4_000_000 + (u[3] ** 6) * 55_000_000).cast(pl.Int64)
    income = (500_000 + u[4] * 22_000_000).cast(pl.Int64)
    contract = (10.0 ** (7 + u[5] * 4.5)).cast(pl.Int64)  # Rp 10 million to Rp 300 billion
    placement = _pick(u[6], [(6, 0.2), (12, 0.3), (24, 0.35), (36, 0.1), (60, 0.05)], pl.Int64())
    size = _pick(
        u[7],
        [("micro", 0.2), ("small", 0.2), ("medium", 0.2), ("large", 0.3), (None, 0.1)],
        EMPLOYER_SIZE_DTYPE,
    )
    risk = _pick(u[8], [(1, 0.4), (2, 0.25), (3, 0.2), (4, 0.1), (5, 0.05)], pl.Int8())
    optional = _pick(u[9], [(0, 0.6), (1, 0.25), (3, 0.15)], pl.Int8())
    industry = _pick(
        u[10],
        [("textile_apparel", 0.08), ("food_beverage_tobacco", 0.07), ("footwear", 0.03),
         ("other", 0.32), (None, 0.5)],
        INDUSTRY_DTYPE,
    )  # fmt: skip
    workers = (1 + (u[11] ** 3) * 4_000).cast(pl.Int64)
    frame = pl.select(segment=segment).with_columns(
        period=period,
        wage_idr=pl.when(seg == "PU").then(wage),
        income_idr=pl.when(seg == "BPU").then(income),
        contract_value_idr=pl.when(seg == "JAKON").then(contract),
        placement_months=pl.when(seg == "PMI").then(placement),
        risk_class=pl.when(seg == "PU").then(risk),
        employer_size=pl.when(seg == "PU").then(size),
        optional_programs=pl.when(seg == "PU")
        .then(optional)
        .when(seg == "BPU")
        .then(optional.clip(0, 1)),
        industry=pl.when(seg == "PU").then(industry),
        worker_count=pl.when(seg == "PU").then(workers),
        jkp_eligible=pl.when(seg == "PU").then(u[2] > 0.05),
    )
    return frame.select(
        "period", "segment", "wage_idr", "income_idr", "contract_value_idr", "placement_months",
        "risk_class", "employer_size", "optional_programs", "industry", "worker_count",
        "jkp_eligible",
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# The hand-written baseline: PU only, fixed rates of 2025 (after March: JP cap Rp 10,547,400)

JKK_PPM = {1: 2_400, 2: 5_400, 3: 8_900, 4: 12_700, 5: 17_400}


def _amount(base: pl.Expr, ppm: int | pl.Expr) -> pl.Expr:
    return (base * ppm + 500_000) // 1_000_000


def baseline(frame: pl.DataFrame) -> pl.DataFrame:
    wage = pl.col("wage_idr")
    risk = pl.col("risk_class").fill_null(1)
    jkk_ppm: pl.Expr = pl.lit(JKK_PPM[5])
    for risk_class in (4, 3, 2, 1):
        jkk_ppm = pl.when(risk == risk_class).then(JKK_PPM[risk_class]).otherwise(jkk_ppm)
    jp_base = pl.min_horizontal(wage, 10_547_400)
    jkp_base = pl.min_horizontal(wage, 5_000_000)
    lines = {
        "jkk_employer": _amount(wage, jkk_ppm),
        "jkm_employer": _amount(wage, 3_000),
        "jht_employer": _amount(wage, 37_000),
        "jht_worker": _amount(wage, 20_000),
        "jp_employer": _amount(jp_base, 20_000),
        "jp_worker": _amount(jp_base, 10_000),
        "jkp_government": _amount(jkp_base, 2_200),
        "jkp_recomposed_jkk": _amount(jkp_base, 1_400),
    }
    c = pl.col
    return (
        frame.lazy()
        .with_columns(**lines)
        .with_columns(
            employer_idr=c("jkk_employer")
            + c("jkm_employer")
            + c("jht_employer")
            + c("jp_employer"),
            worker_idr=c("jht_worker") + c("jp_worker"),
            government_idr=c("jkp_government"),
        )
        .with_columns(total_idr=c("employer_idr") + c("worker_idr") + c("government_idr"))
        .collect()
    )


# --------------------------------------------------------------------------------------------
# Measurements (each in its own process)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(function: Callable[[], Any], *, warm_up: bool) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result) of one call, after one untimed call if ``warm_up``
    (the first run in a process pays for first-touch page faults of its output)."""
    if warm_up:
        del_me = function()
        del del_me
    cpu, start = _cpu_seconds(), time.perf_counter()
    result = function()
    return time.perf_counter() - start, _cpu_seconds() - cpu, result


def measure(kind: str, rows: int) -> dict[str, Any]:
    """One measurement, in this process: the frame is built first, then timed."""
    from jamsos.legal import bulk

    frame = synthetic_frame(rows, all_pu=kind == "baseline")
    bulk._lookups(bulk.parameters())  # the lookup tables are built once per process
    input_mib = _peak_mib()
    jobs: dict[str, Callable[[], Any]] = {
        "bulk": lambda: bulk.contributions_frame(frame).collect(),
        "bulk_rejects": lambda: pl.collect_all(list(bulk.contributions_and_rejects(frame))),
        "bulk_totals": lambda: bulk.contributions_frame(frame).select(bulk.TOTALS).collect(),
        "baseline": lambda: baseline(frame),
    }
    if kind == "per_person":
        return _per_person(frame)
    wall, cpu, out = _timed(jobs[kind], warm_up=True)
    first = out[0] if isinstance(out, list) else out
    assert first.height == rows, (kind, first.height, rows)  # every synthetic row is valid
    return {"rows": rows, "wall": wall, "cpu": cpu, "input_mib": input_mib,
            "peak_mib": _peak_mib(), "total_idr": int(first["total_idr"].sum())}  # fmt: skip


def _per_person(frame: pl.DataFrame) -> dict[str, Any]:
    from jamsos.legal import ContributionInput, EmployerSize, Industry, Period, Program, Segment
    from jamsos.legal import contribution as per_person

    inputs = []
    for r in frame.iter_rows(named=True):
        optional = r["optional_programs"] or 0
        programs = frozenset(p for bit, p in ((1, Program.JHT), (2, Program.JP)) if optional & bit)
        inputs.append(
            ContributionInput(
                segment=Segment(r["segment"]),
                period=Period.from_index(r["period"]),
                wage_idr=r["wage_idr"],
                income_idr=r["income_idr"],
                contract_value_idr=r["contract_value_idr"],
                placement_months=r["placement_months"],
                risk_class=r["risk_class"],
                employer_size=EmployerSize(r["employer_size"]) if r["employer_size"] else None,
                programs=programs,
                industry=Industry(r["industry"]) if r["industry"] else None,
                worker_count=r["worker_count"],
                jkp_eligible=r["jkp_eligible"] is not False,
            )
        )
    input_mib = _peak_mib()

    def run() -> int:
        total = 0
        for inp in inputs:
            breakdown = per_person(inp)
            breakdown.amounts_by_slot()
            total += breakdown.totals.total_idr
        return total

    wall, cpu, total = _timed(run, warm_up=False)
    return {"rows": len(inputs), "wall": wall, "cpu": cpu, "input_mib": input_mib,
            "peak_mib": _peak_mib(), "total_idr": total}  # fmt: skip


def _child(kind: str, rows: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", kind, "--rows", str(rows)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------------------------
# Report

MEASUREMENTS = {
    "bulk": ("(a) bulk path, mixed segments", "`contributions_frame(frame).collect()`"),
    "bulk_rejects": ("(a) bulk path + rejects frame", "`collect_all(contributions_and_rejects())`"),
    "bulk_totals": ("(a) bulk path, totals only", "diagnostic: the same lines, 5 columns out"),
    "baseline": ("(b) hand-written Polars, PU only", "fixed 2025 rates, 8 lines + 4 totals"),
    "per_person": ("(c) per-person path", "`contribution()` per row, 1 run"),
}  # fmt: skip


def _row(kind: str, runs: list[dict[str, Any]]) -> str:
    name, note = MEASUREMENTS[kind]
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    rows = runs[0]["rows"]
    spread = f" ({min(r['wall'] for r in runs):.3f}-{max(r['wall'] for r in runs):.3f})"
    return (
        f"| {name} | {rows:,} | {wall:.3f}{spread if len(runs) > 1 else ''} | {cpu:.3f} | "
        f"{rows / wall / 1e6:,.2f}M | {max(r['peak_mib'] for r in runs):,.0f} | "
        f"{max(r['input_mib'] for r in runs):,.0f} | {note} |"
    )


def report(rows: int) -> str:
    timed = ("bulk", "baseline", "bulk_totals", "bulk_rejects")
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in timed}
    for _ in range(ROUNDS):  # interleaved, so that host noise falls on both alike
        for kind in timed:
            runs[kind].append(_child(kind, rows))
    runs["per_person"] = [_child("per_person", min(PER_PERSON_ROWS, rows))]
    ratios = [a["wall"] / b["wall"] for a, b in zip(runs["bulk"], runs["baseline"], strict=True)]
    rate = {k: v[0]["rows"] / statistics.median(r["wall"] for r in v) for k, v in runs.items()}
    load = os.getloadavg()
    lines = [
        f"# Contributions: bulk path, hand-written baseline, per-person path ({rows:,} rows)",
        "",
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} CPUs, Python "
        f"{platform.python_version()}, Polars {pl.__version__}; load average before the report "
        f"{load[0]:.1f}. Each timed run is in its own process, after one untimed warm-up run in "
        f"that process; {ROUNDS} rounds alternate the measurements and the median is shown "
        "(min-max). CPU is user + system seconds of the timed run (up to 2x the wall time on 2 "
        "cores). Peak RSS is the process's, input RSS the peak once its synthetic frame exists.",
        "",
        "| measurement | rows | wall s | CPU s | rows/s | peak RSS MiB | input RSS MiB | note |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(kind, runs[kind]) for kind in MEASUREMENTS),
        "",
        f"- Bulk path / baseline, time per row: **{statistics.median(ratios):.2f}x** (median of "
        f"the rounds' ratios: {', '.join(f'{r:.2f}' for r in ratios)}).",
        f"- Bulk path / per-person path: {rate['bulk'] / rate['per_person']:,.0f}x the rows per "
        "second.",
        "- (a) totals only computes the same lines as (a) but keeps 5 columns: the rest of (a)'s "
        "time is writing the 15 slot columns and copying the input columns of each row (rows are "
        "regrouped by segment). (b) reads its rates from literals; the bulk path gathers every "
        "rate by month and profile, validates every row, and computes all four segments.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows")
    parser.add_argument("--measure", choices=[*MEASUREMENTS], help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = 1_000_000 if args.quick else args.rows
    if args.measure:
        print(json.dumps(measure(args.measure, rows)))
        return
    table = report(rows)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
