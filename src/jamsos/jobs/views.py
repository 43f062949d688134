"""The status page of a job (``/tugas/<id>/``) and its JSON for polling
(``/tugas/<id>/status.json``).

The page reloads itself while the job is queued or running (a ``<meta refresh>``, no script);
the JSON carries the same figures for a client that polls. Who may read a job is its kind's
``can_view``; anyone else gets a 404, as for a job that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from jamsos.core.formatting import format_money, format_number
from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.registry import kind_get
from jamsos.jobs.services import job_is_stale

#: Seconds between two reloads of the page while the job goes on.
REFRESH_SECONDS = 3

#: States as the reader reads them.
STATUS_TEXT: dict[str, dict[str, str]] = {
    JobStatus.QUEUED: {"id": "Menunggu", "en": "Queued"},
    JobStatus.RUNNING: {"id": "Berjalan", "en": "Running"},
    JobStatus.FINISHED: {"id": "Selesai", "en": "Finished"},
    JobStatus.FAILED: {"id": "Gagal", "en": "Failed"},
    JobStatus.ABANDONED: {"id": "Terhenti", "en": "Abandoned"},
}


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or not kind_get(job.kind).can_view(request, job):
        raise Http404
    return job


def status_data(job: Job) -> dict[str, Any]:
    """What the page shows and the JSON endpoint answers."""
    lang = _lang()
    kind = kind_get(job.kind)
    detail = kind.detail_url(job) if kind.detail_url else None
    live = job.status == JobStatus.RUNNING
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": kind.label_in(lang),
        "status": job.status,
        "status_text": STATUS_TEXT.get(job.status, {}).get(lang, job.status),
        "stage": job.stage,
        "stage_text": kind.text_of(job.stage, lang) if job.stage else "",
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "percent": job.percent,
        "done": job.is_done,
        "stale": live and job_is_stale(job),
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
        "started_by": job.started_by,
        "error": job.error,
        "result": job.result or {},
        "detail_url": detail,
    }


@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, pk)
    data = status_data(job)
    kind = kind_get(job.kind)
    lang = _lang()
    context = {
        "job": job,
        "data": data,
        "refresh": REFRESH_SECONDS,
        "progress_done": format_number(job.progress_done),
        "progress_total": format_number(job.progress_total),
        "result": [
            (kind.text_of(str(key), lang), _value(str(key), value))
            for key, value in data["result"].items()
        ],
    }
    return render(request, "jobs/status.html", context)


def _value(key: str, value: Any) -> Any:
    """A result value as the reader reads it: rupiah for ``*_idr`` keys, numbers grouped."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_money(value) if key.endswith("_idr") else format_number(value)
    return value


@require_GET
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"error": "not signed in"}, status=401)
    return JsonResponse(status_data(_job_for(request, pk)))
