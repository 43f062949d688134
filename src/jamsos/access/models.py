"""Who may see what, and the record of who saw and changed personal data.

Grain of each table:

- ``UserAccess``: one row per user account that works in Jamsos: its role and the one thing the
  role is bound to (a branch office, an employer, a person, or a partner). A user without a row
  sees nothing; a superuser is an administrator.
- ``ApiToken``: one row per API token of a user; only a hash of the token is kept.
- ``AuditEvent``: append-only, one row per full view, change or export of personal data: who,
  when, what, and from where (channel, address, client).
- ``RefusalCount``: one row per day (Asia/Jakarta), route and reason: how many anonymous
  requests an abuse limit refused or a registration answered without naming the record. Never
  a NIK or an address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnly
from jamsos.registry.models import Region


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    BRANCH_OFFICER = "branch_officer", _("Petugas kantor cabang / branch officer")
    PARTNER_USER = "partner_user", _("Pengguna mitra / partner user")
    EMPLOYER_USER = "employer_user", _("Pengguna pemberi kerja / employer user")
    WORKER = "worker", _("Peserta / worker")
    ANALYST = "analyst", _("Analis (agregat saja) / analyst (aggregates only)")
    AGENT = "agent", _("Agen Perisai / Perisai agent")


class UserAccess(models.Model):
    """A user's role and what it is bound to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jamsos_access"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        "membership.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "membership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The partner model comes with the partnership work; until then a partner is its reference.
    partner_ref = models.CharField(max_length=64, blank=True)
    partner_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        help_text="Regions of the partner's agreement (aggregates only)",
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "user access"
        verbose_name_plural = "user access"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="branch_officer") | Q(branch_office__isnull=False),
                name="access_branch_officer_has_office",
            ),
            models.CheckConstraint(
                condition=~Q(role="employer_user") | Q(employer__isnull=False),
                name="access_employer_user_has_employer",
            ),
            models.CheckConstraint(
                condition=~Q(role="worker") | Q(person__isnull=False),
                name="access_worker_has_person",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner_user") | ~Q(partner_ref=""),
                name="access_partner_user_has_partner",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="access_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for the REST API. The token is shown once; only its SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jamsos_api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditAction(models.TextChoices):
    VIEW_FULL = "view_full", _("lihat lengkap / full view")
    CREATE = "create", _("buat / create")
    UPDATE = "update", _("ubah / update")
    END = "end", _("akhiri / end")
    EXPORT = "export", _("ekspor / export")
    IMPORT = "import", _("impor / import")
    ACCESS_GRANTED = "access_granted", _("akses diberikan / access granted")
    DENIED = "denied", _("ditolak / denied")
    SIGN_IN = "sign_in", _("masuk / sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("gagal masuk / failed sign-in")
    LOCKED_OUT = "locked_out", _("akun dikunci / locked out")


class AuditEvent(AppendOnly):
    """One full view, change or export of personal data. Never updated nor deleted."""

    append_only_label = "audit events"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, help_text="Kept if the account is removed")
    role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True, help_text="Masked")
    changes = models.JSONField(
        default=dict, blank=True, help_text="Field → [before, after], personal numbers masked"
    )
    detail = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=8, help_text="web, api, cli or system")
    ip = models.GenericIPAddressField(null=True, blank=True)
    client = models.CharField(max_length=200, blank=True, help_text="User agent or host")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="access_audit_target"),
            models.Index(fields=["actor", "at"], name="access_audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_type}"


class RefusalReason(models.TextChoices):
    """Why an anonymous request was refused (docs/security-abuse.md)."""

    LIMIT_ADDRESS = "limit_address", _("batas per alamat / limit per address")
    LIMIT_NIK = "limit_nik", _("batas per NIK / limit per NIK")
    NIK_UNPROVEN = (
        "nik_unproven",
        _("NIK terdaftar, data tidak cocok / registered NIK, data differ"),
    )
    NIK_PROVEN = "nik_proven", _("NIK terdaftar, data cocok / registered NIK, data match")


class RefusalCount(models.Model):
    """How many anonymous requests were refused, per day (Asia/Jakarta), route and reason.

    Counters only: no NIK, no address, no request is kept here (the limits themselves live in
    the cache). Written by :func:`jamsos.access.services.refusal_count_add`.
    """

    day = models.DateField()
    route = models.CharField(max_length=64)
    reason = models.CharField(max_length=16, choices=RefusalReason.choices)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "route", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "route", "reason"], name="access_refusal_count_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.route} {self.reason}: {self.count}"
