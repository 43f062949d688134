"""The coverage build as a kind of job (:mod:`jamsos.jobs.registry`), registered at start-up.

A stale build taken over is put in ``failed`` (with the error ``abandoned: ...``), the only
end state coverage runs had before they were jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from jamsos.jobs.models import JobStatus
from jamsos.jobs.registry import JobKind, register

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jamsos.jobs.models import Job


def _run(job: Job) -> object:
    from jamsos.coverage.services.build import coverage_build_queued

    return coverage_build_queued(job)


def _can_view(request: HttpRequest, job: Job) -> bool:
    from jamsos.coverage.policy import COVERAGE
    from jamsos.web.common import scope_of

    return COVERAGE.allows(scope_of(request), "coverage.view")


def _detail(job: Job) -> str:
    return reverse("coverage:dashboard")


#: Stage names and result keys on the job page.
LABELS = {
    "start": {"id": "Mulai", "en": "Starting"},
    "read": {"id": "Baca data", "en": "Reading"},
    "compute": {"id": "Hitung", "en": "Computing"},
    "write": {"id": "Tulis", "en": "Writing"},
    "between": {"id": "Antarbulan", "en": "Between months"},
    "done": {"id": "Selesai", "en": "Done"},
    "period_from": {"id": "Dari bulan", "en": "From month"},
    "period_to": {"id": "Sampai bulan", "en": "To month"},
    "months": {"id": "Bulan", "en": "Months"},
    "facts": {"id": "Baris fakta", "en": "Fact rows"},
    "areas": {"id": "Baris wilayah", "en": "Area rows"},
}

COVERAGE_BUILD = JobKind(
    name="coverage.build",
    label={"id": "Perhitungan cakupan kepesertaan", "en": "Coverage build"},
    run=_run,
    abandoned_status=JobStatus.FAILED,
    detail_url=_detail,
    can_view=_can_view,
    labels=LABELS,
)


def register_kinds() -> None:
    register(COVERAGE_BUILD)
