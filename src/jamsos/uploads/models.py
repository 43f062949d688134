"""Bulk uploads of PU workers: the file an employer sent, and what each of its rows became.

Grain of each table:

- ``WorkerUpload``: one row per accepted file (a file refused as a whole, e.g. a PDF, an empty
  file or one past the row cap, is never stored). It keeps the file itself, who sent it for which
  employer, and the counts. Status: ``validated`` (checked, nothing written to the registry),
  ``committed`` (the valid rows were written), ``discarded`` (the user dropped it) or ``failed``
  (the commit stopped on an unexpected error; nothing was written).
- ``WorkerUploadRow``: one row per non-empty data row of the file: its line in the file, the
  original cells, its verdict (``valid`` or ``rejected``), every reason it was refused (codes
  and parameters, rendered in Bahasa Indonesia or English when shown), notes (a NIK already
  registered is accepted as an existing person) and the cleaned values the commit writes. Once
  the upload is committed, its valid rows are the ones written; a row refused by the re-check at
  commit becomes ``rejected`` with that reason.

Both hold personal data: ``jamsos workers purge-uploads --days N`` deletes uploads older than N
days, rows included.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jamsos.membership.models import Employer


class UploadStatus(models.TextChoices):
    VALIDATED = "validated", _("Divalidasi / validated")
    COMMITTED = "committed", _("Dicatat / committed")
    DISCARDED = "discarded", _("Dibuang / discarded")
    FAILED = "failed", _("Gagal / failed")


class UploadFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class RowStatus(models.TextChoices):
    VALID = "valid", "Valid"
    REJECTED = "rejected", _("Ditolak / rejected")


class WorkerUpload(models.Model):
    """One uploaded file of PU workers for one employer."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, help_text="Kept if the account is removed")
    role = models.CharField(max_length=16, blank=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, choices=UploadFormat.choices)
    file_size = models.PositiveIntegerField()
    file_sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False, help_text="The file as uploaded (size-capped)")
    columns = models.JSONField(default=list, help_text="The file's header, as written in it")
    ignored_columns = models.JSONField(default=list, blank=True)
    delimiter = models.CharField(max_length=1, blank=True, help_text="CSV only")
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.VALIDATED
    )
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    existing_people = models.PositiveIntegerField(
        default=0, help_text="Valid rows whose NIK is already registered"
    )
    written_rows = models.PositiveIntegerField(default=0)
    kpj_blocks = models.JSONField(
        default=dict,
        blank=True,
        help_text="Start year → first KPJ serial of the block the commit reserved; the written "
        "rows of that year got the block's serials in row order",
    )
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step")
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_by_name = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was discarded or failed"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_rows__lte=F("total_rows"))
                & Q(rejected_rows__lte=F("total_rows")),
                name="uploads_counts_within_total",
            ),
            models.CheckConstraint(
                condition=Q(written_rows__lte=F("valid_rows")),
                name="uploads_written_within_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=UploadStatus.values), name="uploads_status_known"
            ),
            models.CheckConstraint(
                condition=Q(file_format__in=UploadFormat.values), name="uploads_format_known"
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "-created_at"], name="uploads_employer_created"),
            models.Index(fields=["created_at"], name="uploads_created"),
        ]

    def __str__(self) -> str:
        return f"upload {self.pk} {self.file_name} ({self.status})"


class WorkerUploadRow(models.Model):
    """One data row of an upload: the cells as sent, the verdict, the cleaned values.

    ``village_pk`` and ``person_pk`` are the ids found at validation time (plain numbers, not
    foreign keys, so that storing 100,000 rows costs no key checks); the commit re-checks the
    people before it writes.
    """

    upload = models.ForeignKey(
        WorkerUpload, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    line = models.PositiveIntegerField(help_text="Row number in the file (the header is row 1)")
    status = models.CharField(max_length=8, choices=RowStatus.choices)
    raw = models.JSONField(default=list, help_text="The cells as sent, in the file's order")
    reasons = models.JSONField(
        default=list, blank=True, help_text="[{code, field, params}], why the row is refused"
    )
    notes = models.JSONField(default=list, blank=True, help_text="[{code, field, params}]")
    nik = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    village_pk = models.BigIntegerField(null=True, blank=True)
    wage_idr = models.BigIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    programs = models.CharField(max_length=20, blank=True)
    person_pk = models.BigIntegerField(
        null=True, blank=True, help_text="The registered person, when the NIK was known"
    )

    class Meta:
        ordering = ["upload", "line"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "line"], name="uploads_row_line_unique"),
            models.CheckConstraint(
                condition=Q(status__in=RowStatus.values), name="uploads_row_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["upload", "status", "line"], name="uploads_row_status_line"),
        ]

    def __str__(self) -> str:
        return f"row {self.line} of upload {self.upload_id} ({self.status})"
