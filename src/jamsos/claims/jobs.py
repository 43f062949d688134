"""The monthly benefit payroll as a kind of job (:mod:`jamsos.jobs.registry`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamsos.jobs.registry import JobKind, register

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jamsos.jobs.models import Job


def _run(job: Job) -> object:
    from jamsos.claims.services.payroll import payroll_run_queued

    return payroll_run_queued(job)


def _can_view(request: HttpRequest, job: Job) -> bool:
    from jamsos.claims.policy import CLAIMS
    from jamsos.web.common import scope_of

    return CLAIMS.allows(scope_of(request), "payroll.run")


LABELS = {
    "start": {"id": "Mulai", "en": "Starting"},
    "index": {"id": "Indeksasi", "en": "Indexation"},
    "stop": {"id": "Hentikan manfaat", "en": "Stopping benefits"},
    "pay": {"id": "Bayar", "en": "Paying"},
    "ledger": {"id": "Jurnal", "en": "Ledger"},
    "done": {"id": "Selesai", "en": "Done"},
    "period": {"id": "Periode", "en": "Month"},
    "paid": {"id": "Dibayar", "en": "Paid"},
    "amount_idr": {"id": "Jumlah", "en": "Amount"},
}

PAYROLL = JobKind(
    name="claims.payroll",
    label={"id": "Pembayaran manfaat berkala", "en": "Recurring benefit payroll"},
    run=_run,
    can_view=_can_view,
    labels=LABELS,
)


def register_kinds() -> None:
    register(PAYROLL)
