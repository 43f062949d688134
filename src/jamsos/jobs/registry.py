"""Kinds of job: what each domain app registers, usually from its ``AppConfig.ready``.

::

    register(JobKind(
        name="billing.run",
        label={"id": "Penagihan bulanan", "en": "Monthly billing run"},
        run=run_queued_billing,           # runs a queued job in the worker
        detail_url=lambda job: reverse("billing:run", args=[job.pk]),
        can_view=lambda request, job: ...,
    ))

The jobs app imports nothing from the apps that register here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jamsos.jobs.models import Job


def _staff_only(request: HttpRequest, job: Job) -> bool:
    return bool(getattr(request.user, "is_staff", False))


@dataclass(frozen=True)
class JobKind:
    """One kind of job.

    - ``name``: the ``Job.kind`` value (``app.verb``);
    - ``label``: ``{"id": ..., "en": ...}``, shown on the status page;
    - ``run``: ``run(job)`` does the work of a queued job in the worker
      (:func:`jamsos.jobs.services.job_execute`); ``None`` if the kind is never queued;
    - ``abandoned_status``: the state a stale running job of this kind is put in when another
      takes its lock (``abandoned``, or ``failed`` for kinds whose history only knows that);
    - ``detail_url``: the domain page of a job, linked from the status page;
    - ``can_view``: who may read the status page of a job (default: staff users);
    - ``labels``: ``{key: {"id": ..., "en": ...}}`` for the stage names and result keys the
      status page shows (a stage ``"read 2025-03"`` is looked up by its first word).
    """

    name: str
    label: dict[str, str]
    run: Callable[[Job], Any] | None = None
    abandoned_status: str = "abandoned"
    detail_url: Callable[[Job], str | None] | None = None
    can_view: Callable[[HttpRequest, Job], bool] = field(default=_staff_only)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def label_in(self, language: str) -> str:
        return self.label["en" if language.startswith("en") else "id"]

    def text_of(self, key: str, language: str) -> str:
        """A stage name or result key as the reader reads it (the key itself when unknown)."""
        head, _, rest = key.partition(" ")
        pair = self.labels.get(key) or self.labels.get(head)
        if pair is None:
            return key
        text = pair["en" if language.startswith("en") else "id"]
        return text if key in self.labels or not rest else f"{text} {rest}"


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add (or replace, on a reload) a kind."""
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> JobKind:
    """The registered kind, or a bare one named after it (a job of an uninstalled kind)."""
    return _KINDS.get(name) or JobKind(name=name, label={"id": name, "en": name})


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
