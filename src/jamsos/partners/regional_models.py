"""The register of regional policy work: regulations, budget lines, circulars and instructions
that support coverage in a region, and the follow-up commitments made at audiences and events,
tracked to done (docs/partners/regional.md). Imported by ``partners.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InstrumentKind(models.TextChoices):
    REGULATION = "regulation", _("Peraturan (Perda, Pergub, Perbup, Perwal) / regulation")
    BUDGET_LINE = "budget_line", _("Mata anggaran / budget line")
    CIRCULAR = "circular", _("Surat edaran / circular")
    INSTRUCTION = "instruction", _("Instruksi (Inpres, instruksi kepala daerah) / instruction")


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Rancangan / draft")
    SIGNED = "signed", _("Ditandatangani / signed")
    IN_FORCE = "in_force", _("Berlaku / in force")
    EXPIRED = "expired", _("Tidak berlaku / expired")


class RegionalInstrument(models.Model):
    """One instrument of a region (``region_code`` ``00`` = national, e.g. an Inpres)."""

    kind = models.CharField(max_length=12, choices=InstrumentKind.choices)
    number = models.CharField(max_length=120, blank=True, help_text="As written, e.g. 135/2018")
    title = models.CharField(max_length=300)
    region_code = models.CharField(max_length=13, help_text="Kemendagri code; 00 = national")
    issuer = models.CharField(max_length=200, help_text="e.g. Gubernur Sulawesi Selatan")
    status = models.CharField(
        max_length=10, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT
    )
    signed_on = models.DateField(null=True, blank=True)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField(null=True, blank=True)
    budget_idr = models.BigIntegerField(null=True, blank=True, help_text="Budget lines: rupiah")
    link = models.URLField(max_length=500, blank=True)
    agreement = models.ForeignKey(
        "partners.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instruments",
    )
    event = models.ForeignKey(
        "partners.OutreachEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instruments",
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where this is known from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_code", "kind", "title"]
        indexes = [models.Index(fields=["region_code", "status"], name="partners_instr_region")]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_until__gte=models.F("in_force_from")),
                name="partners_instrument_dates",
            ),
            models.CheckConstraint(
                condition=Q(budget_idr__isnull=True) | Q(budget_idr__gte=0),
                name="partners_instrument_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.title}".strip()


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Terbuka / open")
    DONE = "done", _("Selesai / done")


class Commitment(models.Model):
    """A follow-up promised at an audience or event: what, who, by when, in which region."""

    what = models.TextField()
    who = models.CharField(max_length=300, help_text="Who committed (parties, offices)")
    region_code = models.CharField(max_length=13, help_text="Kemendagri code; 00 = national")
    due_on = models.DateField(null=True, blank=True)
    made_on = models.DateField(help_text="When it was made (the audience or event)")
    made_at = models.CharField(max_length=300, help_text="The audience or event, in words")
    event = models.ForeignKey(
        "partners.OutreachEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    instrument = models.ForeignKey(
        RegionalInstrument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    status = models.CharField(
        max_length=6, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where this is known from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "id"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="partners_commit_region"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="partners_commitment_done_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.made_at}: {self.what[:60]}"
