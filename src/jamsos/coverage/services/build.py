"""The coverage job: registered, active, new, lapsed and reactivated participants per month,
village, segment, ecosystem, channel and branch office, rolled up to every region level
(docs/coverage/facts.md).

``coverage_build("2025-01", "2025-04")`` recomputes the four months. For each month, in order:

1. ``read``: the month's invoice-line status (one row per PU/BPU membership billed in the
   month: all its lines paid or not) and the unpaid lines of the ``status.lapse_months``
   months before it, each read once per run and kept while later months need them. The
   memberships open in any month of the run, with their domicile village, and the paid
   placements (PMI) and projects (Jakon) are read once, at the first month.
2. ``compute``: one columnar pass (Polars): the five counts per membership, grouped to facts
   (month x village x segment x ecosystem x channel x office), rolled up to the five region
   levels and the dashboard's slices, joined to the workforce denominators.
3. ``write``: the month's ``CoverageFact``, ``CoverageArea`` and ``CoverageOffice`` rows are
   deleted and written again (COPY on PostgreSQL, ``executemany`` on SQLite) in **one
   transaction per month**: a run that dies leaves every month either as it was or fully
   replaced, never half-written.

Definitions (the ``Counts`` docstring in ``models.py``; ADR 0104):

- registered: the membership is open at some time in the month;
- active: PU and BPU, every invoice line of the membership for the month is paid; Jakon, the
  line of the membership's project is paid (a project is billed once, for its whole term); PMI,
  the placement's line is paid (billed once). A month never billed is not active;
- new: the membership started in the month;
- lapsed (PU, BPU): the month and the N-1 months before it are all billed and unpaid (N =
  ``status.lapse_months`` for the segment in force for the month), and the month before those
  is not: counted once, in the month the membership becomes lapsed;
- reactivated (PU, BPU): active in the month, after N billed and unpaid months just before it.

Where a participant is counted: the domicile village of the person (``Person.domicile``); a
PU membership of a person without a domicile falls back to the employer's address village.

One run at a time (a job, :mod:`jamsos.jobs`, with the lock key ``coverage.build``): a second
``coverage_build`` while one is running (and alive: heartbeat within :data:`STALE_AFTER`, its
process alive on this host) is refused with
:class:`~jamsos.coverage.services._errors.RunInProgress`; a stale one is marked ``failed``
("abandoned") and taken over. From a page, :func:`coverage_build_enqueue` queues the build for
the task worker (ADR 0106).

``since_last=True`` recomputes only the months whose inputs changed since the start of the
last finished run (billing runs finished, payments received, memberships or people changed
since then), from the earliest such month to the latest billed month. Each of those months is
recomputed whole: a month costs one read of its lines and of the open memberships, and a
partial update of its cells would need the same reads (docs/coverage/facts.md).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jamsos.access.scope import Scope
from jamsos.billing.models import (
    Allocation,
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    Payment,
)
from jamsos.billing.models import RunStatus as BillingStatus
from jamsos.core.bulkwrite import execute, read_frame, table, write_frame
from jamsos.core.partitions import partition_write, partitioned
from jamsos.coverage.models import (
    CoverageArea,
    CoverageFact,
    CoverageOffice,
    CoverageRun,
    RunStatus,
)
from jamsos.coverage.policy import COVERAGE
from jamsos.coverage.services._errors import (
    JobBadPeriod,
    NothingBilled,
    PeriodOrder,
    RunInProgress,
    TooManyMonths,
)
from jamsos.coverage.services.village_weights import village_weights
from jamsos.jobs.models import Job
from jamsos.jobs.services import (
    STALE_AFTER,
    JobLocked,
    ProgressCallback,
    Tracker,
    job_failed,
    job_finished,
    job_is_stale,
    job_start,
    job_waiting,
)
from jamsos.jobs.tasks import job_enqueue
from jamsos.legal import parameters
from jamsos.legal.periods import Period
from jamsos.membership.models import Employer, Membership, Person
from jamsos.registry.models import (
    NATIONAL_CODE,
    Region,
    RegionEdition,
    RegionPopulation,
    WorkforceFigure,
)

__all__ = [
    "APPORTION_METHOD",
    "SEGMENTS",
    "STALE_AFTER",
    "WEIGHTED_METHOD",
    "ProgressCallback",
    "coverage_build",
    "coverage_build_enqueue",
    "coverage_build_queued",
    "months_changed_since",
]

#: The longest range one run takes (ten years of months).
MAX_MONTHS = 120
#: The segments, in the order the dashboard shows them.
SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
#: The workforce figure each slice is measured against (``None``: no denominator).
POTENTIAL_KIND = {"": "employed", "PU": "formal_employed", "BPU": "informal_employed"}
#: How district and village denominators are estimated (shown beside them): equal shares of
#: the regency's figure, or shares weighted by village type (services/village_weights.py).
APPORTION_METHOD = "equal share of the regency estimate"
WEIGHTED_METHOD = "share of the regency estimate by village type"

#: PostgreSQL's ``maintenance_work_mem`` while a month is written (its index sorts).
SORT_MEMORY = "256MB"

COUNTS = ("registered", "active", "new", "lapsed", "reactivated")
AREA_COLUMNS = (
    "period",
    "level",
    "region_code",
    "parent_code",
    "segment",
    "ecosystem",
    "channel",
    *COUNTS,
    "potential",
    "potential_kind",
    "potential_estimated",
    "potential_source",
)


# --------------------------------------------------------------------------------------------
# Entry point


def coverage_build(
    period_from: str | None,
    period_to: str | None = None,
    *,
    by: str = "",
    progress: ProgressCallback | None = None,
    since_last: bool = False,
    queued: CoverageRun | None = None,
    engine: str = "local",
) -> CoverageRun:
    """Recompute the coverage rows of the months ``period_from`` .. ``period_to`` (YYYY-MM;
    ``period_to`` defaults to ``period_from``). With ``since_last``, the months whose inputs
    changed since the last finished run (``period_from`` then only bounds them from below).
    ``progress(stage, done, total)`` gets the stage of the current month, months done, months.

    Returns the finished run record. Raises :class:`JobBadPeriod`, :class:`PeriodOrder`,
    :class:`TooManyMonths`, :class:`NothingBilled` or :class:`RunInProgress`; any other failure
    marks the record ``failed`` with the error text and is raised again (months finished
    before it keep their new rows; the failing month keeps its previous rows). ``queued`` is
    the record :func:`coverage_build_enqueue` wrote (the worker runs it). ``engine="spark"``
    computes the facts on Apache Spark (:mod:`jamsos.coverage.engines.spark`, the ``spark``
    extra); the rest, and what is written, is the same.
    """
    facts_engine = _engine(engine)
    months = _months(period_from, period_to, since_last)
    run = _run_start(months, by, queued)
    tracker = _Progress(run, progress, len(months))
    try:
        if months:
            _Job(run, months, tracker, facts_engine).build()
        else:
            _run_finished(run, tracker, {"months": 0, "note": "nothing changed"})
    except BaseException as exc:
        tracker.close()
        job_failed(run, exc)
        raise
    finally:
        if facts_engine is not None:
            facts_engine.close()
    tracker.close()
    run.refresh_from_db()
    return run


def _engine(name: str) -> Any:
    """What computes each month's facts: ``None`` for this process (``local``), or the Spark
    engine (:class:`jamsos.coverage.engines.spark.SparkFacts`)."""
    if name == "spark":
        from jamsos.coverage.engines.spark import SparkFacts

        return SparkFacts()
    if name != "local":
        raise ValueError(f"unknown coverage engine {name!r} (local or spark)")
    return None


def coverage_build_enqueue(
    period_from: str | None,
    period_to: str | None = None,
    *,
    by: Scope,
    since_last: bool = False,
) -> CoverageRun:
    """Queue a build for the task worker; returns its ``queued`` record. The months are
    checked now (the same refusals as :func:`coverage_build`), and worked out again when the
    worker runs it. The same request already waiting is returned rather than queued twice."""
    COVERAGE.require(by, "coverage.build")
    months = _months(period_from, period_to, since_last)
    _refuse_if_running()
    params = {"period_from": period_from, "period_to": period_to, "since_last": since_last}
    waiting = job_waiting(CoverageRun, CoverageRun.JOB_KIND)
    if waiting is not None and waiting.params == params:
        return waiting
    run = CoverageRun(
        period_from=str(months[0]) if months else "",
        period_to=str(months[-1]) if months else "",
        started_by=(by.actor_name or "")[:150],
        params=params,
    )
    return job_enqueue(run)


def coverage_build_queued(job: Job) -> CoverageRun:
    """Run a queued build (the job kind's runner, in the worker)."""
    run = CoverageRun.objects.get(pk=job.pk)
    params = run.params or {}
    return coverage_build(
        params.get("period_from"),
        params.get("period_to"),
        since_last=bool(params.get("since_last")),
        queued=run,
    )


def _parse(text: str | None, field: str) -> Period:
    try:
        return Period.parse(text or "")
    except ValueError:
        raise JobBadPeriod(field=field, value=text or "") from None


def _months(period_from: str | None, period_to: str | None, since_last: bool) -> list[Period]:
    if since_last:
        floor = _parse(period_from, "period_from") if period_from else None
        changed = months_changed_since()
        if changed is None:
            raise NothingBilled()
        first, last = changed
        if floor is not None and floor > first:
            first = floor
        if first > last:
            return []
    else:
        first = _parse(period_from, "period_from")
        last = _parse(period_to, "period_to") if period_to else first
        if last < first:
            raise PeriodOrder(value=str(last), first=str(first))
    count = last.index - first.index + 1
    if count > MAX_MONTHS:
        raise TooManyMonths(value=count, limit=MAX_MONTHS)
    return [Period.from_index(i) for i in range(first.index, last.index + 1)]


def _last_billed() -> Period | None:
    latest = (
        BillingRun.objects.filter(status=BillingStatus.FINISHED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.parse(latest) if latest else None


def months_changed_since(since: datetime | None = None) -> tuple[Period, Period] | None:
    """The months to recompute: from the earliest month whose inputs changed after ``since``
    (default: the start of the last finished coverage run) to the latest billed month.

    Inputs: billing runs finished (their month), payments received (the months of the
    invoices they paid), memberships changed (from their start month: a start, an end or a
    move changes every month after it), people changed (their memberships' start months: a
    new domicile moves them). With no finished coverage run, every billed month. ``None``
    when nothing was ever billed.
    """
    last = _last_billed()
    if last is None:
        return None
    if since is None:
        previous = (
            CoverageRun.objects.filter(status=RunStatus.FINISHED)
            .exclude(counts__months=0)
            .order_by("-started_at")
            .first()
        )
        if previous is None:
            first = (
                BillingRun.objects.filter(status=BillingStatus.FINISHED)
                .order_by("period")
                .values_list("period", flat=True)
                .first()
            )
            return Period.parse(str(first)), last
        since = previous.started_at
        covered_to = Period.parse(previous.period_to)
    else:
        covered_to = last
    candidates: list[str] = []
    billed = (
        BillingRun.objects.filter(status=BillingStatus.FINISHED, finished_at__gte=since)
        .order_by("period")
        .values_list("period", flat=True)
        .first()
    )
    if billed:
        candidates.append(billed)
    paid = (
        Invoice.objects.filter(
            pk__in=InvoiceItem.objects.filter(
                pk__in=Allocation.objects.filter(
                    payment__in=Payment.objects.filter(received_at__gte=since).values("pk")
                ).values("item_id")
            ).values("invoice_id")
        )
        .order_by("period")
        .values_list("period", flat=True)
        .first()
    )
    if paid:
        candidates.append(paid)
    moved = (
        Membership.objects.filter(updated_at__gte=since).order_by("start_date").first()
        or Membership.objects.filter(
            person__in=Person.objects.filter(updated_at__gte=since).values("pk")
        )
        .order_by("start_date")
        .first()
    )
    if moved is not None:
        candidates.append(f"{moved.start_date:%Y-%m}")
    if covered_to < last:
        candidates.append(str(covered_to.next()))
    if not candidates:
        return last.next(), last  # nothing to do: an empty range
    return max(Period.parse(min(candidates)), _first_billed_or(last)), last


def _first_billed_or(default: Period) -> Period:
    first = (
        BillingRun.objects.filter(status=BillingStatus.FINISHED)
        .order_by("period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.parse(first) if first else default


# --------------------------------------------------------------------------------------------
# The job record


def _in_progress(holder: Job) -> RunInProgress:
    run = CoverageRun.objects.filter(pk=holder.pk).first()
    periods = f"{run.period_from}..{run.period_to}" if run else "?"
    started = holder.started_at or holder.created_at
    return RunInProgress(
        run=holder.pk,
        periods=periods,
        started=timezone.localtime(started).strftime("%Y-%m-%d %H:%M"),
        process=holder.process or "?",
    )


def _refuse_if_running() -> None:
    holder = Job.objects.filter(lock_key=CoverageRun.JOB_KIND, status=RunStatus.RUNNING).first()
    if holder is not None and not job_is_stale(holder):
        raise _in_progress(holder)


def _run_start(months: list[Period], by: str, queued: CoverageRun | None) -> CoverageRun:
    run = queued or CoverageRun(started_by=(by or "")[:150])
    run.period_from = str(months[0]) if months else ""
    run.period_to = str(months[-1]) if months else ""
    run.progress_total = len(months)
    try:
        job_start(run)
    except JobLocked as locked:
        raise _in_progress(locked.holder) from None
    if queued is not None:
        CoverageRun.objects.filter(pk=run.pk).update(
            period_from=run.period_from, period_to=run.period_to, progress_total=len(months)
        )
    return run


def _run_finished(run: CoverageRun, tracker: _Progress, counts: dict[str, Any]) -> None:
    job_finished(
        run,
        done=tracker.months,
        total=tracker.months,
        result={
            "period_from": run.period_from,
            "period_to": run.period_to,
            "months": counts.get("months", 0),
            "facts": counts.get("facts", 0),
            "areas": counts.get("areas", 0),
        },
        counts=counts,
        timings=tracker.timings,
    )


class _Progress(Tracker):
    """The job's tracker counting months: ``stage(name, month)`` within a month,
    ``month_done`` between two (:class:`jamsos.jobs.services.Tracker` writes the record)."""

    def __init__(self, run: CoverageRun, callback: ProgressCallback | None, months: int) -> None:
        super().__init__(run, callback, total=months, untimed=("start", "between"))
        self.months = months

    def stage(  # type: ignore[override]
        self, name: str, month: Period
    ) -> None:
        super().stage(name, label=f"{name} {month}", keep_progress=True)

    def month_done(self, month: Period, seconds: float) -> None:
        self.idle("between")
        self.timings[str(month)] = round(seconds, 3)
        self.advance(1, force=True, report="done")


# --------------------------------------------------------------------------------------------
# Reading


def _month_index(column: str) -> str:
    """SQL for a date column's month index (``year * 12 + month - 1``)."""
    if connection.vendor == "postgresql":
        return (
            f"(CAST(EXTRACT(YEAR FROM {column}) AS integer) * 12 "
            f"+ CAST(EXTRACT(MONTH FROM {column}) AS integer) - 1)"
        )
    return (
        f"(CAST(substr({column}, 1, 4) AS integer) * 12 "
        f"+ CAST(substr({column}, 6, 2) AS integer) - 1)"
    )


def _read_memberships(first: Period, last: Period) -> pl.DataFrame:
    """Memberships open at some time between ``first`` and ``last``: the dimensions, the
    domicile village (the employer's address for a PU person without one) and the months."""
    start, end = _month_index("m.start_date"), _month_index("m.end_date")
    frame = read_frame(
        f"SELECT m.id, m.segment, m.ecosystem, m.channel, m.branch_office_id, "
        f"COALESCE(p.domicile_id, e.address_village_id), m.project_id, {start}, {end} "
        f"FROM {table(Membership)} m JOIN {table(Person)} p ON p.id = m.person_id "
        f"LEFT JOIN {table(Employer)} e ON e.id = m.employer_id "
        "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)",
        [last.last_day.isoformat(), first.first_day.isoformat()],
        {
            "membership_id": pl.Int64(),
            "segment": pl.String(),
            "ecosystem": pl.String(),
            "channel": pl.String(),
            "branch_office_id": pl.Int64(),
            "village_id": pl.Int64(),
            "project_id": pl.Int64(),
            "start": pl.Int32(),
            "end": pl.Int32(),
        },
    )
    return frame.with_columns(
        pl.col("segment").cast(pl.Categorical),
        pl.when(pl.col("ecosystem").is_in(["", "none"]) | pl.col("ecosystem").is_null())
        .then(pl.lit(""))
        .otherwise(pl.col("ecosystem"))
        .cast(pl.Categorical)
        .alias("ecosystem"),
        pl.col("channel").fill_null("").cast(pl.Categorical),
    )


def _read_month_lines(period: Period) -> pl.DataFrame:
    """PU and BPU memberships billed for ``period``: ``paid`` is 1 when every line is paid."""
    lines = read_frame(
        f"SELECT membership_id, CASE WHEN paid_on IS NULL THEN 0 ELSE 1 END "
        f"FROM {table(InvoiceLine)} WHERE period = %s AND membership_id IS NOT NULL "
        "AND segment IN ('PU', 'BPU')",
        [str(period)],
        {"membership_id": pl.Int64(), "paid": pl.Int8()},
    )
    return lines.group_by("membership_id").agg(pl.col("paid").min())


def _read_unpaid(period: Period) -> pl.Series:
    """PU and BPU memberships with an unpaid line for ``period`` (the lapse look-back)."""
    frame = read_frame(
        f"SELECT DISTINCT membership_id FROM {table(InvoiceLine)} "
        "WHERE period = %s AND paid_on IS NULL AND membership_id IS NOT NULL "
        "AND segment IN ('PU', 'BPU')",
        [str(period)],
        {"membership_id": pl.Int64()},
    )
    return frame["membership_id"]


def _read_once_billed() -> tuple[pl.Series, pl.Series]:
    """Paid placements (PMI memberships whose every line is paid) and paid projects (Jakon):
    billed once, active for their whole term (ADR 0104)."""
    m = table(Membership)
    pmi = read_frame(
        f"SELECT l.membership_id, MIN(CASE WHEN l.paid_on IS NULL THEN 0 ELSE 1 END) "
        f"FROM {table(InvoiceLine)} l WHERE l.membership_id IN "
        f"(SELECT id FROM {m} WHERE segment = 'PMI') GROUP BY l.membership_id",
        [],
        {"membership_id": pl.Int64(), "paid": pl.Int8()},
    )
    projects = read_frame(
        f"SELECT project_id, MIN(CASE WHEN paid_on IS NULL THEN 0 ELSE 1 END) "
        f"FROM {table(InvoiceLine)} WHERE project_id IS NOT NULL GROUP BY project_id",
        [],
        {"project_id": pl.Int64(), "paid": pl.Int8()},
    )
    return (
        pmi.filter(pl.col("paid") == 1)["membership_id"],
        projects.filter(pl.col("paid") == 1)["project_id"],
    )


def _read_villages() -> pl.DataFrame:
    """Every village row (any edition): id -> its codes."""
    return read_frame(
        f"SELECT id, code, district_code, regency_code, province_code FROM {table(Region)} "
        "WHERE level = 4",
        [],
        {
            "village_id": pl.Int64(),
            "village_code": pl.String(),
            "district_code": pl.String(),
            "regency_code": pl.String(),
            "province_code": pl.String(),
        },
    )


def _current_edition_id() -> int | None:
    return RegionEdition.objects.filter(is_current=True).values_list("pk", flat=True).first()


def _read_regions(edition_id: int | None) -> pl.DataFrame:
    """The current edition's regions: code, level, parent code (for zero rows and shares)."""
    if edition_id is None:
        return pl.DataFrame(
            schema={
                "code": pl.String(),
                "level": pl.Int16(),
                "district_code": pl.String(),
                "regency_code": pl.String(),
                "province_code": pl.String(),
                "kind": pl.String(),
            }
        )
    return read_frame(
        f"SELECT code, level, district_code, regency_code, province_code, kind "
        f"FROM {table(Region)} WHERE edition_id = %s",
        [edition_id],
        {
            "code": pl.String(),
            "level": pl.Int16(),
            "district_code": pl.String(),
            "regency_code": pl.String(),
            "province_code": pl.String(),
            "kind": pl.String(),
        },
    )


def _read_population(edition_id: int | None) -> pl.DataFrame:
    """The latest registered population of each regency of the edition (village weights)."""
    frame = read_frame(
        f"SELECT r.code, p.period, p.total FROM {table(RegionPopulation)} p "
        f"JOIN {table(Region)} r ON r.id = p.region_id WHERE r.edition_id = %s AND r.level = 2",
        [edition_id or 0],
        {"code": pl.String(), "period": pl.String(), "total": pl.Int64()},
    )
    return (
        frame.sort(["code", "period"], descending=[False, True])
        .group_by("code", maintain_order=True)
        .first()
        .select("code", "total")
    )


def _read_figures(edition_id: int | None) -> pl.DataFrame:
    """Workforce figures of the kinds the slices use, by region code (current edition first)."""
    kinds = sorted(set(POTENTIAL_KIND.values()))
    placeholders = ", ".join(["%s"] * len(kinds))
    return read_frame(
        f"SELECT r.code, r.level, f.period, f.kind, f.count, "
        f"CASE WHEN f.estimated THEN 1 ELSE 0 END, f.source, "
        f"CASE WHEN r.edition_id = %s THEN 0 ELSE 1 END "
        f"FROM {table(WorkforceFigure)} f JOIN {table(Region)} r ON r.id = f.region_id "
        f"WHERE f.kind IN ({placeholders}) AND r.level <= 2",
        [edition_id or 0, *kinds],
        {
            "code": pl.String(),
            "level": pl.Int16(),
            "period": pl.String(),
            "kind": pl.String(),
            "count": pl.Int64(),
            "estimated": pl.Int8(),
            "source": pl.String(),
            "other_edition": pl.Int8(),
        },
    )


def _fact_rows(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts as written: in the order of the village index (village, then the other
    keys), so that PostgreSQL's index sort finds them sorted; the areas are written in the
    order of the level index (level, region code) for the same reason."""
    keys = ["village_code", "segment", "ecosystem", "channel", "branch_office_id"]
    return _sorted(facts.drop("village_id"), keys)


def _sorted(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame.sort(keys, nulls_last=True)`` by one integer: each key's value replaced by its
    rank among the key's distinct values (a sort of those few values and a join), the ranks
    packed into one 64-bit key. The same order (the keys of the facts and the areas are
    unique), in less time than a sort over several text columns (a month's 762k area rows at
    1M memberships: 0.8-1.0 s against 1.0-4.1 s on the loaded 2-core machine)."""
    packed = pl.lit(0, dtype=pl.Int64)
    shift = 0
    ranked = frame
    for key in reversed(keys):
        name = f"__rank_{key}"
        values = frame.select(pl.col(key).unique().drop_nulls().sort()).with_row_index(name)
        ranked = ranked.join(values, on=key, how="left")
        rank = pl.col(name).cast(pl.Int64).fill_null(values.height)  # nulls last
        packed = packed + rank * (1 << shift)
        shift += max(values.height.bit_length(), 1)
    if shift > 62:
        return frame.sort(keys, nulls_last=True)
    names = [f"__rank_{key}" for key in keys]
    return ranked.sort(packed).drop(names)


# --------------------------------------------------------------------------------------------
# The job


class _Job:
    def __init__(
        self, run: CoverageRun, months: list[Period], tracker: _Progress, engine: Any = None
    ) -> None:
        self.engine = engine  # another engine for the facts (Spark), or None
        self.run = run
        self.months = months
        self.track = tracker
        self.status: dict[Period, pl.DataFrame] = {}
        self.unpaid: dict[Period, pl.Series] = {}
        self.counts: dict[str, Any] = {"months": len(months), "by_month": {}}
        self.members: pl.DataFrame | None = None
        #: The latest figures of the last month computed, and its denominators.
        self.potentials: tuple[pl.DataFrame, pl.DataFrame] | None = None

    def build(self) -> None:
        edition_id = _current_edition_id()
        self.villages = _read_villages()
        self.regions = _read_regions(edition_id)
        self.figures = _read_figures(edition_id)
        self.weights = village_weights(self.regions, _read_population(edition_id))
        for month in self.months:
            started = time.perf_counter()
            self.track.stage("read", month)
            if self.members is None:
                self.members = _read_memberships(self.months[0], self.months[-1])
                self.paid_pmi, self.paid_projects = _read_once_billed()
            lookback = self._lookback(month)
            status, unpaid = self._read_lines(month, lookback)
            self.track.stage("compute", month)
            facts, unplaced = self._facts(month, status, unpaid, lookback)
            areas = self._areas(month, facts)
            offices = self._offices(month, facts)
            self.track.stage("write", month)
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The partitions' indexes are built by sorting as they are attached: in
                    # memory rather than in temporary files (the default is 64 MB).
                    execute(f"SET LOCAL maintenance_work_mem = '{SORT_MEMORY}'")
                # Facts and areas: the month's partition replaced whole on PostgreSQL (loaded
                # without indexes, then attached; ADR 0107), delete and insert elsewhere.
                partition_write(CoverageFact, str(month), _fact_rows(facts), replace=True)
                partition_write(CoverageArea, str(month), areas, replace=True)
                execute(f"DELETE FROM {table(CoverageOffice)} WHERE period = %s", [str(month)])
                write_frame(CoverageOffice, offices)
            nation = areas.filter(
                (pl.col("level") == 0)
                & (pl.col("segment") == "")
                & (pl.col("ecosystem") == "")
                & (pl.col("channel") == "")
            )
            figures = {c: int(nation[c].sum() or 0) for c in COUNTS}
            self.counts["by_month"][str(month)] = {
                **figures,
                "facts": facts.height,
                "areas": areas.height,
                "offices": offices.height,
                "unplaced": unplaced,
            }
            self.track.month_done(month, time.perf_counter() - started)
            self._forget(month)
        for name in ("facts", "areas", "offices"):
            self.counts[name] = sum(m[name] for m in self.counts["by_month"].values())
        self.counts["memberships_read"] = self.members.height if self.members is not None else 0
        if self.engine is not None:
            self.counts.update(self.engine.summary())
        _run_finished(self.run, self.track, self.counts)
        if connection.vendor == "postgresql":
            # A partition is analysed as it is loaded; analysing a partitioned table would
            # read every month again.
            for model in (CoverageFact, CoverageArea, CoverageOffice):
                if not partitioned(model):
                    execute(f"ANALYZE {table(model)}")

    # -- lines ---------------------------------------------------------------------------------

    def _lookback(self, month: Period) -> dict[str, int]:
        """``status.lapse_months`` in force for the month, by segment."""
        value = parameters().get("status.lapse_months", month.legal_date).value
        return {str(segment): int(n) for segment, n in dict(value).items()}

    def _read_lines(
        self, month: Period, lookback: dict[str, int]
    ) -> tuple[pl.DataFrame, dict[int, pl.Series]]:
        if month not in self.status:
            self.status[month] = _read_month_lines(month)
        status = self.status[month]
        self.unpaid[month] = status.filter(pl.col("paid") == 0)["membership_id"]
        depth = max(lookback.values(), default=0)
        unpaid: dict[int, pl.Series] = {}
        for k in range(0, depth + 1):
            earlier = Period.from_index(month.index - k)
            if earlier not in self.unpaid:
                if earlier in self.status:
                    frame = self.status[earlier]
                    self.unpaid[earlier] = frame.filter(pl.col("paid") == 0)["membership_id"]
                else:
                    self.unpaid[earlier] = _read_unpaid(earlier)
            unpaid[k] = self.unpaid[earlier]
        self.depth = depth
        return status, unpaid

    def _forget(self, month: Period) -> None:
        """Drop what no later month of the run needs: the month's full status, and unpaid sets
        older than the deepest look-back."""
        self.status.pop(month, None)
        keep_from = month.index + 1 - (self.depth + 1)
        for earlier in [p for p in self.unpaid if p.index < keep_from]:
            self.unpaid.pop(earlier)

    # -- facts ---------------------------------------------------------------------------------

    def _facts(
        self,
        month: Period,
        status: pl.DataFrame,
        unpaid: dict[int, pl.Series],
        lookback: dict[str, int],
    ) -> tuple[pl.DataFrame, int]:
        assert self.members is not None
        if self.engine is not None:
            return self.engine.facts(  # type: ignore[no-any-return]
                month, self.members, status, unpaid, lookback,
                self.paid_pmi, self.paid_projects, self.villages,
            )  # fmt: skip
        index = month.index
        open_ = self.members.filter(
            (pl.col("start") <= index) & (pl.col("end").is_null() | (pl.col("end") >= index))
        )
        monthly = pl.col("segment").cast(pl.String).is_in(["PU", "BPU"])
        frame = open_.join(status, on="membership_id", how="left")
        # Consecutive unpaid billed months ending at the month (k = 0) and just before it (k = 1).
        flags = [
            pl.col("membership_id").is_in(unpaid[k].implode()).cast(pl.Int32)
            for k in range(len(unpaid))
        ]
        run0 = pl.lit(0, dtype=pl.Int32)
        for flag in reversed(flags):
            run0 = flag * (1 + run0)
        run1 = pl.lit(0, dtype=pl.Int32)
        for flag in reversed(flags[1:]):
            run1 = flag * (1 + run1)
        threshold = pl.lit(None, dtype=pl.Int32)
        for name, months in lookback.items():
            threshold = (
                pl.when(pl.col("segment").cast(pl.String) == name)
                .then(pl.lit(months, dtype=pl.Int32))
                .otherwise(threshold)
            )
        segment = pl.col("segment").cast(pl.String)
        active = (
            pl.when(monthly)
            .then(pl.col("paid").fill_null(0) == 1)
            .when(segment == "PMI")
            .then(pl.col("membership_id").is_in(self.paid_pmi.implode()))
            .when(segment == "JAKON")
            .then(pl.col("project_id").is_in(self.paid_projects.implode()).fill_null(False))
            .otherwise(False)
        )
        frame = frame.with_columns(
            active=active.cast(pl.Int32),
            new=(pl.col("start") == index).cast(pl.Int32),
            run0=run0,
            run1=run1,
            threshold=threshold,
        ).with_columns(
            lapsed=(
                monthly
                & pl.col("threshold").is_not_null()
                & (pl.col("run0") == pl.col("threshold"))
            )
            .fill_null(False)
            .cast(pl.Int32),
            reactivated=(
                monthly
                & (pl.col("active") == 1)
                & pl.col("threshold").is_not_null()
                & (pl.col("run1") >= pl.col("threshold"))
            )
            .fill_null(False)
            .cast(pl.Int32),
        )
        keys = ["village_id", "segment", "ecosystem", "channel", "branch_office_id"]
        facts = frame.group_by(keys).agg(
            pl.len().cast(pl.Int64).alias("registered"),
            pl.col("active").sum().cast(pl.Int64),
            pl.col("new").sum().cast(pl.Int64),
            pl.col("lapsed").sum().cast(pl.Int64),
            pl.col("reactivated").sum().cast(pl.Int64),
        )
        placed = facts.join(self.villages, on="village_id", how="inner")
        unplaced = int(facts["registered"].sum() or 0) - int(placed["registered"].sum() or 0)
        facts = placed.with_columns(
            period=pl.lit(str(month)),
            segment=pl.col("segment").cast(pl.String),
            ecosystem=pl.col("ecosystem").cast(pl.String),
            channel=pl.col("channel").cast(pl.String),
        ).select(
            "period",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "segment",
            "ecosystem",
            "channel",
            "branch_office_id",
            *COUNTS,
            "village_id",
        )
        return facts, unplaced

    # -- areas ---------------------------------------------------------------------------------

    def _areas(self, month: Period, facts: pl.DataFrame) -> pl.DataFrame:
        levels = (
            (0, pl.lit(NATIONAL_CODE), pl.lit("")),
            (1, pl.col("province_code"), pl.lit(NATIONAL_CODE)),
            (2, pl.col("regency_code"), pl.col("province_code")),
            (3, pl.col("district_code"), pl.col("regency_code")),
            (4, pl.col("village_code"), pl.col("district_code")),
        )
        seg, eco, ch = pl.col("segment"), pl.col("ecosystem"), pl.col("channel")
        blank = pl.lit("")
        # (filter, segment, ecosystem, channel) of each slice; "" = all.
        slices = (
            (None, blank, blank, blank),
            (None, seg, blank, blank),
            (eco != "", blank, eco, blank),
            (ch != "", blank, blank, ch),
            ((seg == "BPU") & (eco != ""), seg, eco, blank),
        )
        sums = [pl.col(c).sum().cast(pl.Int64) for c in COUNTS]
        parts = []
        lazy = facts.lazy()
        for level, code, parent in levels:
            for where, s, e, c in slices:
                source = lazy if where is None else lazy.filter(where)
                parts.append(
                    source.group_by(
                        code.alias("region_code"),
                        parent.alias("parent_code"),
                        s.alias("segment"),
                        e.alias("ecosystem"),
                        c.alias("channel"),
                    )
                    .agg(*sums)
                    .with_columns(level=pl.lit(level, dtype=pl.Int16))
                )
        areas = pl.concat(pl.collect_all(parts), how="vertical_relaxed")
        areas = areas.select(
            "level", "region_code", "parent_code", "segment", "ecosystem", "channel", *COUNTS
        )
        areas = pl.concat([areas, self._zero_rows(areas)], how="vertical_relaxed")
        potentials = self._potentials(month)
        kind = (
            pl.when((pl.col("ecosystem") == "") & (pl.col("channel") == ""))
            .then(
                pl.col("segment").replace_strict(
                    POTENTIAL_KIND, default=None, return_dtype=pl.String
                )
            )
            .otherwise(pl.lit(None, dtype=pl.String))
        )
        areas = (
            areas.with_columns(potential_kind=kind)
            .join(potentials, on=["region_code", "potential_kind"], how="left")
            .with_columns(
                period=pl.lit(str(month)),
                potential_kind=pl.when(pl.col("potential").is_not_null())
                .then(pl.col("potential_kind"))
                .otherwise(pl.lit("")),
                potential_estimated=pl.col("potential_estimated").fill_null(False),
                potential_source=pl.col("potential_source").fill_null(""),
            )
        )
        return _sorted(
            areas.select(AREA_COLUMNS), ["level", "region_code", "segment", "ecosystem", "channel"]
        )

    def _zero_rows(self, areas: pl.DataFrame) -> pl.DataFrame:
        """A row of zeros for the nation and for every region of the current edition (province
        to village) that has no row in a slice measured against a potential (all participants,
        PU, BPU): where nobody is registered is where the most is to do, so those places get
        their potential and appear on the map and in every ranking at 0 %."""
        parent = (
            pl.when(pl.col("level") == 1)
            .then(pl.lit(NATIONAL_CODE))
            .when(pl.col("level") == 2)
            .then(pl.col("province_code"))
            .when(pl.col("level") == 3)
            .then(pl.col("regency_code"))
            .otherwise(pl.col("district_code"))
        )
        wanted = pl.concat(
            [
                pl.DataFrame(
                    {"level": [0], "region_code": [NATIONAL_CODE], "parent_code": [""]},
                    schema={"level": pl.Int16, "region_code": pl.String, "parent_code": pl.String},
                ),
                self.regions.filter(pl.col("level").is_between(1, 4)).select(
                    pl.col("level").cast(pl.Int16),
                    pl.col("code").alias("region_code"),
                    parent.fill_null("").alias("parent_code"),
                ),
            ]
        )
        segments = pl.DataFrame({"segment": list(POTENTIAL_KIND)}, schema={"segment": pl.String})
        present = areas.filter((pl.col("ecosystem") == "") & (pl.col("channel") == "")).select(
            "region_code", "segment"
        )
        missing = wanted.join(segments, how="cross").join(
            present, on=["region_code", "segment"], how="anti"
        )
        return missing.with_columns(
            ecosystem=pl.lit(""),
            channel=pl.lit(""),
            **{c: pl.lit(0, dtype=pl.Int64) for c in COUNTS},
        ).select(areas.columns)

    def _potentials(self, month: Period) -> pl.DataFrame:
        """Denominators by region code and kind: the latest figure on or before the month for
        the nation, provinces and regencies; districts and villages get equal shares of their
        regency's figure (each village ``count // n``, the remainder one each to the first
        villages by code), a district the sum of its villages' shares."""
        schema = {
            "region_code": pl.String(),
            "potential_kind": pl.String(),
            "potential": pl.Int64(),
            "potential_estimated": pl.Boolean(),
            "potential_source": pl.String(),
        }
        text = str(month)
        figures = self.figures.filter(pl.col("period") <= text)
        if figures.is_empty():
            return pl.DataFrame(schema=schema)
        latest = (
            figures.sort(
                ["code", "kind", "period", "other_edition"], descending=[False, False, True, False]
            )
            .group_by(["code", "kind"], maintain_order=True)
            .first()
        )
        # The months of a run mostly share their latest figures: their shares are worked
        # out once.
        if self.potentials is not None and self.potentials[0].equals(latest):
            return self.potentials[1]
        direct = latest.select(
            pl.col("code").alias("region_code"),
            pl.col("kind").alias("potential_kind"),
            pl.col("count").alias("potential"),
            (pl.col("estimated") == 1).alias("potential_estimated"),
            pl.col("source").str.slice(0, 300).alias("potential_source"),
        )
        regencies = latest.filter(pl.col("level") == 2)
        villages = (
            self.regions.filter(pl.col("level") == 4)
            .select("code", "district_code", "regency_code")
            .join(
                self.weights.select("code", "weight", "by_type", "per_kelurahan", "per_desa"),
                on="code",
                how="left",
            )
            .with_columns(pl.col("weight").fill_null(1), pl.col("by_type").fill_null(False))
            .sort("code")
            .with_columns(
                rank=pl.int_range(pl.len()).over("regency_code"),
                total_weight=pl.col("weight").sum().over("regency_code"),
            )
        )
        # Each village count x weight // total weight; the persons left over (fewer than the
        # villages) one each to the first villages by code, so the villages add up exactly.
        method = (
            pl.when(pl.col("by_type"))
            .then(
                pl.lit(f"{WEIGHTED_METHOD} (kelurahan ")
                + pl.col("per_kelurahan").cast(pl.String)
                + pl.lit(" : desa ")
                + pl.col("per_desa").cast(pl.String)
                + pl.lit(")")
            )
            .otherwise(pl.lit(APPORTION_METHOD))
        )
        shares = (
            villages.join(
                regencies.select(
                    pl.col("code").alias("regency_code"), "kind", "count", "period", "source"
                ),
                on="regency_code",
                how="inner",
            )
            .with_columns(base=pl.col("count") * pl.col("weight") // pl.col("total_weight"))
            .with_columns(left=pl.col("count") - pl.col("base").sum().over("regency_code", "kind"))
            .with_columns(
                share=pl.col("base") + (pl.col("rank") < pl.col("left")).cast(pl.Int64),
                note=method
                + pl.lit(" ")
                + pl.col("regency_code")
                + pl.lit(" (")
                + pl.col("period")
                + pl.lit("): ")
                + pl.col("source"),
            )
        )
        village_rows = shares.select(
            pl.col("code").alias("region_code"),
            pl.col("kind").alias("potential_kind"),
            pl.col("share").alias("potential"),
            pl.lit(True).alias("potential_estimated"),
            pl.col("note").str.slice(0, 300).alias("potential_source"),
        )
        district_rows = (
            shares.group_by("district_code", "kind")
            .agg(
                pl.col("share").sum().alias("potential"),
                pl.col("note").first().str.slice(0, 300).alias("potential_source"),
            )
            .select(
                pl.col("district_code").alias("region_code"),
                pl.col("kind").alias("potential_kind"),
                pl.col("potential").cast(pl.Int64),
                pl.lit(True).alias("potential_estimated"),
                "potential_source",
            )
        )
        found = pl.concat([direct, district_rows, village_rows], how="vertical_relaxed").cast(
            schema  # type: ignore[arg-type]
        )
        self.potentials = (latest, found)
        return found

    # -- offices -------------------------------------------------------------------------------

    def _offices(self, month: Period, facts: pl.DataFrame) -> pl.DataFrame:
        lazy = facts.lazy().filter(pl.col("branch_office_id").is_not_null())
        seg, eco, blank = pl.col("segment"), pl.col("ecosystem"), pl.lit("")
        slices = (
            (None, blank, blank),
            (None, seg, blank),
            (eco != "", blank, eco),
            ((seg == "BPU") & (eco != ""), seg, eco),
        )
        sums = [pl.col(c).sum().cast(pl.Int64) for c in COUNTS]
        parts = [
            (lazy if where is None else lazy.filter(where))
            .group_by("branch_office_id", s.alias("segment"), e.alias("ecosystem"))
            .agg(*sums)
            for where, s, e in slices
        ]
        offices = pl.concat(pl.collect_all(parts), how="vertical_relaxed")
        return offices.with_columns(period=pl.lit(str(month))).select(
            "period", "branch_office_id", "segment", "ecosystem", *COUNTS
        )
