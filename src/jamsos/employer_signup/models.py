"""Employer self-registration (docs/registry/segments.md): a company applies on the public
form; the branch office serving its address verifies it (the employer is registered and gets
its NPP, the contact an account) or rejects it with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi / pending")
    VERIFIED = "verified", _("Diverifikasi / verified")
    REJECTED = "rejected", _("Ditolak / rejected")


class EmployerApplication(models.Model):
    reference = models.CharField(max_length=16, unique=True, help_text="Shown to the applicant")
    legal_name = models.CharField(max_length=200)
    npwp = models.CharField("NPWP", max_length=16, help_text="16 digits, checked")
    address_village = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=250, blank=True)
    sector = models.CharField(max_length=1)
    risk_class = models.PositiveSmallIntegerField()
    size = models.CharField(max_length=6)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=20)
    pic_nik = models.CharField("NIK PIC", max_length=16)
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="employer_applications"
    )
    status = models.CharField(
        max_length=8, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    employer = models.ForeignKey(
        "membership.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["branch_office", "status"], name="employer_signup_pending"),
            models.Index(fields=["npwp"], name="employer_signup_npwp"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.legal_name} ({self.status})"
