"""Regions (Kemendagri codes, by edition), their boundaries, population and workforce figures.

Grain of each table:

- ``RegionEdition``: one row per published code list (a Kepmendagri decree), e.g. 300.2.2-2430/2025.
- ``Region``: one row per (edition, code); the nation (code ``00``), 38 provinces, 514 regencies,
  7,285 districts and 83,762 villages for the 2025 edition. A later edition is loaded beside the
  earlier one: rows are never rewritten to a new edition, so history stays joinable.
- ``RegionBoundary``: one simplified MultiPolygon per region row.
- ``RegionPopulation``: one row per (region, period), registered residents (Dukcapil).
- ``WorkforceFigure``: one number per (region, period, kind), published or estimated, with its
  source, confidence and method.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Depth in the Kemendagri hierarchy; sorting by level puts larger regions first.

    The labels are names for programs (command options, report keys), not for pages.
    """

    NATIONAL = 0, "national"
    PROVINCE = 1, "province"
    REGENCY = 2, "regency"
    DISTRICT = 3, "district"
    VILLAGE = 4, "village"


class Kind(models.TextChoices):
    """The legal form of a region at its level (terms of art, kept in Indonesian)."""

    NONE = "", "-"
    PROVINSI = "provinsi", "Provinsi"
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"
    KECAMATAN = "kecamatan", "Kecamatan"
    DISTRIK = "distrik", "Distrik"
    KELURAHAN = "kelurahan", "Kelurahan"
    DESA = "desa", "Desa"
    DESA_ADAT = "desa_adat", "Desa adat"


NATIONAL_CODE = "00"


class RegionEdition(models.Model):
    """One official code list. Exactly one edition is current: lookups without an edition use it."""

    name = models.SlugField(max_length=64, unique=True)
    decree = models.CharField(max_length=200, blank=True)
    source = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="registry_edition_one_current",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A region of one edition. ``code`` is the dotted Kemendagri code (``32.04.01.2001``).

    ``province_code`` / ``regency_code`` / ``district_code`` hold the codes of the region's
    ancestors and its own code at its own level (regency ``32.04``: ``32`` / ``32.04`` / empty),
    so that a scope is one indexed equality (``regency_code = '32.04'`` selects the regency and
    everything in it) rather than a tree walk.
    """

    edition = models.ForeignKey(RegionEdition, on_delete=models.CASCADE, related_name="regions")
    code = models.CharField(max_length=13)
    code_nodot = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    search_name = models.CharField(max_length=120, editable=False)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    province_code = models.CharField(max_length=2, blank=True)
    regency_code = models.CharField(max_length=5, blank=True)
    district_code = models.CharField(max_length=8, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["edition_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="registry_region_code_uniq"),
            models.CheckConstraint(
                condition=Q(level__gte=Level.NATIONAL, level__lte=Level.VILLAGE),
                name="registry_region_level_valid",
            ),
        ]
        indexes = [
            # Name prefix search within an edition and level (autocomplete asks level by level,
            # larger regions first, and stops at the limit). LIKE 'x%' on PostgreSQL needs a
            # pattern opclass whatever the database collation; SQLite ignores opclasses and
            # answers a range (>= 'x' AND < 'y') from the same index. Code prefixes use the
            # unique index on SQLite and a PostgreSQL-only pattern index (migration 0002).
            models.Index(
                fields=["edition", "level", "search_name"],
                opclasses=["int8_ops", "int2_ops", "varchar_pattern_ops"],
                name="registry_rg_sname",
            ),
            models.Index(fields=["edition", "level", "code"], name="registry_rg_level"),
            models.Index(fields=["province_code"], name="registry_rg_prov"),
            models.Index(fields=["regency_code"], name="registry_rg_regency"),
            models.Index(fields=["district_code"], name="registry_rg_district"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RegionBoundary(models.Model):
    """A simplified MultiPolygon (GeoJSON text, WGS84 lon/lat) and the region's centroid."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.TextField(help_text="GeoJSON geometry object, compact JSON text")
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "region boundaries"

    def __str__(self) -> str:
        return f"boundary of {self.region_id}"


class RegionPopulation(models.Model):
    """Registered residents at the end of a period (Dukcapil semester data) and area in km²."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="populations")
    period = models.CharField(max_length=7, help_text="YYYY-MM, e.g. 2024-12")
    male = models.BigIntegerField(null=True, blank=True)
    female = models.BigIntegerField(null=True, blank=True)
    total = models.BigIntegerField()
    area_km2 = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="registry_population_uniq"),
            models.CheckConstraint(condition=Q(total__gte=0), name="registry_population_total"),
        ]

    def __str__(self) -> str:
        return f"population {self.region_id} {self.period}: {self.total}"


class WorkforceKind(models.TextChoices):
    WORKING_AGE = "working_age", _("Working-age population (15+)")
    LABOUR_FORCE = "labour_force", _("Labour force")
    EMPLOYED = "employed", _("Employed")
    FORMAL_EMPLOYED = "formal_employed", _("Formal employed")
    INFORMAL_EMPLOYED = "informal_employed", _("Informal employed")


class Confidence(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class WorkforceFigure(models.Model):
    """One workforce count for a region and period (persons).

    ``estimated`` is true for every number that was not published as such: derived in the
    source file, derived from a published share, or apportioned by ``jamsos workforce estimate``.
    ``method`` says how, in words.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="workforce")
    period = models.CharField(max_length=7, help_text="YYYY-MM survey round, e.g. 2024-08")
    kind = models.CharField(max_length=20, choices=WorkforceKind.choices)
    count = models.BigIntegerField()
    source = models.CharField(max_length=300)
    source_urls = models.TextField(blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices)
    estimated = models.BooleanField(default=False)
    method = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "kind"], name="registry_workforce_uniq"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="registry_workforce_count"),
        ]
        indexes = [models.Index(fields=["period", "kind"], name="registry_wf_period_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.region_id} {self.period}: {self.count}"
