"""The job machinery every kind shares (ADR 0106).

- :func:`job_start`: take the job's lock and mark it running. One running job per lock key (the
  conditional unique constraint on ``Job.lock_key``); a running job holding the key is refused
  with :class:`JobLocked` while it is alive, and taken over (put in its kind's abandoned state)
  when it is stale: its process is gone from this host, or its heartbeat is older than
  :data:`STALE_AFTER` (:func:`job_is_stale`).
- :class:`Tracker`: stages, timings and progress, to a ``progress(stage, done, total)``
  callback (the CLI's bar, :mod:`jamsos.jobs.cli`) and to the record, with its heartbeat.
- :func:`job_finished`, :func:`job_failed`: the outcome.
- :func:`jamsos.jobs.tasks.job_enqueue`, :func:`job_execute`: a queued job, run by the task worker
  (:mod:`jamsos.jobs.tasks`, ``jamsos db_worker``).

Progress and heartbeat while a transaction is open. Outside a transaction the record is written
on the main connection. Inside one, on PostgreSQL, a second connection in autocommit writes it,
so that the heartbeat moves while the work's transaction runs (the work never touches the
``jobs_job`` row until its last statement, so the two never wait on each other). On SQLite the
open transaction holds the database's only write lock: the record moves between transactions
only, and the progress goes to the callback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.registry import kind_get

__all__ = [
    "HEARTBEAT_EVERY",
    "STALE_AFTER",
    "JobLocked",
    "JobNotQueued",
    "ProgressCallback",
    "Tracker",
    "job_execute",
    "job_failed",
    "job_finished",
    "job_is_stale",
    "job_start",
    "job_waiting",
    "process_alive",
    "this_process",
]

#: A running job with no heartbeat for this long is taken for dead.
STALE_AFTER = timedelta(minutes=10)
#: Seconds between two progress writes to the record.
HEARTBEAT_EVERY = 2.0

#: ``progress(stage, done, total)``: called at each stage start and as work gets done.
ProgressCallback = Callable[[str, int, int], None]

J = TypeVar("J", bound=Job)

logger = logging.getLogger(__name__)


class JobSignal(Exception):
    """What the framework tells the code that runs a job; never shown to a person as it is:
    the caller turns it into its own refusal (billing's "run in progress", coverage's ...)."""


class JobLocked(JobSignal):
    """A live running job holds the lock key; ``holder`` is its record."""

    def __init__(self, holder: Job) -> None:
        super().__init__(f"{holder.lock_key}: job {holder.pk} is running ({holder.process})")
        self.holder = holder


class JobNotQueued(JobSignal):
    """A queued job to run is no longer queued (already run, or taken by another worker)."""


# --------------------------------------------------------------------------------------------
# Liveness


def this_process() -> str:
    """``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"[:300]


def process_alive(process: str) -> bool:
    """Whether ``host:pid`` may still run: on another host, yes (its heartbeat tells); on this
    host, whether the pid exists."""
    host, _, pid_text = process.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_is_stale(job: Job, now: datetime | None = None, *, after: timedelta = STALE_AFTER) -> bool:
    """Dead on this host, or silent for ``after``."""
    if not process_alive(job.process):
        return True
    last = job.heartbeat_at or job.started_at or job.created_at
    return bool(last < (now or timezone.now()) - after)


# --------------------------------------------------------------------------------------------
# Start and outcome


def _abandon(holder: Job) -> None:
    Job.objects.filter(pk=holder.pk, status=JobStatus.RUNNING).update(
        status=kind_get(holder.kind).abandoned_status,
        finished_at=timezone.now(),
        error=f"abandoned: process {holder.pid} on {holder.host} stopped",
    )


def job_start(job: J, *, stage: str = "start") -> J:
    """Mark ``job`` running in this process, under its lock key; returns it.

    A new record (no pk) is inserted, with the fields the caller set (a subclass's domain
    fields too); a queued one is moved to running (:class:`JobNotQueued` if it is not queued
    any more). A live running job with the same key refuses it (:class:`JobLocked`); a stale
    one is put in its kind's abandoned state and the start tried once more.
    """
    new = job._state.adding
    for attempt in (1, 2):
        now = timezone.now()
        values: dict[str, Any] = {
            "status": JobStatus.RUNNING,
            "stage": stage,
            "started_at": now,
            "heartbeat_at": now,
            "finished_at": None,
            "process": this_process(),
            "error": "",
        }
        try:
            with transaction.atomic():
                if new:
                    for name, value in values.items():
                        setattr(job, name, value)
                    job.save()
                else:
                    moved = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(**values)
                    if not moved:
                        raise JobNotQueued(f"job {job.pk} is not queued")
                    for name, value in values.items():
                        setattr(job, name, value)
            return job
        except IntegrityError:
            if new:
                job._state.adding = True
            holder = (
                Job.objects.filter(lock_key=job.lock_key, status=JobStatus.RUNNING)
                .exclude(pk=job.pk)
                .first()
            )
            if holder is None:
                raise
            if attempt == 2 or not job_is_stale(holder):
                raise JobLocked(holder) from None
            _abandon(holder)
    raise AssertionError("unreachable")  # pragma: no cover


def job_failed(job: Job, exc: BaseException) -> None:
    """Record the failure (after the work's rollback), with the error text."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        finished_at=now,
        heartbeat_at=now,
        error=f"{type(exc).__name__}: {exc}"[:4000],
    )


def job_finished(
    job: Job,
    *,
    result: dict[str, Any] | None = None,
    done: int | None = None,
    total: int | None = None,
    stage: str = "done",
    **fields: Any,
) -> None:
    """Mark ``job`` finished: stage, progress, result summary, and ``fields`` of its own model
    (a subclass's domain columns: counts, totals, timings, ...), in one update."""
    now = timezone.now()
    values: dict[str, Any] = {
        "status": JobStatus.FINISHED,
        "stage": stage,
        "finished_at": now,
        "heartbeat_at": now,
        **fields,
    }
    if result is not None:
        values["result"] = result
    if done is not None:
        values["progress_done"] = done
    if total is not None:
        values["progress_total"] = total
    type(job)._default_manager.filter(pk=job.pk).update(**values)


# --------------------------------------------------------------------------------------------
# Progress


class Tracker:
    """Stages, timings and progress: to the callback, and to the record with its heartbeat.

    ``stage(name, total)`` starts a timed stage whose progress counts ``0 .. total``;
    ``advance(n)`` counts work done. With ``keep_progress`` a stage keeps the counts (a job
    that counts months across stages). ``idle(label)`` ends the stage without starting a timed
    one (between two units of work); names in ``untimed`` are not timed.
    """

    def __init__(
        self,
        job: Job,
        callback: ProgressCallback | None = None,
        *,
        total: int = 0,
        untimed: Iterable[str] = (),
        every: float = HEARTBEAT_EVERY,
    ) -> None:
        self.job = job
        self.callback = callback
        self.timings: dict[str, Any] = {}
        self.stage_name = "start"
        self.label = "start"
        self.started = time.perf_counter()
        self.done = 0
        self.total = total
        self.untimed = frozenset(untimed)
        self.every = every
        self.written_at = 0.0
        self.side: BaseDatabaseWrapper | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A second connection, so that progress commits while the work's transaction runs.
            main = connections[DEFAULT_DB_ALIAS]
            self.side = type(main)(dict(main.settings_dict), alias=f"job-{job.pk}")

    def stage(
        self, name: str, total: int = 0, *, label: str | None = None, keep_progress: bool = False
    ) -> None:
        self._close_stage()
        self.stage_name, self.label = name, label or name
        if not keep_progress:
            self.total, self.done = total, 0
        self.started = time.perf_counter()
        self._write(force=True)
        self._report(name)

    def advance(self, rows: int = 1, *, force: bool = False, report: str | None = None) -> None:
        self.done += rows
        self._report(report or self.stage_name)
        self._write(force=force)

    def idle(self, label: str) -> None:
        """End the current stage; the record shows ``label`` until the next one."""
        self._close_stage()
        self.stage_name = self.label = label
        self.untimed = self.untimed | {label}
        self.started = time.perf_counter()

    def finish(self) -> dict[str, Any]:
        """End the last stage; the timings by stage."""
        self.idle("commit")
        return dict(self.timings)

    def _report(self, name: str) -> None:
        if self.callback:
            self.callback(name, self.done, self.total)

    def _close_stage(self) -> None:
        if self.stage_name in self.untimed:
            return
        elapsed = time.perf_counter() - self.started
        self.timings[self.stage_name] = round(self.timings.get(self.stage_name, 0) + elapsed, 3)

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written_at < self.every:
            return
        self.written_at = now
        values: list[str | int | datetime] = [
            self.label[:80],
            self.done,
            self.total,
            timezone.now(),
            self.job.pk,
        ]
        sql = (
            f"UPDATE {Job._meta.db_table} SET stage = %s, progress_done = %s, "
            "progress_total = %s, heartbeat_at = %s WHERE id = %s"
        )
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
        elif self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(sql, values)

    def close(self) -> None:
        side, self.side = self.side, None
        if side is not None:
            with contextlib.suppress(Exception):  # never hide the job's own outcome
                side.close()


# --------------------------------------------------------------------------------------------
# The worker


def job_waiting(model: type[J], lock_key: str) -> J | None:
    """The job of ``model`` queued under ``lock_key`` and not started yet, if any: a second
    request for the same work (a double click) gets it rather than queueing the work twice."""
    if not lock_key:
        return None
    # The stubs type the manager of ``type[J]`` by the bound (Job), not by J.
    return cast(
        "J | None",
        model._default_manager.filter(lock_key=lock_key, status=JobStatus.QUEUED)
        .order_by("created_at")
        .first(),
    )


def job_execute(job_id: int) -> str:
    """Run a queued job with its kind's ``run`` (in the worker); returns its final state.

    The kind's runner starts the job (:func:`job_start`), does the work and records the
    outcome; a refusal (:class:`JobLocked`, a business error) or a crash before the start is
    recorded here as the job's failure.
    """
    job = Job.objects.get(pk=job_id)
    kind = kind_get(job.kind)
    if kind.run is None:
        job_failed(job, LookupError(f"no runner for job kind {job.kind!r}"))
        return JobStatus.FAILED
    try:
        kind.run(job)
    except BaseException as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.refresh_from_db()
        if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
            job_failed(job, exc)
        if not isinstance(exc, Exception):
            raise
    job.refresh_from_db()
    return str(job.status)
