"""The outbox: every message Jamsos sends, its delivery log, and people's channel choices.

Grain of each table:

- :class:`Message`: one row per message to one recipient over one channel, unique by its
  idempotency key (the same event never makes a second message). It keeps the text as rendered
  in the recipient's language, the address it goes to, and its delivery state.
- :class:`DeliveryAttempt`: append-only, one row per try to hand a message to its channel: when,
  the outcome, and the provider's answer (addresses masked).
- :class:`Preference`: one row per person or per user account: language, an e-mail address
  given for messages, and which channels are off (opt-out).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnly


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel / e-mail")
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Antre / queued")
    SENT = "sent", _("Terkirim / sent")
    FAILED = "failed", _("Gagal / failed")
    SUPPRESSED = "suppressed", _("Tidak dikirim / not sent")


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("Terkirim / sent")
    RETRY = "retry", _("Gagal sementara / temporary failure")
    FAILED = "failed", _("Gagal / failed")


class Message(models.Model):
    """One message to one recipient over one channel, rendered in the recipient's language."""

    kind = models.CharField(max_length=48, db_index=True)
    idempotency_key = models.CharField(max_length=160, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    language = models.CharField(max_length=2, default="id")
    address = models.CharField(max_length=254, blank=True, help_text="E-mail or E.164 phone")
    person = models.ForeignKey(
        "membership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    branch_office = models.ForeignKey(
        "membership.BranchOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        help_text="The office the message concerns; its officers see it in the outbox",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    reason = models.CharField(
        max_length=20, blank=True, help_text="Why a message was not sent: opted_out, no_address"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=120, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="notifications_message_status"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[*Channel.values, ""]),
                name="notifications_message_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due"),
            models.Index(fields=["branch_office", "-created_at"], name="notifications_office"),
            models.Index(fields=["person", "-created_at"], name="notifications_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel or '-'} ({self.status})"


class DeliveryAttempt(AppendOnly):
    """One try to hand a message to its channel. Never updated nor deleted."""

    append_only_label = "delivery attempts"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=AttemptOutcome.choices)
    provider_status = models.CharField(max_length=20, blank=True, help_text="HTTP or SMTP code")
    answer = models.CharField(max_length=500, blank=True, help_text="Provider's answer, masked")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"], name="notifications_attempt_number"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


class Preference(models.Model):
    """A person's (or a user account's) language, e-mail for messages and channels turned off."""

    person = models.OneToOneField(
        "membership.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=2, default="id")
    email = models.EmailField(blank=True)
    email_off = models.BooleanField(default=False)
    sms_off = models.BooleanField(default=False)
    whatsapp_off = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, user__isnull=True)
                | Q(person__isnull=True, user__isnull=False),
                name="notifications_preference_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["id", "en"]), name="notifications_preference_language"
            ),
        ]

    def __str__(self) -> str:
        owner = f"person {self.person_id}" if self.person_id else f"user {self.user_id}"
        return f"{owner} ({self.language})"

    def is_off(self, channel: str) -> bool:
        return bool(getattr(self, f"{channel}_off", False))
