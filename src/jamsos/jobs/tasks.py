"""The task the worker runs (django-tasks, database backend: ``jamsos db_worker``; ADR 0106), and
the queueing of a job for it."""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction
from django_tasks import task

from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.services import job_execute

J = TypeVar("J", bound=Job)


@task()
def job_run(job_id: int) -> str:
    """Run the queued job ``job_id``; returns its final state."""
    return job_execute(job_id)


def job_enqueue(job: J) -> J:
    """Save ``job`` as queued and hand it to the task worker once the transaction commits."""
    job.status = JobStatus.QUEUED
    job.save()

    def send() -> None:
        result = job_run.enqueue(job.pk)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    transaction.on_commit(send)
    return job
