"""People, employers, branch offices and memberships (kepesertaan), with their history.

Grain of each table:

- ``BranchOffice``: one row per branch office (Kantor Cabang); its service area is a set of
  regencies. No public list of the real offices exists: the demo creates one office per cluster
  of neighbouring regencies and marks it ``is_demo``.
- ``Association``: one row per association or community an employer belongs to (the hook for the
  partner model that comes later).
- ``Person``: one row per NIK. Two people never share a NIK; a second registration is refused.
- ``Employer``: one row per registered employer (Pemberi Kerja), identified by its NPP.
- ``ConstructionProject``: one row per construction contract whose workers are covered as Jakon.
- ``Placement``: one row per placement of a migrant worker (PMI) abroad.
- ``Membership``: one row per participation of a person in one segment (PU with one employer,
  BPU, Jakon on one project, PMI for one placement), identified by its KPJ. A person who changes
  employer has two memberships. The row holds the current state; every change is also written to
  ``MembershipEvent`` so the history is complete.
- ``WageReport``: one row per (membership, contribution month): the wage reported for that month.
  A month is reported once; a different wage next month is a new row.
- ``MembershipEvent``: append-only log, one row per change of a membership (started, programs
  changed, wage changed, income changed, ended), with the values before and after.
- ``IdentifierSequence``: one row per identifier series (NPP per province, KPJ per year): the
  last serial handed out.
- ``DemoPopulation``: one row describing the synthetic population currently loaded, if any.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnly
from jamsos.legal.types import EmployerSize, Industry, Program, Segment
from jamsos.registry.models import Level, Region

#: Programs a membership can hold, as stored: comma-separated, in the law's order. JKK and JKM
#: are in every segment's mandatory set; JKP is never chosen (it follows from the others).
PROGRAM_ORDER: tuple[Program, ...] = (Program.JKK, Program.JKM, Program.JHT, Program.JP)
VALID_PROGRAM_SETS: tuple[str, ...] = ("JKK,JKM", "JKK,JKM,JHT", "JKK,JKM,JP", "JKK,JKM,JHT,JP")


def programs_to_text(programs: set[Program] | frozenset[Program]) -> str:
    """``{JHT, JKM, JKK}`` → ``"JKK,JKM,JHT"`` (the stored form)."""
    return ",".join(p.value for p in PROGRAM_ORDER if p in programs)


def programs_from_text(text: str) -> frozenset[Program]:
    return frozenset(Program(p) for p in text.split(",") if p)


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki / male")
    FEMALE = "F", _("Perempuan / female")


class RecordSource(models.TextChoices):
    """How a row came in: through the services one at a time, a bulk upload, or the demo."""

    SERVICE = "service", _("service")
    BULK_UPLOAD = "bulk_upload", _("bulk upload")
    DEMO = "demo", "demo"


class SegmentChoice(models.TextChoices):
    PU = Segment.PU.value, "PU (Penerima Upah)"
    BPU = Segment.BPU.value, "BPU (Bukan Penerima Upah)"
    JAKON = Segment.JAKON.value, "Jakon (Jasa Konstruksi)"
    PMI = Segment.PMI.value, "PMI (Pekerja Migran Indonesia)"


class EmployerSizeChoice(models.TextChoices):
    MICRO = EmployerSize.MICRO.value, "Mikro"
    SMALL = EmployerSize.SMALL.value, "Kecil"
    MEDIUM = EmployerSize.MEDIUM.value, "Menengah"
    LARGE = EmployerSize.LARGE.value, "Besar"


class IndustryChoice(models.TextChoices):
    """Industries named by PP 7/2025 Pasal 3 ayat (4) (JKK discount), and ``other``."""

    FOOD_BEVERAGE_TOBACCO = Industry.FOOD_BEVERAGE_TOBACCO.value, "Makanan, minuman dan tembakau"
    TEXTILE_APPAREL = Industry.TEXTILE_APPAREL.value, "Tekstil dan pakaian jadi"
    LEATHER_GOODS = Industry.LEATHER_GOODS.value, "Kulit dan barang kulit"
    FOOTWEAR = Industry.FOOTWEAR.value, "Alas kaki"
    CHILDREN_TOYS = Industry.CHILDREN_TOYS.value, "Mainan anak"
    FURNITURE = Industry.FURNITURE.value, "Furnitur"
    OTHER = Industry.OTHER.value, "Lainnya"


class Sector(models.TextChoices):
    """KBLI 2020 sections (Peraturan BPS 2/2020), the first letter of an employer's KBLI code.

    Only the 21 sections are kept: enough to group employers and to pick a plausible JKK risk
    class. The 5-digit KBLI code can be added later without changing this field.
    """

    A = "A", "A: Pertanian, Kehutanan dan Perikanan"
    B = "B", "B: Pertambangan dan Penggalian"
    C = "C", "C: Industri Pengolahan"
    D = "D", "D: Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin"
    E = "E", "E: Pengelolaan Air, Air Limbah, Daur Ulang Sampah dan Remediasi"
    F = "F", "F: Konstruksi"
    G = "G", "G: Perdagangan Besar dan Eceran; Reparasi Mobil dan Sepeda Motor"
    H = "H", "H: Pengangkutan dan Pergudangan"
    I = "I", "I: Penyediaan Akomodasi dan Makan Minum"  # noqa: E741 (the KBLI letter)
    J = "J", "J: Informasi dan Komunikasi"
    K = "K", "K: Aktivitas Keuangan dan Asuransi"
    L = "L", "L: Real Estat"
    M = "M", "M: Aktivitas Profesional, Ilmiah dan Teknis"
    N = "N", "N: Persewaan, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha"
    O = "O", "O: Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib"  # noqa: E741
    P = "P", "P: Pendidikan"
    Q = "Q", "Q: Aktivitas Kesehatan Manusia dan Aktivitas Sosial"
    R = "R", "R: Kesenian, Hiburan dan Rekreasi"
    S = "S", "S: Aktivitas Jasa Lainnya"
    T = "T", "T: Aktivitas Rumah Tangga sebagai Pemberi Kerja"
    U = "U", "U: Aktivitas Badan Internasional dan Ekstra Internasional Lainnya"


class Ecosystem(models.TextChoices):
    """Where a BPU participant was reached (the outreach ecosystems)."""

    PASAR = "pasar", _("Pasar (market)")
    DESA_KELURAHAN = "desa_kelurahan", "Desa / kelurahan"
    E_COMMERCE = "e_commerce", "E-commerce"
    UMKM = "umkm", "UMKM"
    RENTAN = "rentan", _("Pekerja rentan (vulnerable workers)")
    NONE = "none", "-"


class Channel(models.TextChoices):
    """Who registered the membership."""

    SELF = "self", _("Mandiri (self)")
    EMPLOYER = "employer", _("Pemberi kerja (employer)")
    PARTNER = "partner", _("Mitra (partner)")
    CADRE = "cadre", _("Kader / agen (cadre)")
    BRANCH = "branch", _("Kantor cabang (branch office)")


class SponsorKind(models.TextChoices):
    """Third parties that pay a BPU package for someone else."""

    REGIONAL_BUDGET = "regional_budget", _("APBD (regional budget)")
    CSR = "csr", "CSR"
    ZAKAT = "zakat", "Zakat / infaq (BAZNAS)"


class Status(models.TextChoices):
    ACTIVE = "active", "Aktif"
    ENDED = "ended", "Berakhir"


class EndReason(models.TextChoices):
    RESIGNATION = "resignation", _("Mengundurkan diri (resignation)")
    PHK = "phk", _("PHK (dismissal)")
    DEATH = "death", _("Meninggal (death)")
    RETIREMENT = "retirement", _("Pensiun (retirement)")
    TERM_ENDED = "term_ended", _("Kontrak / proyek / penempatan selesai (term ended)")
    OTHER = "other", _("Lainnya (other)")


class WageSource(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    BRANCH = "branch", _("branch office")
    BULK_UPLOAD = "bulk_upload", _("bulk upload")
    DEMO = "demo", "demo"


class EventKind(models.TextChoices):
    STARTED = "started", _("started")
    PROGRAMS_CHANGED = "programs_changed", _("programs changed")
    WAGE_CHANGED = "wage_changed", _("wage changed")
    INCOME_CHANGED = "income_changed", _("income changed")
    SPONSOR_CHANGED = "sponsor_changed", _("sponsor changed")
    ENDED = "ended", _("ended")


def _length_is(field: str, length: int) -> Exact:
    return Exact(Length(field), length)


class BranchOffice(models.Model):
    """A branch office (Kantor Cabang) and the regencies it serves."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    service_area = models.ManyToManyField(
        Region,
        related_name="branch_offices",
        blank=True,
        limit_choices_to={"level": Level.REGENCY},
        help_text="Regencies (kabupaten/kota) served by the office",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Made up by the demo: no public list of real offices exists"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Association(models.Model):
    """An association or community of employers (the partner model will hang from here)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class NameOrder(models.Func):
    """``search_name`` compared and ordered byte by byte, the order of the name index
    (``membership_person_name_order``): ``COLLATE "C"`` on PostgreSQL, whose database collation
    (C.UTF-8) can neither answer a prefix from an index nor read one in order for it; the
    column itself on SQLite, whose order is bytes already. Search names are lower-case ASCII
    (:func:`jamsos.membership.checks.search_name_of`): byte order is the collation's order for
    them, so the same people come in the same order."""

    output_field = models.CharField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        return compiler.compile(self.source_expressions[0])  # type: ignore[no-any-return]

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f'{sql} COLLATE "C"', params


class Person(models.Model):
    """A person, identified by NIK. The NIK's region, birth date and sex agree with the row."""

    # Unique through ``membership_person_nik_unique`` (one index for ``=`` and prefixes).
    nik = models.CharField("NIK", max_length=16)
    name = models.CharField(max_length=120)
    # Searched through membership_person_name_order (NameOrder), no index of its own.
    search_name = models.CharField(max_length=120, editable=False)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    phone = models.CharField(  # noqa: DJ001 (null = no number on file, never "")
        max_length=16, null=True, blank=True, help_text="E.164, e.g. +6281234567890"
    )
    domicile = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="residents",
        limit_choices_to={"level": Level.VILLAGE},
        help_text="Village (desa/kelurahan) of residence",
    )
    source = models.CharField(
        max_length=12, choices=RecordSource.choices, default=RecordSource.SERVICE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name", "nik"]
        constraints = [
            # One index answers both ``nik = ...`` and ``nik LIKE '3204%'`` (a unique field
            # would get two on PostgreSQL: the unique one and a ``varchar_pattern_ops`` copy).
            models.UniqueConstraint(
                fields=["nik"],
                opclasses=["varchar_pattern_ops"],
                name="membership_person_nik_unique",
            ),
            models.CheckConstraint(
                condition=_length_is("nik", 16), name="membership_person_nik_16"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[Sex.MALE, Sex.FEMALE]), name="membership_person_sex"
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__startswith="+62"),
                name="membership_person_phone_e164",
            ),
        ]
        indexes = [
            models.Index(fields=["source"], name="membership_person_source"),
            # The name search (selectors.person_search): a prefix of the name is a range of
            # this index, read in the search's order (name, NIK); the scope's checks (the
            # domicile, the id for a membership) are made on the entries, no row is read.
            models.Index(
                NameOrder("search_name"),
                "nik",
                models.F("domicile"),
                "id",
                name="membership_person_name_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nik})"


class Employer(models.Model):
    """A registered employer (Pemberi Kerja), identified by its NPP."""

    npp = models.CharField("NPP", max_length=10, unique=True)
    npwp = models.CharField("NPWP", max_length=16, unique=True, help_text="16 digits")
    legal_name = models.CharField(max_length=200)
    size = models.CharField(max_length=6, choices=EmployerSizeChoice.choices)
    sector = models.CharField(max_length=1, choices=Sector.choices)
    risk_class = models.PositiveSmallIntegerField(help_text="JKK risk class 1 (very low) … 5")
    industry = models.CharField(
        max_length=24, choices=IndustryChoice.choices, default=IndustryChoice.OTHER
    )
    address_village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="employers",
        limit_choices_to={"level": Level.VILLAGE},
    )
    branch_office = models.ForeignKey(
        BranchOffice, on_delete=models.PROTECT, related_name="employers"
    )
    associations = models.ManyToManyField(Association, related_name="employers", blank=True)
    registered_on = models.DateField()
    source = models.CharField(
        max_length=12, choices=RecordSource.choices, default=RecordSource.SERVICE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name", "npp"]
        constraints = [
            models.CheckConstraint(
                condition=_length_is("npp", 10), name="membership_employer_npp_10"
            ),
            models.CheckConstraint(
                condition=_length_is("npwp", 16), name="membership_employer_npwp_16"
            ),
            models.CheckConstraint(
                condition=Q(risk_class__gte=1, risk_class__lte=5),
                name="membership_employer_risk_class",
            ),
            models.CheckConstraint(
                condition=Q(size__in=EmployerSizeChoice.values), name="membership_employer_size"
            ),
        ]
        indexes = [models.Index(fields=["source"], name="membership_employer_source")]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.npp})"


class ConstructionProject(models.Model):
    """A construction contract (SPK) whose daily, piece-rate and seasonal workers are Jakon."""

    contractor = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=200)
    contract_value_idr = models.BigIntegerField()
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="construction_projects",
        limit_choices_to={"level": Level.VILLAGE},
    )
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_value_idr__gt=0), name="membership_project_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="membership_project_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A migrant worker's placement abroad (the PMI package is priced on its length)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    destination_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    placement_months = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(placement_months__gt=0), name="membership_placement_months_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="membership_placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=_length_is("destination_country", 2),
                name="membership_placement_country_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.destination_country} {self.start_date}–{self.end_date}"


_ACTIVE = Q(status=Status.ACTIVE)


class Membership(models.Model):
    """One person's participation in one segment; the KPJ is its participant card number."""

    # Indexed by (person, branch_office) below; no second index.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    segment = models.CharField(max_length=5, choices=SegmentChoice.choices)
    # Unique through ``membership_kpj_unique`` (one index for ``=`` and prefixes).
    kpj = models.CharField("KPJ", max_length=11)
    # Indexed by membership_employer_list (employer first); no second index.
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        db_index=False,
        help_text="PU: the employer; Jakon: the contractor",
    )
    declared_income_idr = models.BigIntegerField(null=True, blank=True, help_text="BPU only")
    ecosystem = models.CharField(max_length=16, choices=Ecosystem.choices, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Null when nobody else pays; the three fields become a partner foreign key later.
    sponsor_name = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    sponsor_kind = models.CharField(  # noqa: DJ001
        max_length=16, choices=SponsorKind.choices, null=True, blank=True
    )
    sponsor_ref = models.CharField(  # noqa: DJ001
        max_length=64,
        null=True,
        blank=True,
        help_text="Reference of the sponsoring partner (becomes a foreign key with the partners)",
    )
    # Indexed by membership_branch_list (office first); no second index.
    branch_office = models.ForeignKey(
        BranchOffice,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        db_index=False,
        help_text=(
            "The office serving the membership: the employer's (PU, Jakon), else the one whose "
            "service area holds the person's domicile (BPU, PMI)"
        ),
    )
    # The partner (agreement holder, ecosystem, cadre network) that registered the membership;
    # becomes a foreign key to the partner with the partner model.
    partner_ref = models.CharField(  # noqa: DJ001
        max_length=64,
        null=True,
        blank=True,
        help_text="Reference of the partner that registered the membership",
    )
    # Jakon and PMI only: partial indexes below, of the rows that hold one.
    project = models.ForeignKey(
        ConstructionProject,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        db_index=False,
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        db_index=False,
    )
    programs = models.CharField(
        max_length=20, help_text="Programs joined, in the law's order: JKK,JKM,JHT,JP"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # A fixed-term membership (ad hoc election workers, a sponsor's term) ends by itself after
    # this day: `jamsos enrolment end-terms` ends every open one whose term has passed.
    term_until = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(
        max_length=12, choices=RecordSource.choices, default=RecordSource.SERVICE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "kpj"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpj"], opclasses=["varchar_pattern_ops"], name="membership_kpj_unique"
            ),
            models.CheckConstraint(condition=_length_is("kpj", 11), name="membership_kpj_11"),
            models.CheckConstraint(
                condition=Q(programs__in=VALID_PROGRAM_SETS), name="membership_programs_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=(_ACTIVE & Q(end_date__isnull=True, end_reason=""))
                | Q(status=Status.ENDED, end_date__isnull=False, end_reason__in=EndReason.values),
                name="membership_status_matches_end",
            ),
            models.CheckConstraint(
                condition=Q(declared_income_idr__isnull=True) | Q(declared_income_idr__gt=0),
                name="membership_income_positive",
            ),
            models.CheckConstraint(
                condition=Q(
                    segment=Segment.PU.value,
                    employer__isnull=False,
                    declared_income_idr__isnull=True,
                    project__isnull=True,
                    placement__isnull=True,
                )
                | Q(
                    segment=Segment.BPU.value,
                    employer__isnull=True,
                    declared_income_idr__isnull=False,
                    project__isnull=True,
                    placement__isnull=True,
                )
                | Q(
                    segment=Segment.JAKON.value,
                    employer__isnull=False,
                    declared_income_idr__isnull=True,
                    project__isnull=False,
                    placement__isnull=True,
                )
                | Q(
                    segment=Segment.PMI.value,
                    employer__isnull=True,
                    declared_income_idr__isnull=True,
                    project__isnull=True,
                    placement__isnull=False,
                ),
                name="membership_segment_fields",
            ),
            models.CheckConstraint(
                condition=Q(sponsor_kind__isnull=True) | Q(sponsor_name__isnull=False),
                name="membership_sponsor_named",
            ),
            models.UniqueConstraint(
                fields=["person", "employer"],
                condition=_ACTIVE & Q(segment=Segment.PU.value),
                name="membership_one_active_pu_per_employer",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=_ACTIVE & Q(segment=Segment.BPU.value),
                name="membership_one_active_bpu",
            ),
            models.UniqueConstraint(
                fields=["person", "project"],
                condition=_ACTIVE & Q(segment=Segment.JAKON.value),
                name="membership_one_active_jakon_per_project",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=_ACTIVE & Q(segment=Segment.PMI.value),
                name="membership_one_active_pmi",
            ),
        ]
        indexes = [
            models.Index(fields=["segment", "status"], name="membership_segment_status"),
            models.Index(fields=["source"], name="membership_source"),
            # The scoped lists, newest first (membership_list): one index range per scope.
            models.Index(
                fields=["branch_office", "-start_date", "-id"], name="membership_branch_list"
            ),
            # Of the rows with an employer (PU, Jakon): ``employer_id = ...`` implies it.
            models.Index(
                fields=["employer", "-start_date", "-id"],
                condition=Q(employer__isnull=False),
                name="membership_employer_list",
            ),
            models.Index(
                fields=["partner_ref", "-start_date", "-id"],
                condition=Q(partner_ref__isnull=False),
                name="membership_partner_list",
            ),
            models.Index(fields=["-start_date", "-id"], name="membership_newest"),
            # A person's memberships; with the office, the name search's check of a branch
            # officer's scope reads this index only (selectors._scope_parts).
            models.Index(fields=["person", "branch_office"], name="membership_person_office"),
            models.Index(
                fields=["project"], condition=Q(project__isnull=False), name="membership_of_project"
            ),
            models.Index(
                fields=["placement"],
                condition=Q(placement__isnull=False),
                name="membership_of_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"KPJ {self.kpj} ({self.segment}, {self.status})"

    @property
    def program_set(self) -> frozenset[Program]:
        return programs_from_text(self.programs)


class WageReport(models.Model):
    """The wage (upah) reported for one membership and one contribution month."""

    # Indexed by the (membership, period) unique constraint; no second index.
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="wage_reports", db_index=False
    )
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    wage_idr = models.BigIntegerField()
    reported_at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=WageSource.choices)

    class Meta:
        ordering = ["membership", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period"], name="membership_wage_one_per_period"
            ),
            models.CheckConstraint(condition=Q(wage_idr__gt=0), name="membership_wage_positive"),
            models.CheckConstraint(
                condition=_length_is("period", 7), name="membership_wage_period_7"
            ),
        ]
        indexes = [models.Index(fields=["period"], name="membership_wage_period")]

    def __str__(self) -> str:
        return f"{self.period}: {self.wage_idr}"


class MembershipEvent(AppendOnly):
    """One change of a membership, never updated nor deleted through the ORM."""

    append_only_label = "membership events"

    # Indexed by (membership, at) below; no second index.
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    # Null for the runs and loads (no one signed in): a partial index of the rows that name one.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["membership", "at", "id"]
        indexes = [
            models.Index(fields=["membership", "at"], name="membership_event_at"),
            models.Index(
                fields=["actor"], condition=Q(actor__isnull=False), name="membership_event_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d}"


class IdentifierSequence(models.Model):
    """The last serial handed out in one identifier series (``npp:32``, ``kpj:2025``)."""

    name = models.CharField(max_length=20, unique=True)
    last_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_value__gte=0), name="membership_sequence_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"


class DemoPopulation(models.Model):
    """The synthetic population loaded by ``jamsos demo``: its parameters and counts."""

    seed = models.IntegerField()
    workers = models.PositiveIntegerField()
    as_of = models.DateField()
    built_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"demo seed {self.seed}, {self.workers} workers"
