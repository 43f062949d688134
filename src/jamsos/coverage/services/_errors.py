# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of the coverage job: a stable code, the field at fault, a message in id/en.

They are :class:`jamsos.coverage.errors.CoverageError` subclasses whose texts live here, beside
the job that raises them; a bad period is the app's :class:`~jamsos.coverage.errors.BadPeriod`.
"""

from __future__ import annotations

from jamsos.coverage.errors import BadPeriod, CoverageError

JOB_MESSAGES: dict[str, dict[str, str]] = {
    "period_order": {
        "id": "{label} {value} lebih awal dari periode awal {first}.",
        "en": "{label} {value} comes before the first period {first}.",
    },
    "too_many_months": {
        "id": "{label}: paling banyak {limit} bulan sekali jalan (diminta {value}).",
        "en": "{label}: at most {limit} months per run (asked for {value}).",
    },
    "run_in_progress": {
        "id": "Penghitungan kepesertaan sedang berjalan (run {run}, periode {periods}, mulai {started}, proses {process}); tunggu sampai selesai.",
        "en": "A coverage run is already in progress (run {run}, periods {periods}, started {started}, process {process}); wait until it ends.",
    },
    "nothing_billed": {
        "id": "Belum ada bulan yang ditagih: jalankan `jamsos billing run --period TTTT-BB` dulu, atau beri --from.",
        "en": "No month has been billed yet: run `jamsos billing run --period YYYY-MM` first, or give --from.",
    },
}


class CoverageJobError(CoverageError):
    """A refusal of ``coverage_build``; ``reason`` keys :data:`JOB_MESSAGES`."""

    code = "coverage.job_error"
    messages = JOB_MESSAGES


class JobBadPeriod(BadPeriod):
    """:class:`~jamsos.coverage.errors.BadPeriod` of the job's first or last period."""

    default_field = "period_from"


class PeriodOrder(CoverageJobError):
    code = "coverage.period_order"
    reason = "period_order"
    default_field = "period_to"


class TooManyMonths(CoverageJobError):
    code = "coverage.too_many_months"
    reason = "too_many_months"
    default_field = "period_to"


class RunInProgress(CoverageJobError):
    code = "coverage.run_in_progress"
    reason = "run_in_progress"
    default_field = ""
    http_status = 409


class NothingBilled(CoverageJobError):
    code = "coverage.nothing_billed"
    reason = "nothing_billed"
    default_field = "period_from"
