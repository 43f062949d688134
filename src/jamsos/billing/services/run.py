"""The monthly billing run: every payer's invoice for one month, in one transaction (ADR 0104).

``billing_run("2025-03")`` bills the month. The steps, each a stage of the run record:

1. ``start``: the :class:`BillingRun` record (a job, :mod:`jamsos.jobs`) is written and
   committed first (one ``running`` run per period, the job lock ``billing.run:<period>``; a
   stale one is marked ``abandoned``).
2. ``penalties``: :func:`jamsos.billing.services.penalties.penalties_accrue` charges the months
   of delay started up to ``as_of``.
3. ``replace``: the month's invoices with no payment (unpaid drafts of an earlier run) are
   deleted with their items and lines, the penalties they carried are un-billed and their
   receivable is reversed (a ``replace`` journal entry). Invoices with an allocation, or whose
   items already bear a penalty charge, are kept.
4. ``read``: one query per segment reads what the month bills; (membership, month) pairs and
   projects already on a kept invoice are left out.
5. ``compute``: :func:`jamsos.legal.bulk.contributions_and_rejects` computes every line.
6. ``payers``: missing payers are created (:func:`~jamsos.billing.services.payers.payers_ensure`).
7. ``invoices``, ``lines``, ``rejects``: written set-based (COPY on PostgreSQL, ``executemany``
   on SQLite), unbilled penalty charges carried in as one penalty item per invoice.
8. ``ledger``: one billing entry, Dr 1100 per payer, Cr each income account the slot registry
   maps the billed line columns to (4100 for all of them today).
9. ``credits``: :func:`jamsos.billing.services.payments.credits_apply` for payers holding credit.

Steps 2 to 9 and the final update of the run record are one database transaction: a run killed
half-way leaves only its ``running`` record, which the next run marks ``abandoned``.

Progress (:class:`jamsos.jobs.services.Tracker`). On PostgreSQL the stage, progress and
heartbeat are written through a second connection in autocommit (the main transaction never
touches the job row until its last statement, so the two never wait on each other). On SQLite
the main transaction holds the database's only write lock, so nothing else can write until it
ends: the record shows the ``start`` stage until the end, and the progress goes only to the
``progress`` callback (the CLI's bar). See docs/billing/runs.md.

From a page, :func:`billing_run_enqueue` queues the run for the task worker
(``jamsos db_worker``), which runs :func:`billing_run` with the queued record (ADR 0106).

Ids. Invoices and penalty items get ids reserved before they are written
(:func:`jamsos.core.bulkwrite.reserve_ids`: ``nextval`` on PostgreSQL, after the
largest id under the write lock on SQLite), so that lines and charges can point at them without
reading them back; lines, contribution items and postings take the table's default ids.
Invoice numbers are the period and the invoice id: ``YYYYMM`` + the id zero-padded to 10 digits
(``2025030000000123``), unique because the id is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jamsos.access.audit import current_origin
from jamsos.access.scope import Scope
from jamsos.billing import lines as slot_lines
from jamsos.billing.errors import BadPeriod, PeriodOutOfLaw, RunInProgress
from jamsos.billing.models import (
    Account,
    Allocation,
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceKind,
    InvoiceLine,
    ItemKind,
    JournalEntry,
    JournalKind,
    Payer,
    PayerKind,
    PenaltyCharge,
    Posting,
    RunReject,
    RunStatus,
    Sponsorship,
    lock_key_of,
)
from jamsos.billing.policy import BILLING
from jamsos.billing.services.integrity import references_check
from jamsos.billing.services.payers import payers_ensure
from jamsos.core import bulkwrite as bulk
from jamsos.core.bulkwrite import analyze_if_grown, read_frame, reserve_ids, table, write_frame
from jamsos.core.clock import today_in_jakarta
from jamsos.core.partitions import partition_ensure, partition_write
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
from jamsos.legal import LegalInputError, Segment, due_date, parameters
from jamsos.legal.bulk import base_column, contributions_and_rejects
from jamsos.legal.contribution import check_period, last_period
from jamsos.legal.periods import FIRST_PERIOD, Period
from jamsos.legal.slots import BaseKind, parameters_reference
from jamsos.membership.models import (
    ConstructionProject,
    Employer,
    Membership,
    Placement,
    WageReport,
)

__all__ = [
    "STALE_AFTER",
    "ProgressCallback",
    "billing_run",
    "billing_run_enqueue",
    "billing_run_queued",
    "period_check",
]

#: SQLite page cache for the run's connection, in KiB.
SQLITE_CACHE_KIB = 262_144

PENALTY_RANK = 9
#: The deadline rule each payer kind's invoice follows: employers PU (their Jakon projects
#: too), participants and sponsors BPU (a PMI participant's invoice too).
DEADLINE_SEGMENT = {
    PayerKind.EMPLOYER.value: Segment.PU,
    PayerKind.PARTICIPANT.value: Segment.BPU,
    PayerKind.SPONSOR.value: Segment.BPU,
}
_DRAFTS = "billing_run_drafts"
_DRAFT_ITEMS = "billing_run_draft_items"


def period_check(period: str) -> Period:
    """The period, refused with :class:`BadPeriod` or :class:`PeriodOutOfLaw`."""
    try:
        parsed = Period.parse(period)
    except ValueError:
        raise BadPeriod(value=period) from None
    params = parameters()
    try:
        check_period(Segment.PU, parsed, params)
    except LegalInputError:
        raise PeriodOutOfLaw(
            value=str(parsed), first=str(FIRST_PERIOD), last=str(last_period(params))
        ) from None
    return parsed


def billing_run(
    period: str,
    *,
    as_of: date | None = None,
    by: Scope | None = None,
    progress: ProgressCallback | None = None,
    queued: BillingRun | None = None,
    engine: str = "local",
) -> BillingRun:
    """Bill ``period`` (YYYY-MM) as of ``as_of`` (the issue date; today in Jakarta by default).

    ``engine="spark"`` computes the lines on Apache Spark (:mod:`jamsos.billing.engines.spark`,
    the ``spark`` extra); every other step, and what is written, is the same.

    Returns the finished run record (counts, totals, timings). Raises :class:`BadPeriod`,
    :class:`PeriodOutOfLaw`, or :class:`RunInProgress` when a live run holds the period; any
    other failure marks the record ``failed`` with the error text and is raised again, with
    nothing of the month written. ``queued`` is the record :func:`billing_run_enqueue` wrote
    (the worker runs it).
    """
    month = period_check(period)
    as_of = as_of or today_in_jakarta()
    compute = _engine(engine)
    if connection.vendor == "sqlite":
        # The run inserts into indexed tables in random key order; SQLite's default page cache
        # (2 MB) makes that disk-bound. 256 MB for this connection (measured: docs/billing/runs.md).
        bulk.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    run = _run_start(month, as_of, by, queued)
    tracker = Tracker(run, progress)
    try:
        # PostgreSQL: the month's partition of the lines exists before the run's transaction
        # opens (ADR 0107). Attaching it locks the default partition, which every read of lines
        # by invoice touches (payments setting paid_on): held for a moment here, not until the
        # run commits. An empty partition left by a failed run is harmless.
        with transaction.atomic():
            partition_ensure(InvoiceLine, str(month))
        with transaction.atomic():
            _Month(run, month, as_of, tracker, compute).bill()
    except BaseException as exc:
        tracker.close()
        job_failed(run, exc)
        raise
    tracker.close()
    run.refresh_from_db()
    return run


def _engine(name: str) -> Any:
    """What computes the lines: ``None`` for this process (``local``), or the Spark engine's
    function (:func:`jamsos.billing.engines.spark.spark_contributions`)."""
    if name == "spark":
        from jamsos.billing.engines.spark import spark_engine

        return spark_engine()
    if name != "local":
        raise ValueError(f"unknown billing engine {name!r} (local or spark)")
    return None


def billing_run_enqueue(period: str, *, as_of: date | None = None, by: Scope) -> BillingRun:
    """Queue the run of ``period`` for the task worker; returns its ``queued`` record (the one
    already waiting for the month, if any).

    The period is checked now (:class:`BadPeriod`, :class:`PeriodOutOfLaw`); a run of the
    month already running refuses it (:class:`RunInProgress`, as the worker would).
    """
    BILLING.require(by, "runs.start")
    month = period_check(period)
    _refuse_if_running(str(month))
    waiting = job_waiting(BillingRun, lock_key_of(str(month)))
    if waiting is not None:
        return waiting
    run = BillingRun(
        period=str(month),
        as_of=as_of or today_in_jakarta(),
        started_by=(by.actor_name or "")[:150],
        channel=current_origin().channel[:8],
    )
    return job_enqueue(run)


def billing_run_queued(job: Job) -> BillingRun:
    """Run a queued billing run (the job kind's runner, in the worker)."""
    run = BillingRun.objects.get(pk=job.pk)
    return billing_run(run.period, as_of=run.as_of, queued=run)


# --------------------------------------------------------------------------------------------
# The job record


def _in_progress(period: str, holder: Job) -> RunInProgress:
    started = holder.started_at or holder.created_at
    return RunInProgress(
        period=period,
        started=timezone.localtime(started).strftime("%Y-%m-%d %H:%M"),
        pid=holder.pid,
        host=holder.host,
    )


def _refuse_if_running(period: str) -> None:
    holder = Job.objects.filter(lock_key=lock_key_of(period), status=RunStatus.RUNNING).first()
    if holder is not None and not job_is_stale(holder):
        raise _in_progress(period, holder)


def _run_start(
    month: Period, as_of: date, by: Scope | None, queued: BillingRun | None
) -> BillingRun:
    origin = current_origin()
    run = queued or BillingRun(
        period=str(month),
        as_of=as_of,
        started_by=((by.actor_name if by else "") or origin.client)[:150],
        channel=origin.channel[:8],
    )
    try:
        return job_start(run)
    except JobLocked as locked:
        raise _in_progress(str(month), locked.holder) from None


# --------------------------------------------------------------------------------------------
# The month


@dataclass
class _Result:
    counts: dict[str, Any] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)


def _bits(programs: pl.Expr) -> pl.Expr:
    """Optional-program bits of a membership's program text (JHT 1, JP 2)."""
    return programs.str.contains("JHT").cast(pl.Int64) + 2 * programs.str.contains(
        r"(^|,)JP(,|$)"
    ).cast(pl.Int64)


class _Month:
    def __init__(
        self, run: BillingRun, month: Period, as_of: date, tracker: Tracker, compute: Any = None
    ) -> None:
        self.compute = compute  # another engine for the lines (Spark), or None
        self.run = run
        self.month = month
        self.period = str(month)
        self.first = date(month.year, month.month, 1)
        self.last = month.last_day
        self.as_of = as_of
        self.track = tracker
        self.result = _Result()
        self.lines = pl.DataFrame()  # the lines written, for the ledger's income by account

    @property
    def counts(self) -> dict[str, Any]:
        return self.result.counts

    def bill(self) -> None:
        # Looked up at call time, as credits_apply below: each is its own service's to replace.
        from jamsos.billing.services.penalties import penalties_accrue

        if connection.vendor == "postgresql":
            # The run's queries are few and large, and their estimated costs make PostgreSQL
            # compile them (JIT): 0.9 s of the 3.3 s PU read under load, for no faster
            # execution (2.4-2.9 s without). For this transaction only.
            bulk.execute("SET LOCAL jit = off")
        self.track.stage("penalties")
        self.counts["penalties_accrued"] = int(penalties_accrue(on=self.as_of) or 0)
        self.track.stage("replace")
        self._replace()
        self.track.stage("read")
        frame = self._read()
        self.track.stage("compute", frame.height)
        lines, rejects = self._compute(frame)
        self.track.stage("payers")
        lines = self._payers(lines)
        self.track.stage("invoices")
        invoices, lines = self._invoices(lines)
        self.track.stage("lines", lines.height)
        self._lines(lines)
        self.track.stage("rejects", rejects.height)
        self._rejects(rejects)
        self.track.stage("ledger")
        self._ledger(invoices)
        self.track.stage("credits")
        self._credits(invoices)
        self.track.stage("verify")
        dangling = references_check(self.period, run_id=self.run.pk)
        if not dangling.ok:
            raise RuntimeError(f"billing {self.period}: dangling references ({dangling})")
        self._totals(lines, invoices)
        timings = self.track.finish()
        job_finished(
            self.run,
            done=lines.height,
            total=lines.height,
            result={
                "period": self.period,
                "invoices": self.counts.get("invoices", 0),
                "lines": self.counts.get("lines", 0),
                "rejected": self.counts.get("rejected", 0),
                "grand_total_idr": self.result.totals.get("grand_total", 0),
            },
            counts=self.counts,
            totals=self.result.totals,
            timings=timings,
        )

    # -- replace -------------------------------------------------------------------------------

    def _replace(self) -> None:
        """Delete the month's unpaid drafts; reverse their receivable; un-bill their penalties.

        Nothing may point at a deleted item: no allocation, no penalty charge accrued on it or
        billed on it. The database does not check these references row by row (ADR 0105,
        amended: at 1 M memberships the row-by-row checks of the deleted items took 7.9 s at
        commit); the run checks them as one set as it deletes (:meth:`_drafts_unreferenced`,
        in the same transaction: a reference found fails the run), with the payers of the
        month's unpaid invoices locked first, so that no payment (which locks its payer before
        allocating) can allocate to a draft until the run commits.
        """
        items, lines, invoices = table(InvoiceItem), table(InvoiceLine), table(Invoice)
        if connection.features.has_select_for_update:
            # (SQLite has no row locks: its transaction holds the database's write lock.)
            bulk.execute(
                f"SELECT count(*) FROM (SELECT p.id FROM {table(Payer)} p WHERE p.id IN "
                f"(SELECT payer_id FROM {invoices} WHERE period = %s AND paid_idr = 0) "
                "ORDER BY p.id FOR UPDATE) locked",
                [self.period],
            )
        bulk.execute(f"DROP TABLE IF EXISTS {_DRAFTS}")
        bulk.execute(f"DROP TABLE IF EXISTS {_DRAFT_ITEMS}")
        bulk.execute_literal(
            f"CREATE TEMPORARY TABLE {_DRAFTS} AS "
            f"SELECT i.id, i.payer_id, i.contribution_idr FROM {invoices} i "
            "WHERE i.period = %s AND i.paid_idr = 0 "
            f"AND NOT EXISTS (SELECT 1 FROM {items} it JOIN {table(Allocation)} a "
            "ON a.item_id = it.id WHERE it.invoice_id = i.id) "
            f"AND NOT EXISTS (SELECT 1 FROM {items} it JOIN {table(PenaltyCharge)} pc "
            "ON pc.source_item_id = it.id WHERE it.invoice_id = i.id)",
            [self.period],
        )
        if connection.vendor == "postgresql":
            bulk.execute(f"ANALYZE {_DRAFTS}")
        reversal = read_frame(
            f"SELECT payer_id, SUM(contribution_idr), COUNT(*) FROM {_DRAFTS} GROUP BY payer_id",
            [],
            {"payer_id": pl.Int64(), "amount": pl.Int64(), "invoices": pl.Int64()},
        )
        replaced = int(reversal["invoices"].sum() or 0)
        if replaced:
            drafts = f"SELECT id FROM {_DRAFTS}"
            # The drafts' items, deleted, their ids kept for the checks (PostgreSQL: in the
            # same pass, DELETE ... RETURNING).
            if connection.vendor == "postgresql":
                bulk.execute(f"CREATE TEMPORARY TABLE {_DRAFT_ITEMS} (id bigint)")
                bulk.execute(
                    f"WITH gone AS (DELETE FROM {items} WHERE invoice_id IN ({drafts}) "
                    f"RETURNING id) INSERT INTO {_DRAFT_ITEMS} SELECT id FROM gone"
                )
                bulk.execute(f"ANALYZE {_DRAFT_ITEMS}")
            else:
                bulk.execute(
                    f"CREATE TEMPORARY TABLE {_DRAFT_ITEMS} AS SELECT it.id FROM {items} it "
                    f"WHERE it.invoice_id IN ({drafts})"
                )
                bulk.execute(f"DELETE FROM {items} WHERE id IN (SELECT id FROM {_DRAFT_ITEMS})")
            bulk.execute(
                f"UPDATE {table(PenaltyCharge)} SET billed_on_id = NULL WHERE billed_on_id IN "
                f"(SELECT id FROM {_DRAFT_ITEMS})"
            )
            self._drafts_unreferenced()
            if connection.vendor == "postgresql":
                # The drafts' income by account summed from the lines as they are deleted: one
                # pass over the month's lines instead of two.
                draft_income = self._income_of(
                    f"WITH gone AS (DELETE FROM {lines} WHERE invoice_id IN ({drafts}) "
                    "RETURNING *) SELECT {} FROM gone"
                )
            else:
                draft_income = self._income_of(
                    f"SELECT {{}} FROM {lines} WHERE invoice_id IN ({drafts})"
                )
                bulk.execute(f"DELETE FROM {lines} WHERE invoice_id IN ({drafts})")
            bulk.execute(f"DELETE FROM {invoices} WHERE id IN ({drafts})")
            reversal = reversal.filter(pl.col("amount") > 0)
            if reversal.height:
                entry = JournalEntry.objects.create(
                    at=timezone.now(),
                    booked_on=self.as_of,
                    kind=JournalKind.REPLACEMENT,
                    run=self.run,
                    memo=f"Draf tagihan {self.period} diganti oleh penagihan ulang",
                )
                self._post(entry, reversal, debit_side=False, income=draft_income)
        bulk.execute(f"DROP TABLE IF EXISTS {_DRAFT_ITEMS}")
        bulk.execute(f"DROP TABLE IF EXISTS {_DRAFTS}")
        self.counts["replaced_invoices"] = replaced
        self.counts["kept_invoices"] = Invoice.objects.filter(period=self.period).count()
        self.kept_regular = set(
            Invoice.objects.filter(period=self.period, kind=InvoiceKind.REGULAR).values_list(
                "payer_id", flat=True
            )
        )

    def _drafts_unreferenced(self) -> None:
        """The references the database does not check (ADR 0105, amended), checked as one set:
        no allocation and no penalty charge points at a deleted draft item."""
        gone = f"SELECT id FROM {_DRAFT_ITEMS}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {table(Allocation)} WHERE item_id IN ({gone})), "
                f"(SELECT count(*) FROM {table(PenaltyCharge)} WHERE source_item_id IN ({gone}) "
                f"OR billed_on_id IN ({gone}))"
            )
            allocations, charges = cursor.fetchone()
        if allocations or charges:
            raise RuntimeError(
                f"billing {self.period}: drafts to replace are referenced "
                f"(allocations: {allocations}, penalty charges: {charges})"
            )

    # -- read ----------------------------------------------------------------------------------

    def _read(self) -> pl.DataFrame:
        """One query per segment; what is already on a kept invoice is left out."""
        p, first, last = self.period, self.first.isoformat(), self.last.isoformat()
        m, e = table(Membership), table(Employer)
        # Open in the month, and not past a fixed term that the daily job has not ended yet.
        covered = (
            "m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s) "
            "AND (m.term_until IS NULL OR m.term_until >= %s)"
        )
        wage = (
            f"(SELECT w.wage_idr FROM {table(WageReport)} w WHERE w.membership_id = m.id "
            "AND w.period <= %s ORDER BY w.period DESC LIMIT 1)"
        )
        pu = read_frame(
            f"SELECT m.id, m.person_id, m.employer_id, e.branch_office_id, m.programs, e.size, "
            f"e.risk_class, e.industry, {wage} FROM {m} m JOIN {e} e ON e.id = m.employer_id "
            f"WHERE m.segment = 'PU' AND {covered}",
            [p, last, first, first],
            {
                "membership_id": pl.Int64(),
                "person_id": pl.Int64(),
                "party_id": pl.Int64(),
                "office_id": pl.Int64(),
                "programs": pl.String(),
                "employer_size": pl.String(),
                "risk_class": pl.Int64(),
                "industry": pl.String(),
                "wage_idr": pl.Int64(),
            },
        ).with_columns(
            segment=pl.lit("PU"),
            payer_kind=pl.lit(PayerKind.EMPLOYER.value),
            worker_count=pl.len().over("party_id").cast(pl.Int64),
            optional_programs=_bits(pl.col("programs")),
            industry=pl.when(pl.col("industry") == "").then(None).otherwise(pl.col("industry")),
        )
        bpu = self._read_bpu(covered, [last, first, first])
        jakon = read_frame(
            f"SELECT p.id, p.contractor_id, e.branch_office_id, p.contract_value_idr "
            f"FROM {table(ConstructionProject)} p JOIN {e} e ON e.id = p.contractor_id "
            "WHERE p.start_date >= %s AND p.start_date <= %s",
            [first, last],
            {
                "project_id": pl.Int64(),
                "party_id": pl.Int64(),
                "office_id": pl.Int64(),
                "contract_value_idr": pl.Int64(),
            },
        ).with_columns(segment=pl.lit("JAKON"), payer_kind=pl.lit(PayerKind.EMPLOYER.value))
        pmi = read_frame(
            f"SELECT m.id, m.person_id, m.branch_office_id, pl.placement_months FROM {m} m "
            f"JOIN {table(Placement)} pl ON pl.id = m.placement_id "
            "WHERE m.segment = 'PMI' AND m.start_date >= %s AND m.start_date <= %s",
            [first, last],
            {
                "membership_id": pl.Int64(),
                "person_id": pl.Int64(),
                "office_id": pl.Int64(),
                "placement_months": pl.Int64(),
            },
        ).with_columns(
            segment=pl.lit("PMI"),
            payer_kind=pl.lit(PayerKind.PARTICIPANT.value),
            party_id=pl.col("person_id"),
        )
        frame = pl.concat([pu, bpu, jakon, pmi], how="diagonal_relaxed")
        kept = read_frame(
            f"SELECT membership_id, project_id FROM {table(InvoiceLine)} WHERE period = %s",
            [p],
            {"membership_id": pl.Int64(), "project_id": pl.Int64()},
        )
        read = frame.height
        if kept.height:
            frame = frame.filter(
                ~pl.col("membership_id")
                .is_in(kept["membership_id"].drop_nulls().implode())
                .fill_null(False),
                ~pl.col("project_id")
                .is_in(kept["project_id"].drop_nulls().implode())
                .fill_null(False),
            )
        self.counts["memberships_read"] = int(frame["membership_id"].is_not_null().sum())
        self.counts["projects_read"] = jakon.height
        self.counts["already_billed"] = read - frame.height
        return frame.with_columns(period=pl.lit(self.month.index, dtype=pl.Int64))

    def _read_bpu(self, covered: str, params: list[Any]) -> pl.DataFrame:
        """BPU memberships and who pays them: a covering sponsorship's payer, else the sponsor
        named by ``sponsor_ref`` unless a sponsorship names the membership for other months,
        else the participant."""
        bpu = read_frame(
            f"SELECT m.id, m.person_id, m.branch_office_id, m.programs, m.declared_income_idr, "
            f"m.sponsor_ref, m.sponsor_name, m.sponsor_kind FROM {table(Membership)} m "
            f"WHERE m.segment = 'BPU' AND {covered}",
            params,
            {
                "membership_id": pl.Int64(),
                "person_id": pl.Int64(),
                "office_id": pl.Int64(),
                "programs": pl.String(),
                "income_idr": pl.Int64(),
                "sponsor_ref": pl.String(),
                "sponsor_name": pl.String(),
                "sponsor_kind": pl.String(),
            },
        )
        through = Sponsorship.memberships.through
        links = read_frame(
            f"SELECT sm.membership_id, s.payer_id, s.first_period, s.last_period "
            f"FROM {table(Sponsorship)} s JOIN {table(through)} sm ON sm.sponsorship_id = s.id",
            [],
            {
                "membership_id": pl.Int64(),
                "sponsorship_payer_id": pl.Int64(),
                "first_period": pl.String(),
                "last_period": pl.String(),
            },
        )
        covering = (
            links.filter(
                (pl.col("first_period") <= self.period) & (pl.col("last_period") >= self.period)
            )
            .group_by("membership_id")
            .agg(pl.col("sponsorship_payer_id").min())
        )
        named = links.select("membership_id").unique().with_columns(named=pl.lit(True))
        bpu = (
            bpu.join(covering, on="membership_id", how="left")
            .join(named, on="membership_id", how="left")
            .with_columns(
                sponsor_ref=pl.when(pl.col("sponsor_ref") == "")
                .then(None)
                .otherwise(pl.col("sponsor_ref"))
            )
        )
        by_sponsor = (
            pl.col("sponsorship_payer_id").is_null()
            & pl.col("named").is_null()
            & pl.col("sponsor_ref").is_not_null()
        )
        return bpu.with_columns(
            segment=pl.lit("BPU"),
            optional_programs=_bits(pl.col("programs")) % 2,
            payer_kind=pl.when(pl.col("sponsorship_payer_id").is_not_null())
            .then(pl.lit(PayerKind.SPONSOR.value))
            .when(by_sponsor)
            .then(pl.lit(PayerKind.SPONSOR.value))
            .otherwise(pl.lit(PayerKind.PARTICIPANT.value)),
            party_id=pl.when(by_sponsor | pl.col("sponsorship_payer_id").is_not_null())
            .then(None)
            .otherwise(pl.col("person_id")),
            sponsor_ref=pl.when(by_sponsor).then(pl.col("sponsor_ref")),
        ).drop("named")

    # -- compute -------------------------------------------------------------------------------

    def _legal(
        self, frame: pl.DataFrame, bases: tuple[BaseKind, ...]
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(valid rows with their slots, rejects) by the legal engine's bulk path, in this
        process (the Spark engine, :mod:`jamsos.billing.engines.spark`, runs the same function
        on Spark's workers)."""
        if self.compute is not None:
            name = f"billing-{self.period}-run{self.run.pk}"
            return self.compute(frame, bases, name=name, counts=self.counts)  # type: ignore[no-any-return]
        valid, rejects = pl.collect_all(list(contributions_and_rejects(frame, bases=bases)))
        return valid, rejects

    def _compute(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Every line by the bulk path; the wide line columns are the registry's (each the sum
        of its slots), with the capped base and the parameters the rates were read from."""
        bases = slot_lines.CAPPED_BASES
        valid, rejects = self._legal(frame, bases)
        wide = {
            column: pl.sum_horizontal(*(pl.col(s) for s in slots)).cast(pl.Int64)
            for column, slots in slot_lines.line_columns().items()
        }
        lines = valid.select(
            "membership_id",
            "project_id",
            "person_id",
            "segment",
            "payer_kind",
            "party_id",
            "sponsor_ref",
            "sponsor_name",
            "sponsor_kind",
            "sponsorship_payer_id",
            "office_id",
            base_idr=pl.coalesce(
                "wage_idr", "income_idr", "contract_value_idr", "placement_months"
            ).cast(pl.Int64),
            **wide,
            capped_base_idr=pl.coalesce(*(base_column(kind) for kind in bases)),
        ).with_columns(total_idr=pl.sum_horizontal(*slot_lines.billed_columns()))
        self.counts["rejected"] = rejects.height
        self.counts["rejected_by_reason"] = {
            f"{row['reject_field']}:{row['reject_code']}": row["len"]
            for row in rejects.group_by("reject_field", "reject_code")
            .len()
            .sort("len")
            .iter_rows(named=True)
        }
        return lines, rejects

    # -- payers --------------------------------------------------------------------------------

    def _payers(self, lines: pl.DataFrame) -> pl.DataFrame:
        known = lines.filter(pl.col("sponsorship_payer_id").is_not_null()).with_columns(
            payer_id=pl.col("sponsorship_payer_id")
        )
        rest = lines.filter(pl.col("sponsorship_payer_id").is_null())
        rest, created = payers_ensure(rest)
        self.counts["payers_new"] = created
        return pl.concat([rest, known], how="diagonal_relaxed")

    # -- invoices ------------------------------------------------------------------------------

    def _invoices(self, lines: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Write one invoice per payer (regular, or correction where the regular one is kept),
        its contribution items and its penalty item; returns (invoices, lines with invoice_id)."""
        charges = read_frame(
            f"SELECT c.id, c.payer_id, c.amount_idr, p.kind FROM {table(PenaltyCharge)} c "
            f"JOIN {table(Payer)} p ON p.id = c.payer_id WHERE c.billed_on_id IS NULL",
            [],
            {
                "charge_id": pl.Int64(),
                "payer_id": pl.Int64(),
                "amount_idr": pl.Int64(),
                "payer_kind": pl.String(),
            },
        )
        by_payer = lines.group_by("payer_id").agg(
            pl.col("payer_kind").first(),
            contribution_idr=pl.col("total_idr").sum(),
            participants=pl.len().cast(pl.Int64),
        )
        penalties = charges.group_by("payer_id").agg(
            pl.col("payer_kind").first(), penalty_idr=pl.col("amount_idr").sum()
        )
        invoices = (
            by_payer.join(penalties, on="payer_id", how="full", coalesce=True)
            .with_columns(
                payer_kind=pl.coalesce("payer_kind", "payer_kind_right"),
                contribution_idr=pl.col("contribution_idr").fill_null(0),
                penalty_idr=pl.col("penalty_idr").fill_null(0),
                participants=pl.col("participants").fill_null(0),
            )
            .drop("payer_kind_right")
            .filter((pl.col("contribution_idr") + pl.col("penalty_idr")) > 0)
            .sort("payer_id")
        )
        ids = reserve_ids(Invoice, invoices.height)
        due = {kind: due_date(segment, self.month) for kind, segment in DEADLINE_SEGMENT.items()}
        kept = pl.Series(sorted(self.kept_regular), dtype=pl.Int64)
        prefix = f"{self.month.year:04d}{self.month.month:02d}"
        invoices = invoices.with_columns(
            id=pl.Series(ids, dtype=pl.Int64),
            due_date=pl.col("payer_kind").replace_strict(due, return_dtype=pl.Date),
            kind=pl.when(pl.col("payer_id").is_in(kept.implode()))
            .then(pl.lit(InvoiceKind.CORRECTION.value))
            .otherwise(pl.lit(InvoiceKind.REGULAR.value)),
        )
        frame = invoices.select(
            "id",
            number=pl.lit(prefix) + pl.col("id").cast(pl.String).str.zfill(10),
            payer_id="payer_id",
            period=pl.lit(self.period),
            kind="kind",
            run_id=pl.lit(self.run.pk, dtype=pl.Int64),
            issued_on=pl.lit(self.as_of),
            due_date="due_date",
            contribution_idr="contribution_idr",
            penalty_idr="penalty_idr",
            total_idr=pl.col("contribution_idr") + pl.col("penalty_idr"),
            paid_idr=pl.lit(0, dtype=pl.Int64),
            status=pl.lit("open"),
            participants="participants",
        )
        write_frame(Invoice, frame)
        analyze_if_grown(Invoice, frame.height)
        lines = lines.join(
            invoices.select("payer_id", invoice_id="id", due_date="due_date"),
            on="payer_id",
            how="left",
        )
        self._items(lines)
        self._penalty_items(invoices, charges)
        self.counts["invoices"] = invoices.height
        self.counts["correction_invoices"] = int(
            (invoices["kind"] == InvoiceKind.CORRECTION.value).sum()
        )
        self.counts["penalty_only_invoices"] = int((invoices["contribution_idr"] == 0).sum())
        self.counts["payers"] = invoices.height
        return invoices, lines

    def _items(self, lines: pl.DataFrame) -> None:
        sums = lines.group_by("invoice_id", "segment").agg(
            pl.col("due_date").first(), *(pl.col(c).sum() for c in slot_lines.billed_columns())
        )
        parts = [
            sums.select(
                "invoice_id",
                kind=pl.lit(ItemKind.CONTRIBUTION.value),
                segment="segment",
                program=pl.lit(program),
                rank=pl.lit(rank, dtype=pl.Int64),
                due_date="due_date",
                amount_idr=pl.sum_horizontal(*columns).cast(pl.Int64),
            )
            for program, rank, columns in slot_lines.items()
        ]
        items = (
            pl.concat(parts)
            .filter(pl.col("amount_idr") > 0)
            .sort("invoice_id", "rank", "segment")
            .with_columns(
                paid_idr=pl.lit(0, dtype=pl.Int64), penalty_months=pl.lit(0, dtype=pl.Int64)
            )
        )
        write_frame(InvoiceItem, items)
        self.counts["items"] = items.height

    def _penalty_items(self, invoices: pl.DataFrame, charges: pl.DataFrame) -> None:
        """One penalty item per invoice carrying the payer's unbilled charges; the charges point
        at it (``billed_on``)."""
        carrying = invoices.filter(pl.col("penalty_idr") > 0)
        if not carrying.height:
            self.counts["penalty_charges_billed"] = 0
            return
        ids = reserve_ids(InvoiceItem, carrying.height)
        items = carrying.select(
            id=pl.Series(ids, dtype=pl.Int64),
            invoice_id="id",
            kind=pl.lit(ItemKind.PENALTY.value),
            segment=pl.lit(Segment.PU.value),
            program=pl.lit(""),
            rank=pl.lit(PENALTY_RANK, dtype=pl.Int64),
            due_date="due_date",
            amount_idr="penalty_idr",
            paid_idr=pl.lit(0, dtype=pl.Int64),
            penalty_months=pl.lit(0, dtype=pl.Int64),
        )
        write_frame(InvoiceItem, items)
        pairs = charges.join(
            carrying.select("payer_id").with_columns(item_id=pl.Series(ids, dtype=pl.Int64)),
            on="payer_id",
        ).select("item_id", "charge_id")
        with connection.cursor() as cursor:
            sql = f"UPDATE {table(PenaltyCharge)} SET billed_on_id = %s WHERE id = %s"
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table(PenaltyCharge)} c SET billed_on_id = v.item "
                    "FROM (SELECT unnest(%s::bigint[]) AS item, unnest(%s::bigint[]) AS id) v "
                    "WHERE c.id = v.id",
                    [pairs["item_id"].to_list(), pairs["charge_id"].to_list()],
                )
            else:
                cursor.executemany(sql, pairs.rows())
        self.counts["penalty_charges_billed"] = pairs.height

    # -- lines, rejects ------------------------------------------------------------------------

    def _lines(self, lines: pl.DataFrame) -> None:
        frame = lines.select(
            "invoice_id",
            "membership_id",
            "project_id",
            person_id_copy="person_id",
            period=pl.lit(self.period),
            segment="segment",
            base_idr="base_idr",
            **{c: c for c in slot_lines.line_columns()},
            total_idr="total_idr",
            capped_base_idr="capped_base_idr",
            parameters_ref=pl.lit(parameters_reference(self.month.legal_date)),
        ).sort("invoice_id", "membership_id", "project_id", nulls_last=True)
        # In invoice order: the partition's (invoice, id) index then grows at its right edge
        # instead of taking each line at a random page (measured on PostgreSQL, 575,000 lines
        # into the indexed partition: in random order 23 s, in invoice order 9.7 s, same load).
        # Into the month's partition on PostgreSQL (made before the transaction, ADR 0107).
        partition_write(InvoiceLine, self.period, frame, advance=self.track.advance)
        self.lines = frame
        self.counts["lines"] = frame.height

    def _rejects(self, rejects: pl.DataFrame) -> None:
        frame = rejects.filter(pl.col("membership_id").is_not_null()).select(
            "membership_id",
            run_id=pl.lit(self.run.pk, dtype=pl.Int64),
            field=pl.col("reject_field").cast(pl.String).str.slice(0, 40),
            code=pl.col("reject_code").cast(pl.String).str.slice(0, 40),
        )
        write_frame(RunReject, frame)

    # -- ledger, credits -----------------------------------------------------------------------

    def _income_of(self, select: str) -> dict[str, int]:
        """Income by ledger account (the registry's mapping of billed columns to accounts) of
        the lines ``select`` reads: ``select`` has a ``{}`` where the sums go."""
        accounts = slot_lines.income_accounts()
        sums = " , ".join(
            f"COALESCE(SUM({' + '.join(columns)}), 0)" for columns in accounts.values()
        )
        with connection.cursor() as cursor:
            cursor.execute(select.format(sums))
            row = cursor.fetchone()
        return {account: int(value) for account, value in zip(accounts, row, strict=True)}

    def _post(
        self,
        entry: JournalEntry,
        amounts: pl.DataFrame,
        *,
        debit_side: bool,
        income: dict[str, int],
    ) -> None:
        """Per payer on 1100 and the income by account (the registry's, 4100 for every billed
        slot today): a billing entry debits the receivable (``debit_side``), a replacement
        credits it."""
        total = int(amounts["amount"].sum())
        if sum(income.values()) != total:
            raise RuntimeError(f"income by account {income} does not add up to {total}")
        income = {account: amount for account, amount in income.items() if amount}
        per_payer = amounts.select(
            entry_id=pl.lit(entry.pk, dtype=pl.Int64),
            account=pl.lit(Account.CONTRIBUTION_RECEIVABLE.value),
            payer_id="payer_id",
            debit_idr=pl.col("amount") if debit_side else pl.lit(0, dtype=pl.Int64),
            credit_idr=pl.lit(0, dtype=pl.Int64) if debit_side else pl.col("amount"),
        )
        by_account = pl.DataFrame(
            {
                "entry_id": [entry.pk] * len(income),
                "account": list(income),
                "payer_id": [None] * len(income),
                "debit_idr": [0 if debit_side else a for a in income.values()],
                "credit_idr": [a if debit_side else 0 for a in income.values()],
            },
            schema=per_payer.schema,
        )
        write_frame(Posting, pl.concat([per_payer, by_account]))

    def _ledger(self, invoices: pl.DataFrame) -> None:
        amounts = invoices.filter(pl.col("contribution_idr") > 0).select(
            "payer_id", amount="contribution_idr"
        )
        if not amounts.height:
            return
        entry = JournalEntry.objects.create(
            at=timezone.now(),
            booked_on=self.as_of,
            kind=JournalKind.BILLING,
            run=self.run,
            memo=f"Tagihan iuran {self.period}",
        )
        income = {
            account: int(self.lines.select(pl.sum_horizontal(*columns).sum()).item() or 0)
            for account, columns in slot_lines.income_accounts().items()
        }
        self._post(entry, amounts, debit_side=True, income=income)
        self.counts["postings"] = amounts.height + sum(1 for a in income.values() if a)

    def _credits(self, invoices: pl.DataFrame) -> None:
        holding = set(Payer.objects.filter(credit_idr__gt=0).values_list("id", flat=True)) & set(
            invoices["payer_id"].to_list()
        )
        self.counts["credit_payers"] = len(holding)
        self.counts["credit_applied_idr"] = 0
        if holding:
            from jamsos.billing.services.payments import credits_apply

            self.counts["credit_applied_idr"] = int(
                credits_apply(sorted(holding), on=self.as_of) or 0
            )

    def _totals(self, lines: pl.DataFrame, invoices: pl.DataFrame) -> None:
        by_program = {
            program: int(lines.select(pl.sum_horizontal(*columns).sum()).item() or 0)
            for program, _, columns in slot_lines.items()
        }
        by_kind = {
            row["payer_kind"]: int(row["contribution_idr"] + row["penalty_idr"])
            for row in invoices.group_by("payer_kind")
            .agg(pl.col("contribution_idr").sum(), pl.col("penalty_idr").sum())
            .iter_rows(named=True)
        }
        by_segment = {
            row["segment"]: int(row["total_idr"])
            for row in lines.group_by("segment")
            .agg(pl.col("total_idr").sum())
            .iter_rows(named=True)
        }
        contributions = int(invoices["contribution_idr"].sum() or 0)
        penalties = int(invoices["penalty_idr"].sum() or 0)
        self.result.totals = {
            "by_program": by_program,
            "by_payer_kind": by_kind,
            "by_segment": by_segment,
            "contributions": contributions,
            "penalties": penalties,
            "grand_total": contributions + penalties,
            # Kept but billed to nobody (JKP paid by the government): "jkp_government".
            **{
                column.removesuffix("_idr"): int(lines[column].sum() or 0)
                for column in slot_lines.unbilled_columns()
            },
        }
