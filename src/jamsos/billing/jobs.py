"""The billing run as a kind of job (:mod:`jamsos.jobs.registry`), registered at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from jamsos.jobs.registry import JobKind, register

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jamsos.jobs.models import Job


def _run(job: Job) -> object:
    from jamsos.billing.services.run import billing_run_queued

    return billing_run_queued(job)


def _can_view(request: HttpRequest, job: Job) -> bool:
    from jamsos.billing.policy import BILLING
    from jamsos.web.common import scope_of

    return BILLING.allows(scope_of(request), "runs.view")


def _detail(job: Job) -> str:
    return reverse("billing:run", args=[job.pk])


#: Stage names and result keys on the job page.
LABELS = {
    "start": {"id": "Mulai", "en": "Starting"},
    "penalties": {"id": "Denda", "en": "Penalties"},
    "replace": {"id": "Ganti draf", "en": "Replacing drafts"},
    "read": {"id": "Baca data", "en": "Reading memberships"},
    "compute": {"id": "Hitung iuran", "en": "Computing contributions"},
    "payers": {"id": "Pembayar", "en": "Payers"},
    "invoices": {"id": "Tagihan", "en": "Invoices"},
    "lines": {"id": "Rincian peserta", "en": "Participant lines"},
    "rejects": {"id": "Kepesertaan ditolak", "en": "Rejected memberships"},
    "ledger": {"id": "Jurnal", "en": "Ledger"},
    "credits": {"id": "Titipan", "en": "Applying credit"},
    "verify": {"id": "Periksa rujukan", "en": "Checking references"},
    "commit": {"id": "Simpan", "en": "Committing"},
    "done": {"id": "Selesai", "en": "Done"},
    "period": {"id": "Periode", "en": "Month"},
    "rejected": {"id": "Ditolak", "en": "Rejected"},
    "grand_total_idr": {"id": "Jumlah tagihan", "en": "Total billed"},
}

BILLING_RUN = JobKind(
    name="billing.run",
    label={"id": "Penagihan iuran bulanan", "en": "Monthly billing run"},
    run=_run,
    detail_url=_detail,
    can_view=_can_view,
    labels=LABELS,
)


def register_kinds() -> None:
    register(BILLING_RUN)
