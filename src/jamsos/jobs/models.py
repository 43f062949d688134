"""The job record (ADR 0106).

A :class:`Job` row is one run of a kind of long work. Domain records that need columns of their
own extend it by multi-table inheritance (``class BillingRun(Job)``): the machinery columns live
here once, in ``jobs_job``, and the domain table keeps only the domain columns, its primary key
being the job's id.

One running job per lock key: a conditional unique constraint (``status = 'running'``) on
``lock_key``, enforced by the database on SQLite and PostgreSQL alike; jobs with an empty key
are not locked.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu (queued)")
    RUNNING = "running", _("Berjalan (running)")
    FINISHED = "finished", _("Selesai (finished)")
    FAILED = "failed", _("Gagal (failed)")
    ABANDONED = "abandoned", _("Terhenti (abandoned: the process died)")


#: States a job no longer leaves.
DONE_STATES = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.ABANDONED})


class Job(models.Model):
    """One run of a kind of long work: state, stage, progress, heartbeat, process, outcome.

    ``process`` is ``host:pid`` of the process running it; with ``heartbeat_at`` it tells a
    live job from a dead one (:func:`jamsos.jobs.services.job_is_stale`). ``params`` holds the
    arguments of a queued job, ``result`` a short summary of a finished one.
    """

    #: The kind a subclass's rows take when saved without one.
    JOB_KIND: ClassVar[str] = ""

    kind = models.CharField(max_length=64, db_index=True)
    lock_key = models.CharField(
        max_length=120, blank=True, help_text="One running job per key; empty: not locked"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    stage = models.CharField(max_length=80, blank=True, help_text="What the job is doing now")
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    process = models.CharField(max_length=300, blank=True, help_text="host:pid")
    started_by = models.CharField(max_length=150, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The worker task's id")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lock_key"],
                condition=Q(status="running") & ~Q(lock_key=""),
                name="jobs_one_running_job_per_lock_key",
            ),
        ]
        indexes = [models.Index(fields=["kind", "-created_at"], name="jobs_job_kind")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.kind:
            self.kind = self.JOB_KIND
        if not self.lock_key:
            self.lock_key = self.job_lock_key()
        super().save(*args, **kwargs)

    def job_lock_key(self) -> str:
        """The lock key of a row saved without one (subclasses: from their domain fields)."""
        return ""

    # -- host and pid, the two halves of ``process`` ----------------------------------------------

    @property
    def host(self) -> str:
        return self.process.rpartition(":")[0] if ":" in self.process else self.process

    @host.setter
    def host(self, value: str) -> None:
        pid = self.pid
        self.process = f"{value or ''}:{pid if pid is not None else ''}"

    @property
    def pid(self) -> int | None:
        text = self.process.rpartition(":")[2]
        return int(text) if text.isdigit() else None

    @pid.setter
    def pid(self, value: int | None) -> None:
        self.process = f"{self.host}:{value if value is not None else ''}"

    @property
    def process_text(self) -> str:
        """The process in words (``vm:6172`` is process 6172 on the server ``vm``); "" for none."""
        if self.pid is None:
            return self.host
        return _("process %(pid)s on the server %(host)s") % {
            "pid": self.pid,
            "host": self.host or "?",
        }

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.FINISHED:
            return 100
        if not self.progress_total:
            return 0
        return max(0, min(100, int(self.progress_done * 100 / self.progress_total)))
