"""Perisai agents (docs/registry/segments.md): people who enrol BPU workers in their community
and collect their contributions for a commission.

- ``Agent``: the agent, a registered person (NIK), served by a branch office, working in a
  region; ``code`` is the reference the memberships they register carry (``partner_ref``).
- ``AgentWorker``: a BPU membership the agent enrolled (one agent per membership).
- ``AgentCollection``: contributions the agent collected from one of their workers, posted as a
  payment on the worker's virtual account by billing's payment service.
- ``CommissionStatement``: the agent's commission for one month, with the rule that applied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif / active")
    SUSPENDED = "suspended", _("Dibekukan / suspended")
    ENDED = "ended", _("Berhenti / ended")


class Agent(models.Model):
    code = models.SlugField(max_length=32, unique=True, help_text="= partner_ref of their workers")
    person = models.OneToOneField(
        "membership.Person", on_delete=models.PROTECT, related_name="perisai_agent"
    )
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="agents"
    )
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the agent works (a village or district)",
    )
    status = models.CharField(
        max_length=10, choices=AgentStatus.choices, default=AgentStatus.ACTIVE
    )
    joined_on = models.DateField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class AgentWorker(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="workers")
    membership = models.OneToOneField(
        "membership.Membership", on_delete=models.PROTECT, related_name="perisai_agent_link"
    )
    enrolled_on = models.DateField()
    with_jht = models.BooleanField(default=False)

    class Meta:
        ordering = ["agent", "-enrolled_on", "id"]
        indexes = [models.Index(fields=["enrolled_on", "agent"], name="agents_worker_month")]

    def __str__(self) -> str:
        return f"{self.agent_id}:{self.membership_id}"


class AgentCollection(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="collections")
    membership = models.ForeignKey(
        "membership.Membership", on_delete=models.PROTECT, related_name="+"
    )
    payment = models.OneToOneField(
        "billing.Payment", on_delete=models.PROTECT, related_name="perisai_collection"
    )
    amount_idr = models.BigIntegerField()
    collected_on = models.DateField()
    participant_month = models.PositiveIntegerField(
        help_text="The participant's month of membership when collected (1 = the start month)"
    )

    class Meta:
        ordering = ["agent", "-collected_on", "-id"]
        indexes = [models.Index(fields=["collected_on", "agent"], name="agents_collection_month")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="agents_collection_positive")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.collected_on} {self.amount_idr}"


class CommissionStatement(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="statements")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    new_participants = models.IntegerField(default=0)
    new_with_jht = models.IntegerField(default=0)
    collected_early_idr = models.BigIntegerField(default=0)
    collected_late_idr = models.BigIntegerField(default=0)
    collected_other_idr = models.BigIntegerField(default=0)
    collection_idr = models.BigIntegerField(default=0)
    acquisition_idr = models.BigIntegerField(default=0)
    bonus_idr = models.BigIntegerField(default=0)
    total_idr = models.BigIntegerField(default=0)
    office_idr = models.BigIntegerField(default=0)
    rule_since = models.DateField()
    rule_reference = models.CharField(max_length=300)
    rule_confidence = models.CharField(max_length=8)
    pay_by = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "agent"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "month"], name="agents_statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.month}"
