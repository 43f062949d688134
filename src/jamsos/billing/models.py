"""Billing and payments: who pays, what each month costs, what came in, and where it went.

The shape (docs/billing/README.md, ADR 0104):

- :class:`Payer`: who receives an invoice and pays it: an employer (PU; the contractor for Jakon),
  a participant paying for themselves (BPU, PMI), or a sponsor paying for vulnerable BPU workers.
  Each has a virtual account number (:mod:`jamsos.billing.identifiers`).
- :class:`BillingRun`: one monthly run, a job with a record; one running run per month at a time.
- :class:`Invoice`: one per payer, period and kind (regular, or a correction for what a re-run
  found after the regular invoice was paid). :class:`InvoiceItem`: what is due on it, by segment
  and program, plus penalties; payments are allocated to items. :class:`InvoiceLine`: one row per
  participant (membership) and month, with the amount of each program in its own column (a line
  per participant and program, stored wide: ADR 0104).
- :class:`Payment` (idempotent by bank reference) and :class:`Allocation` (payment x item).
- :class:`PenaltyCharge`: late-payment penalties as they accrue, put on the payer's next invoice.
- :class:`JournalEntry` and :class:`Posting`: the double-entry ledger.
- :class:`JhtEntry`: each worker's JHT account, credited with paid JHT and yearly returns.

Money is whole rupiah in ``BigIntegerField``. Periods are "YYYY-MM" text, as in wage reports.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jamsos.jobs.models import Job
from jamsos.legal.slots import registry
from jamsos.membership.models import (
    BranchOffice,
    ConstructionProject,
    Employer,
    Membership,
    Person,
)

PERIOD_HELP = "Contribution month, YYYY-MM"


class PayerKind(models.TextChoices):
    EMPLOYER = "employer", _("Pemberi kerja (employer)")
    PARTICIPANT = "participant", _("Peserta (participant)")
    SPONSOR = "sponsor", _("Penyandang dana (sponsor)")


class Payer(models.Model):
    """Who is invoiced and pays: exactly one of employer, person or sponsor reference."""

    kind = models.CharField(max_length=12, choices=PayerKind.choices)
    employer = models.OneToOneField(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="payer"
    )
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="payer"
    )
    # Unique by constraint (Meta), not unique=True: on PostgreSQL unique=True also makes a
    # second, varchar_pattern_ops index for LIKE that nothing queries and every insert pays.
    # NULL, not "", for the payers that are no sponsor: NULLs do not collide in the constraint.
    sponsor_ref = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    sponsor_kind = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=200)
    virtual_account = models.CharField(max_length=16)  # unique: Meta
    # Indexed by billing_payer_office (branch_office, id): no index on the office alone.
    branch_office = models.ForeignKey(
        BranchOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payers",
        db_index=False,
    )
    #: Overpayment held for the next invoices; the ledger's credit account holds the same sum.
    credit_idr = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PayerKind.EMPLOYER, employer__isnull=False, person__isnull=True)
                & Q(sponsor_ref__isnull=True)
                | Q(kind=PayerKind.PARTICIPANT, employer__isnull=True, person__isnull=False)
                & Q(sponsor_ref__isnull=True)
                | Q(kind=PayerKind.SPONSOR, employer__isnull=True, person__isnull=True)
                & Q(sponsor_ref__isnull=False),
                name="billing_payer_one_party",
            ),
            models.CheckConstraint(condition=Q(credit_idr__gte=0), name="billing_payer_credit"),
            models.UniqueConstraint(fields=["sponsor_ref"], name="billing_payer_sponsor_ref_key"),
            models.UniqueConstraint(
                fields=["virtual_account"], name="billing_payer_virtual_account_key"
            ),
        ]
        indexes = [models.Index(fields=["branch_office", "id"], name="billing_payer_office")]

    def __str__(self) -> str:
        return f"{self.name} (VA {self.virtual_account})"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Berjalan (running)")
    FINISHED = "finished", _("Selesai (finished)")
    FAILED = "failed", _("Gagal (failed)")
    ABANDONED = "abandoned", _("Terhenti (abandoned: the process died)")


class BillingRun(Job):
    """One monthly billing run: a job (:class:`jamsos.jobs.models.Job`: state, stage, progress,
    heartbeat, process, error) with the month's record (period, issue date, counts, totals,
    timings).

    At most one run per period is ``running`` (the job's lock key ``billing.run:<period>``).
    The run writes its invoices in one transaction, so a run killed half-way leaves only this
    record, which the next run marks ``abandoned`` (docs/billing/runs.md, ADR 0106).
    """

    JOB_KIND = "billing.run"

    job = models.OneToOneField(
        Job,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        db_column="id",
        related_name="billing_run",
    )
    period = models.CharField(max_length=7, help_text=PERIOD_HELP)
    as_of = models.DateField(help_text="Issue date of the invoices; penalties accrue up to it")
    channel = models.CharField(max_length=8, blank=True)
    #: memberships_read, lines, invoices, payers_new, replaced_invoices, kept_invoices, rejected...
    counts = models.JSONField(default=dict, blank=True)
    #: amounts by program and by payer kind, penalties, grand total
    totals = models.JSONField(default=dict, blank=True)
    #: seconds by stage: read, compute, write, ledger, ...
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["period"], name="billing_run_period")]

    def __str__(self) -> str:
        return f"Billing run {self.period} ({self.status})"

    def job_lock_key(self) -> str:
        return lock_key_of(self.period)


def lock_key_of(period: str) -> str:
    """The job lock key of a month's billing run: one running run per month."""
    return f"{BillingRun.JOB_KIND}:{period}"


class RunReject(models.Model):
    """A membership the run could not bill, with the legal engine's reason."""

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="rejects")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    field = models.CharField(max_length=40)
    code = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["run", "code"], name="billing_reject_run")]

    def __str__(self) -> str:
        return f"{self.field}: {self.code}"


class InvoiceKind(models.TextChoices):
    REGULAR = "regular", _("Tagihan bulanan (monthly)")
    CORRECTION = "correction", _("Tagihan koreksi (correction)")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Belum dibayar (unpaid)")
    PARTIAL = "partial", _("Dibayar sebagian (partly paid)")
    PAID = "paid", _("Lunas (paid)")


class Invoice(models.Model):
    """What one payer owes for one month: contribution items, plus penalties carried in."""

    number = models.CharField(max_length=20)  # unique by constraint (Meta), as Payer's
    # The run writes invoices, items, lines and postings in bulk; their references are checked
    # once per run as a set, not row by row by the database (ADR 0105: db_constraint=False).
    # Indexed by billing_invoice_payer_due (payer, due_date, id): no index on payer alone.
    payer = models.ForeignKey(
        Payer,
        on_delete=models.PROTECT,
        related_name="invoices",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(max_length=7, help_text=PERIOD_HELP)
    kind = models.CharField(max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.REGULAR)
    run = models.ForeignKey(
        BillingRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
        db_constraint=False,
    )
    issued_on = models.DateField()
    due_date = models.DateField()
    contribution_idr = models.BigIntegerField(default=0)
    penalty_idr = models.BigIntegerField(default=0)
    total_idr = models.BigIntegerField(default=0)
    paid_idr = models.BigIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True, help_text="When the last rupiah came in")
    status = models.CharField(
        max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    participants = models.IntegerField(default=0)

    class Meta:
        ordering = ["-period", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["payer", "period"],
                condition=Q(kind="regular"),
                name="billing_one_regular_invoice",
            ),
            models.CheckConstraint(
                condition=Q(total_idr=F("contribution_idr") + F("penalty_idr")),
                name="billing_invoice_total",
            ),
            models.CheckConstraint(
                condition=Q(paid_idr__gte=0) & Q(paid_idr__lte=F("total_idr")),
                name="billing_invoice_paid_range",
            ),
            models.UniqueConstraint(fields=["number"], name="billing_invoice_number_key"),
        ]
        indexes = [
            models.Index(fields=["payer", "due_date", "id"], name="billing_invoice_payer_due"),
            models.Index(fields=["period", "status"], name="billing_invoice_period"),
            models.Index(fields=["status", "due_date"], name="billing_invoice_status_due"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number} ({self.period})"

    @property
    def outstanding_idr(self) -> int:
        return self.total_idr - self.paid_idr


class ItemKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Iuran (contribution)")
    PENALTY = "penalty", _("Denda (late-payment penalty)")


class InvoiceItem(models.Model):
    """One due on an invoice: a program's contributions of one segment, or penalties.

    Payments are allocated to items, oldest due date first, then in :attr:`rank` order (the
    law's program order; penalties after the contributions of the same invoice).
    """

    # Indexed by billing_item_invoice (invoice, rank): no index on the invoice alone.
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.CASCADE,
        related_name="items",
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    segment = models.CharField(max_length=5)
    program = models.CharField(max_length=8, blank=True, help_text="Empty for a penalty")
    rank = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField()
    amount_idr = models.BigIntegerField()
    paid_idr = models.BigIntegerField(default=0)
    #: Months of delay already charged as penalty on this item's outstanding amount.
    penalty_months = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_date", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_idr__gte=0) & Q(paid_idr__lte=F("amount_idr")),
                name="billing_item_paid_range",
            ),
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="billing_item_positive"),
        ]
        indexes = [models.Index(fields=["invoice", "rank"], name="billing_item_invoice")]

    def __str__(self) -> str:
        return f"{self.kind} {self.segment} {self.program} {self.amount_idr}"


def _sum_of(columns: tuple[str, ...]) -> Any:
    return functools.reduce(operator.add, (F(c) for c in columns[1:]), F(columns[0]))


class InvoiceLine(models.Model):
    """One participant's month on an invoice, one column per program and share.

    ``base_idr`` is what the law rates: the wage (PU), declared income (BPU), contract value
    (Jakon) or placement months (PMI). ``paid_on`` is set when every contribution item of this
    line's segment on the invoice is paid: the participant is *active* for ``period`` (ADR 0104).
    """

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", db_index=False, db_constraint=False
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        db_index=False,
        db_constraint=False,
        null=True,
        blank=True,
        help_text="PU, BPU, PMI: the participant's membership",
    )
    project = models.ForeignKey(
        ConstructionProject,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        db_index=False,  # a partial index: only Jakon lines have one (billing_line_project)
        db_constraint=False,
        null=True,
        blank=True,
        help_text="Jakon: billed once per project, on its contract value",
    )
    person_id_copy = models.BigIntegerField(
        null=True, blank=True, help_text="The membership's person, for fast counts"
    )
    period = models.CharField(max_length=7, help_text=PERIOD_HELP)
    segment = models.CharField(max_length=5)
    base_idr = models.BigIntegerField()
    jkk_idr = models.BigIntegerField(default=0)
    jkm_idr = models.BigIntegerField(default=0)
    jht_employer_idr = models.BigIntegerField(default=0)
    jht_worker_idr = models.BigIntegerField(default=0, help_text="PU worker share; BPU own JHT")
    jp_employer_idr = models.BigIntegerField(default=0)
    jp_worker_idr = models.BigIntegerField(default=0)
    package_idr = models.BigIntegerField(default=0, help_text="PMI JKK+JKM package")
    jkp_government_idr = models.BigIntegerField(default=0, help_text="Paid by the government")
    total_idr = models.BigIntegerField(help_text="Billed to the payer (JKP excluded)")
    paid_on = models.DateField(null=True, blank=True)
    capped_base_idr = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The base the rates were applied to after caps and brackets: PU the wage "
        "capped for JP (PP 45/2015 Pasal 29), BPU the declared-income bracket, Jakon the contract "
        "value; empty for PMI and for lines billed before it was kept",
    )
    parameters_ref = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text="The legal parameters applied: their date and version "
        "(jamsos.legal.slots.parameters_reference), from which each slot's rates, caps and "
        "regulation references are read back",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period", "invoice"], name="billing_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False, project__isnull=True)
                | Q(membership__isnull=True, project__isnull=False),
                name="billing_line_membership_or_project",
            ),
            models.CheckConstraint(
                # The billed columns of the slot registry (jamsos.legal.slots), in its order.
                condition=Q(total_idr=_sum_of(registry().billed_columns())),
                name="billing_line_total",
            ),
        ]
        indexes = [
            models.Index(fields=["invoice", "id"], name="billing_line_invoice"),
            models.Index(fields=["period", "paid_on"], name="billing_line_period_paid"),
            models.Index(
                fields=["project"],
                condition=Q(project__isnull=False),
                name="billing_line_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.segment} {self.total_idr}"


class Sponsorship(models.Model):
    """A sponsor paying the BPU contributions of a list of workers for a term (pekerja rentan)."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="sponsorships")
    reference = models.CharField(max_length=100, help_text="Decree or agreement number")
    first_period = models.CharField(max_length=7, help_text=PERIOD_HELP)
    last_period = models.CharField(max_length=7, help_text=PERIOD_HELP)
    memberships = models.ManyToManyField(Membership, related_name="sponsorships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_period", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_period__gte=F("first_period")),
                name="billing_sponsorship_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.first_period}..{self.last_period})"


class PaymentChannel(models.TextChoices):
    API = "api", "API"
    CLI = "cli", "CLI"
    STATEMENT = "statement", _("Rekening koran (bank statement)")
    WEB = "web", "Web"


class StatementFile(models.Model):
    """A bank statement file posted as a whole: all its lines or none."""

    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    lines = models.IntegerField(default=0)
    posted = models.IntegerField(default=0)
    already_posted = models.IntegerField(default=0)
    amount_idr = models.BigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """Money received for a payer, once per bank reference (the idempotency key)."""

    bank_ref = models.CharField(max_length=64, unique=True)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="payments")
    virtual_account = models.CharField(max_length=16)
    amount_idr = models.BigIntegerField()
    paid_on = models.DateField(help_text="Value date at the bank: lateness is judged on it")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=PaymentChannel.choices)
    statement = models.ForeignKey(
        StatementFile, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    allocated_idr = models.BigIntegerField(default=0)
    to_credit_idr = models.BigIntegerField(default=0, help_text="Held as credit (overpayment)")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="billing_payment_positive"),
            models.CheckConstraint(
                condition=Q(amount_idr=F("allocated_idr") + F("to_credit_idr")),
                name="billing_payment_accounted",
            ),
        ]
        indexes = [models.Index(fields=["payer", "-paid_on"], name="billing_payment_payer")]

    def __str__(self) -> str:
        return f"Payment {self.bank_ref} Rp {self.amount_idr}"


class Allocation(models.Model):
    """Part of a payment (or of a payer's credit) applied to one invoice item."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="allocations", null=True, blank=True
    )
    # Checked by the billing run as a set when it replaces drafts, not row by row by the
    # database (ADR 0105, amended: db_constraint=False); the ORM keeps PROTECT.
    item = models.ForeignKey(
        InvoiceItem, on_delete=models.PROTECT, related_name="allocations", db_constraint=False
    )
    amount_idr = models.BigIntegerField()
    applied_on = models.DateField()
    from_credit = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="billing_alloc_positive"),
            models.CheckConstraint(
                condition=Q(from_credit=True) | Q(payment__isnull=False),
                name="billing_alloc_source",
            ),
        ]

    def __str__(self) -> str:
        return f"Rp {self.amount_idr} to item {self.item_id}"


class PenaltyCharge(models.Model):
    """A late-payment penalty accrued on an overdue item, billed on the payer's next invoice."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="penalties")
    # Both references to items are checked as sets by the billing run (ADR 0105, amended).
    source_item = models.ForeignKey(
        InvoiceItem, on_delete=models.PROTECT, related_name="penalty_charges", db_constraint=False
    )
    base_idr = models.BigIntegerField(help_text="Overdue amount the rate applies to")
    months = models.PositiveSmallIntegerField()
    rate = models.DecimalField(max_digits=8, decimal_places=6)
    amount_idr = models.BigIntegerField()
    accrued_on = models.DateField()
    reference = models.CharField(max_length=200)
    billed_on = models.ForeignKey(
        InvoiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties_billed",
        help_text="The penalty item of the invoice that carries it",
        db_constraint=False,
    )

    class Meta:
        indexes = [models.Index(fields=["payer", "billed_on"], name="billing_penalty_payer")]

    def __str__(self) -> str:
        return f"Penalty Rp {self.amount_idr} ({self.months} months)"


class Account(models.TextChoices):
    """The ledger's accounts (docs/billing/ledger.md)."""

    CASH = "1000", _("Kas / bank (cash)")
    CONTRIBUTION_RECEIVABLE = "1100", _("Piutang iuran (contributions receivable)")
    PENALTY_RECEIVABLE = "1200", _("Piutang denda (penalties receivable)")
    PAYER_CREDIT = "2100", _("Titipan peserta (payer credit)")
    CONTRIBUTION_INCOME = "4100", _("Pendapatan iuran (contributions)")
    PENALTY_INCOME = "4200", _("Pendapatan denda (penalties)")
    BENEFIT_JKK = "5100", _("Beban manfaat JKK (work-accident benefits)")
    BENEFIT_JKM = "5200", _("Beban manfaat JKM (death benefits)")
    BENEFIT_JHT = "5300", _("Pembayaran saldo JHT (JHT withdrawals)")
    BENEFIT_JP = "5400", _("Beban manfaat JP (pensions)")
    BENEFIT_JKP = "5500", _("Beban manfaat JKP (job-loss benefits)")


class JournalKind(models.TextChoices):
    BILLING = "billing", _("Tagihan (billing run)")
    REPLACEMENT = "replace", _("Pembatalan draf (draft replaced by a re-run)")
    PENALTY = "penalty", _("Denda (penalty accrued)")
    PAYMENT = "payment", _("Pembayaran (payment)")
    CREDIT_USE = "credit", _("Pemakaian titipan (credit applied)")
    BENEFIT = "benefit", _("Pembayaran manfaat (benefit paid)")


class JournalEntry(models.Model):
    """One balanced ledger transaction: its postings' debits equal their credits."""

    at = models.DateTimeField()
    booked_on = models.DateField()
    kind = models.CharField(max_length=8, choices=JournalKind.choices)
    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="journal"
    )
    memo = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.booked_on}"


class Posting(models.Model):
    """A debit or a credit to one account, for one payer where the account is per payer."""

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    account = models.CharField(max_length=4, choices=Account.choices)
    # Indexed by billing_posting_payer (payer, account): no index on payer alone.
    payer = models.ForeignKey(
        Payer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        db_constraint=False,
        db_index=False,
    )
    debit_idr = models.BigIntegerField(default=0)
    credit_idr = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(debit_idr__gte=0, credit_idr__gte=0)
                & (Q(debit_idr=0) | Q(credit_idr=0)),
                name="billing_posting_one_side",
            )
        ]
        indexes = [models.Index(fields=["payer", "account"], name="billing_posting_payer")]

    def __str__(self) -> str:
        return f"{self.account} D{self.debit_idr} C{self.credit_idr}"


class JhtKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Iuran JHT (contribution)")
    RETURN = "return", _("Hasil pengembangan (development return)")
    CLAIM = "claim", _("Pencairan klaim (withdrawal by a claim, a debit)")


class JhtEntry(models.Model):
    """An entry of a worker's JHT account: a paid month's JHT or a year's return (credits), or
    a withdrawal by a claim (a debit: ``amount_idr`` below zero)."""

    # Indexed by billing_jht_person (person, booked_on); a second index on person alone was
    # the same entries twice.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="jht_entries", db_index=False
    )
    kind = models.CharField(max_length=12, choices=JhtKind.choices)
    period = models.CharField(max_length=7, help_text="The month paid, or YYYY-12 for a return")
    # No database constraint: invoice lines are partitioned by month on PostgreSQL, and a
    # foreign key must name a unique key of its target (ADR 0107). Checked as a set by the
    # billing run (services/integrity.py); Django still enforces PROTECT on ORM deletes.
    line = models.OneToOneField(
        InvoiceLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jht_entry",
        db_constraint=False,
    )
    amount_idr = models.BigIntegerField()
    booked_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person", "booked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period"],
                condition=Q(kind="return"),
                name="billing_jht_one_return_a_year",
            ),
        ]
        indexes = [models.Index(fields=["person", "booked_on"], name="billing_jht_person")]

    def __str__(self) -> str:
        return f"JHT {self.kind} {self.period} Rp {self.amount_idr}"


__all__ = [
    "Account",
    "Allocation",
    "BillingRun",
    "Invoice",
    "InvoiceItem",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
    "ItemKind",
    "JhtEntry",
    "JhtKind",
    "JournalEntry",
    "JournalKind",
    "Payer",
    "PayerKind",
    "Payment",
    "PaymentChannel",
    "PenaltyCharge",
    "Posting",
    "RunReject",
    "RunStatus",
    "Sponsorship",
    "StatementFile",
    "lock_key_of",
]


# --- arrears cases (docs/billing/cases.md) ---------------------------------------------------


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Telepon (phone)")
    MESSAGE = "message", _("Pesan (message)")
    VISIT = "visit", _("Kunjungan (visit)")
    LETTER = "letter", _("Surat (letter)")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Terhubung (reached)")
    NO_ANSWER = "no_answer", _("Tidak terhubung (no answer)")
    PROMISED = "promised", _("Berjanji membayar (promised to pay)")
    REFUSED = "refused", _("Menolak (refused)")
    WRONG_CONTACT = "wrong_contact", _("Kontak salah (wrong contact)")


class ArrearsCase(models.Model):
    """A payer's arrears case: the officer it is assigned to (of the payer's office)."""

    payer = models.OneToOneField(Payer, on_delete=models.PROTECT, related_name="arrears_case")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["assigned_to", "payer"], name="billing_case_officer")]

    def __str__(self) -> str:
        return f"case of payer {self.payer_id}"


class CaseContact(models.Model):
    """One call, message, visit or letter to a payer in arrears, and how it went."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="case_contacts")
    contacted_on = models.DateField()
    channel = models.CharField(max_length=8, choices=ContactChannel.choices)
    outcome = models.CharField(max_length=14, choices=ContactOutcome.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["payer", "contacted_on"], name="billing_contact_payer")]

    def __str__(self) -> str:
        return f"{self.channel} {self.contacted_on} ({self.outcome})"


class PaymentPromise(models.Model):
    """A payer's promise to pay an amount by a date. Kept when the payer's payments valued from
    the day it was made to its date reach the amount; broken when the date passed without."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="payment_promises")
    promised_on = models.DateField(help_text="The day the promise was made")
    due_on = models.DateField(help_text="The day the payer promised to pay by")
    amount_idr = models.BigIntegerField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="billing_promise_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("promised_on")), name="billing_promise_after_made"
            ),
        ]
        indexes = [models.Index(fields=["payer", "due_on"], name="billing_promise_payer")]

    def __str__(self) -> str:
        return f"Rp {self.amount_idr} by {self.due_on}"
