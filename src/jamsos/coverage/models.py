"""Coverage: how many workers are protected, where, against what potential (docs/coverage/).

The coverage job (``services/build.py``) reads memberships and paid invoice lines and writes two
kinds of precomputed rows, so that no page ever scans the registry:

- :class:`CoverageFact`, the finest grain: a month x village x segment x ecosystem x channel x
  branch office, with the five counts. Re-running a month replaces that month's facts.
- :class:`CoverageArea`, what the pages and the API read: the same counts rolled up to every
  region level (nation ``00``, province, regency, district, village) for a month, for all
  participants (``segment``, ``ecosystem`` and ``channel`` all ``""``) and for the slices the
  dashboard filters by, with the potential (the workforce denominator) of that region and
  slice, its source and whether it is estimated.

Where a participant is counted is their domicile village (documented in docs/coverage/facts.md
and shown on the dashboard).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsos.jobs.models import Job

#: ``""`` in a dimension column means "all values" (a rollup over that dimension).
ALL = ""


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Berjalan / running")
    FINISHED = "finished", "Selesai / finished"
    FAILED = "failed", _("Gagal / failed")


class CoverageRun(Job):
    """One run of the coverage job: a job (:class:`jamsos.jobs.models.Job`: state, stage,
    progress, heartbeat, process, error) with its months, counts and timings. One coverage run
    at a time (the job's lock key ``coverage.build``)."""

    JOB_KIND = "coverage.build"

    job = models.OneToOneField(
        Job,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        db_column="id",
        related_name="coverage_run",
    )
    period_from = models.CharField(max_length=7, help_text="YYYY-MM")
    period_to = models.CharField(max_length=7, help_text="YYYY-MM")
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"coverage {self.period_from}..{self.period_to} ({self.status})"

    def job_lock_key(self) -> str:
        return self.JOB_KIND


class Counts(models.Model):
    """The five counts of a month, shared by facts and rollups.

    - ``registered``: memberships open at any time in the month (started on or before its last
      day, not ended before its first day);
    - ``active``: memberships whose month is fully paid (every invoice line of the month paid,
      the billing definition of active, ADR 0104);
    - ``new``: memberships that started in the month;
    - ``lapsed``: open memberships whose last N months (``status.lapse_months``) are all billed
      and unpaid, counted in the month they become lapsed;
    - ``reactivated``: memberships active this month after being lapsed.
    """

    registered = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)
    reactivated = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CoverageFact(Counts):
    """A month x village x segment x ecosystem x channel x branch office cell."""

    period = models.CharField(max_length=7, help_text="YYYY-MM")
    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5)
    district_code = models.CharField(max_length=8)
    village_code = models.CharField(max_length=13)
    segment = models.CharField(max_length=5)
    ecosystem = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    branch_office = models.ForeignKey(
        "membership.BranchOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # cov_fact_office reads facts by office
    )

    class Meta:
        # The month last: on PostgreSQL each month is a partition (ADR 0107) holding one
        # period, and an index whose first column is the same in every row of the partition
        # costs more to build (every comparison of the sort falls through to the next column).
        indexes = [
            models.Index(fields=["village_code", "period"], name="cov_fact_village"),
            models.Index(fields=["branch_office", "period"], name="cov_fact_office"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.village_code} {self.segment} {self.registered}/{self.active}"


class CoverageArea(Counts):
    """A month x region (any level) x slice: what the dashboard and the API read.

    ``segment``, ``ecosystem`` and ``channel`` are ``""`` for "all"; the job writes the slices
    the dashboard offers (docs/coverage/facts.md lists them). ``potential`` is the workforce
    denominator for the region and slice (employed for all, formal employed for PU, informal
    employed for BPU; none for the other slices), ``None`` where there is no figure.
    """

    period = models.CharField(max_length=7, help_text="YYYY-MM")
    level = models.PositiveSmallIntegerField(
        help_text="0 nation, 1 province, 2 regency, 3 district, 4 village"
    )
    region_code = models.CharField(max_length=13, help_text="dotted Kemendagri code; 00 = nation")
    parent_code = models.CharField(max_length=13, blank=True)
    segment = models.CharField(max_length=5, blank=True)
    ecosystem = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    potential = models.BigIntegerField(null=True, blank=True)
    potential_kind = models.CharField(max_length=20, blank=True, help_text="WorkforceKind")
    potential_estimated = models.BooleanField(default=False)
    potential_source = models.CharField(max_length=300, blank=True)

    class Meta:
        # Two indexes besides the key, each built once per month when the month's partition
        # is attached (ADR 0107), the month last (see CoverageFact):
        # - the unique key, region first: a region's row for a month, and its series of months;
        # - the level index: a region's children for a month and slice (level and parent: a
        #   parent's children are all one level below it), and a level's rows (rankings; the
        #   slice then read in the index). Its columns follow the order the job writes the
        #   rows in (level, then region code; a parent code is its children's code prefix), so
        #   that the index sort finds its input already sorted.
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "segment", "ecosystem", "channel", "period"],
                name="cov_area_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=[
                    "level",
                    "parent_code",
                    "region_code",
                    "segment",
                    "ecosystem",
                    "channel",
                    "period",
                ],
                name="cov_area_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.region_code} {self.segment or '*'} {self.active}"


class CoverageOffice(Counts):
    """A month x branch office x slice, for the per-office view."""

    period = models.CharField(max_length=7, help_text="YYYY-MM")
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.CASCADE, related_name="+"
    )
    segment = models.CharField(max_length=5, blank=True)
    ecosystem = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch_office", "segment", "ecosystem"],
                name="cov_office_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} office {self.branch_office_id} {self.segment or '*'} {self.active}"


class TargetLevel(models.IntegerChoices):
    NATIONAL = 0, _("Nasional / national")
    PROVINCE = 1, _("Provinsi / province")
    REGENCY = 2, _("Kabupaten/kota / regency")
    BRANCH_OFFICE = 9, _("Kantor cabang / branch office")


class CoverageTarget(models.Model):
    """A target of active participants to reach by a month, for a region or branch office and
    segment (``""`` = all segments), entered by an authorised user."""

    level = models.PositiveSmallIntegerField(choices=TargetLevel.choices)
    region_code = models.CharField(max_length=13, blank=True, help_text="00 for the nation")
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    segment = models.CharField(max_length=5, blank=True)
    baseline_period = models.CharField(max_length=7, help_text="YYYY-MM the target starts from")
    target_period = models.CharField(max_length=7, help_text="YYYY-MM the target is due")
    target_active = models.BigIntegerField()
    source = models.CharField(max_length=300, blank=True, help_text="decree, plan or agreement")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "region_code", "branch_office", "segment", "target_period"],
                name="cov_target_unique",
            )
        ]

    def __str__(self) -> str:
        where = self.region_code or str(self.branch_office_id)
        return (
            f"target {where} {self.segment or 'all'} {self.target_active} by {self.target_period}"
        )


class PublishedFigure(models.Model):
    """An officially reported coverage figure (active participants, or a coverage rate), with
    its source and date, shown beside the computed ones."""

    region_code = models.CharField(max_length=13, help_text="00 for the nation")
    period = models.CharField(max_length=7, help_text="YYYY-MM the figure describes")
    segment = models.CharField(max_length=5, blank=True)
    measure = models.CharField(
        max_length=24, help_text="active_participants, inactive_participants, coverage_rate, ..."
    )
    value = models.DecimalField(max_digits=18, decimal_places=4)
    precision = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "period", "segment", "measure", "source"],
                name="cov_published_unique",
            )
        ]
        ordering = ["region_code", "period", "segment", "measure"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.measure} {self.value}"
