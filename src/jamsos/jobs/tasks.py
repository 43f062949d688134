"""The task the worker runs (django-tasks, database backend: ``jamsos db_worker``; ADR 0106)."""

from __future__ import annotations

from django_tasks import task

from jamsos.jobs.services import job_execute


@task()
def job_run(job_id: int) -> str:
    """Run the queued job ``job_id``; returns its final state."""
    return job_execute(job_id)
