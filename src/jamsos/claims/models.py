"""Claims, from intake to money in the account (docs/claims.md).

A :class:`Claim` is one request for a benefit of one program and case for one insured person;
its status moves submitted → verified → approved → paid, or to rejected with a reason, and each
move is a :class:`ClaimEvent` (append-only). The amounts are computed by the legal engine
(``jamsos.legal.benefits``) and kept on the claim with their trace, so a decision can be
explained years later. Recurring benefits (a JP pension, STMB, a scholarship) are
:class:`Benefit` rows paid by the monthly payroll (:class:`PayrollRun`, a job) as
:class:`BenefitPayment` rows, set-based.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnly
from jamsos.jobs.models import Job
from jamsos.membership.models import BranchOffice, Employer, Membership, Person


class Program(models.TextChoices):
    JKK = "JKK", _("JKK (kecelakaan kerja / work accident)")
    JKM = "JKM", _("JKM (kematian / death)")
    JHT = "JHT", _("JHT (hari tua / old-age savings)")
    JP = "JP", _("JP (pensiun / pension)")
    JKP = "JKP", _("JKP (kehilangan pekerjaan / job loss)")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan (submitted)")
    VERIFIED = "verified", _("Diverifikasi (verified)")
    APPROVED = "approved", _("Disetujui (approved)")
    PAID = "paid", _("Dibayar (paid)")
    REJECTED = "rejected", _("Ditolak (rejected)")


#: States a claim no longer leaves.
FINAL_STATES = frozenset({ClaimStatus.PAID, ClaimStatus.REJECTED})


class Channel(models.TextChoices):
    WORKER = "worker", _("Peserta sendiri (self-service)")
    HEIR = "heir", _("Ahli waris (heir)")
    EMPLOYER = "employer", _("Pemberi kerja (employer report)")
    OFFICER = "officer", _("Petugas kantor cabang (branch officer)")


class Claim(models.Model):
    """One claim for one benefit (program × case) of one insured person."""

    number = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claims")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    branch_office = models.ForeignKey(
        BranchOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    program = models.CharField(max_length=3, choices=Program.choices)
    case = models.CharField(max_length=32)
    ground = models.CharField(max_length=32, blank=True, help_text="Why a full JHT is due")
    event_date = models.DateField(help_text="Death, accident, job loss or stop date")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    claimant_name = models.CharField(max_length=120)
    claimant_nik = models.CharField(max_length=16, blank=True)
    relationship = models.CharField(max_length=16, blank=True, help_text="An heir's relation")
    heir_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # facts given at intake, beyond the records
    months_unable = models.PositiveSmallIntegerField(null=True, blank=True)
    disability_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    children = models.JSONField(default=list, blank=True, help_text="Children's school levels")
    # the employer's work-accident reports (stage 1 within 2 x 24 hours, stage 2 the outcome)
    accident_at = models.DateTimeField(null=True, blank=True)
    report1_at = models.DateTimeField(null=True, blank=True)
    report1_text = models.TextField(blank=True)
    report1_late = models.BooleanField(default=False)
    report2_at = models.DateTimeField(null=True, blank=True)
    report2_text = models.TextField(blank=True)
    # the record-based eligibility and the legal engine's answer, kept for good
    request = models.JSONField(default=dict, help_text="The BenefitRequest sent to the engine")
    eligibility = models.JSONField(default=dict, help_text="Facts from the records, reasons")
    trace = models.JSONField(default=dict, help_text="BenefitResult.as_dict(): lines, rules")
    eligible = models.BooleanField(default=False)
    amount_idr = models.BigIntegerField(default=0)
    # the bank account the money goes to
    bank_code = models.CharField(max_length=3, blank=True)
    account_number = models.CharField(max_length=20, blank=True)
    account_name = models.CharField(max_length=120, blank=True)
    # workflow
    status = models.CharField(
        max_length=9, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    reject_reason = models.TextField(blank=True)
    needs_second_approval = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="The service-level target for the decision")
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    pay_key = models.CharField(
        max_length=80, null=True, blank=True, unique=True, help_text="The payment's idempotency key"
    )
    submitted_by = models.CharField(max_length=150)
    filed_by_user_id = models.IntegerField(null=True, blank=True, help_text="Who filed it")
    verified_by = models.CharField(max_length=150, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_by_id = models.IntegerField(null=True, blank=True)
    second_approved_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="claims_queue"),
            models.Index(fields=["person", "program", "case"], name="claims_person_case"),
            models.Index(fields=["program", "paid_at"], name="claims_paid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="claims_rejected_has_reason",
            ),
            models.CheckConstraint(condition=Q(amount_idr__gte=0), name="claims_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.program} {self.case} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATES


class ClaimEvent(AppendOnly):
    """One move of a claim's status (or an intake report), never changed nor deleted."""

    append_only_label = "claim events"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    status_from = models.CharField(max_length=9, blank=True)
    status_to = models.CharField(max_length=9)
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.status_from or '-'} → {self.status_to}"


class ClaimDocument(models.Model):
    """A document of a claim: its kind, the stored file under VAR_DIR/claims, its checks."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=24)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, help_text="Relative to VAR_DIR")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["claim", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class BenefitKind(models.TextChoices):
    PENSION = "pension", _("Pensiun bulanan JP (monthly pension)")
    STMB = "stmb", _("STMB (temporary incapacity, monthly)")
    SCHOLARSHIP = "scholarship", _("Beasiswa (scholarship, each school year)")


class EndReason(models.TextChoices):
    DEATH = "death", _("Meninggal (death)")
    REMARRIAGE = "remarriage", _("Menikah lagi (remarriage)")
    AGE_23 = "age_23", _("Anak berusia 23 tahun (child turned 23)")
    RECOVERED = "recovered", _("Sembuh (recovered)")
    COMPLETED = "completed", _("Selesai (completed)")


class Benefit(models.Model):
    """A recurring benefit of an approved claim: who receives it, how much, until when."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(max_length=12, choices=BenefitKind.choices)
    program = models.CharField(max_length=3, choices=Program.choices)
    beneficiary_name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=16, blank=True)
    beneficiary_birth_date = models.DateField(null=True, blank=True)
    age_limit_on = models.DateField(
        null=True, blank=True, help_text="A child's 23rd birthday: payment stops before it"
    )
    amount_idr = models.BigIntegerField(help_text="Per month (per school year: scholarship)")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    indexed_year = models.PositiveSmallIntegerField(help_text="The year its amount is for")
    school_level = models.CharField(max_length=12, blank=True)
    bank_code = models.CharField(max_length=3, blank=True)
    account_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["claim", "id"]
        indexes = [models.Index(fields=["kind", "ends_on"], name="claims_benefit_active")]

    def __str__(self) -> str:
        return f"{self.kind} Rp {self.amount_idr}"


class PayrollRun(Job):
    """One month's payroll of recurring benefits (JP pensions, STMB, scholarships)."""

    JOB_KIND = "claims.payroll"

    job = models.OneToOneField(
        Job, on_delete=models.CASCADE, parent_link=True, primary_key=True, related_name="+"
    )
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    counts = models.JSONField(default=dict, blank=True)
    totals = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-period"]

    def job_lock_key(self) -> str:
        return f"claims.payroll:{self.period}"


class BenefitPayment(models.Model):
    """Money paid for a claim: the lump sum, or one month (school year) of a recurring benefit."""

    # The payroll writes a million rows in one INSERT … SELECT from the benefits it pays: the
    # references are right by construction, so the database does not check each one again at
    # commit (as billing's postings; bench/claims_payroll.py).
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="payments", db_constraint=False
    )
    benefit = models.ForeignKey(
        Benefit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        db_constraint=False,
    )
    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        db_constraint=False,
    )
    program = models.CharField(max_length=3, choices=Program.choices)
    period = models.CharField(max_length=7, blank=True, help_text="YYYY-MM of a recurring one")
    amount_idr = models.BigIntegerField()
    paid_on = models.DateField()
    bank_code = models.CharField(max_length=3, blank=True)
    account_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "period"],
                condition=Q(benefit__isnull=False),
                name="claims_one_payment_per_benefit_month",
            ),
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="claims_payment_positive"),
        ]
        indexes = [models.Index(fields=["program", "paid_on"], name="claims_payment_program")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.period or 'lump sum'} Rp {self.amount_idr}"
