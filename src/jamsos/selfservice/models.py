"""One-time codes a worker proves their identity with, before setting a password."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsos.membership.models import Person


class CodePurpose(models.TextChoices):
    SIGN_UP = "signup", _("Buat akun (sign up)")
    RECOVERY = "recovery", _("Lupa kata sandi (recovery)")


class OneTimeCode(models.Model):
    """A 6-digit code sent to the phone or e-mail on record; only its keyed hash is kept.

    Valid until ``expires_at``, for at most ``MAX_TRIES`` wrong tries, and once: ``used_at`` is
    set when it is used, and a newer code for the same person and purpose replaces it."""

    ticket = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="one_time_codes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(max_length=8, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=8)
    sent_to = models.CharField(max_length=120, help_text="The address, masked")
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    replaced = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "purpose"], name="selfservice_code_person")]

    def __str__(self) -> str:
        return f"{self.purpose} code for person {self.person_id}"


class OpeningBalance(models.Model):
    """A member's JHT balance from before the records held here: the amount as of a date and
    where it comes from (``jamsos participant opening-balance import FILE``). A person without
    one has no known history before these records, which the worker's page says: it is never
    taken as zero."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="opening_balance")
    balance_idr = models.BigIntegerField()
    as_of = models.DateField(help_text="The day the balance was stated for")
    source = models.CharField(max_length=200, help_text="Where the figure comes from")
    file_name = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["person"]

    def __str__(self) -> str:
        return f"JHT opening balance of person {self.person_id} on {self.as_of}"
