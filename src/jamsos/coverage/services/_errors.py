# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of the coverage job: a stable code, the field at fault, a message in id/en.

They are :class:`jamsos.coverage.errors.CoverageError` subclasses (same ``code``, ``field``,
``http_status``, ``message_in``) whose texts live here, beside the job that raises them.
"""

from __future__ import annotations

from typing import Any

from jamsos.coverage.errors import FIELD_LABELS, CoverageError

JOB_LABELS: dict[str, dict[str, str]] = {
    "period_from": {"id": "Periode awal", "en": "First period"},
    "period_to": {"id": "Periode akhir", "en": "Last period"},
}

JOB_MESSAGES: dict[str, dict[str, str]] = {
    "bad_period": {
        "id": "{label} harus berbentuk TTTT-BB, misalnya 2025-03 (diterima: {value}).",
        "en": "{label} must be YYYY-MM, for example 2025-03 (got: {value}).",
    },
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


def _render(key: str, language: str, field: str, params: dict[str, Any]) -> str:
    lang = "en" if language.startswith("en") else "id"
    labels = JOB_LABELS.get(field) or FIELD_LABELS.get(field) or {}
    return JOB_MESSAGES[key][lang].format(label=labels.get(lang, field), **params)


class CoverageJobError(CoverageError):
    """A refusal of ``coverage_build``."""

    code = "coverage.job_error"

    def message_in(self, language: str) -> str:
        return _render(self.reason, language, self.field, self.params)


class JobBadPeriod(CoverageJobError):
    code = "coverage.bad_period"
    reason = "bad_period"
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
