"""Expanding coverage: partners, agreements (PKS) with targets, ecosystems, outreach events,
door-to-door listing (pendataan) and bulk or sponsored enrolment (docs/partners/).

A partner's ``code`` is the reference the rest of the system already carries:
``access.UserAccess.partner_ref`` (whose partner a partner user works for) and
``membership.Membership.partner_ref`` (which partner registered a membership). Enrolments are
attributed to an agreement through that reference and the agreement's scope and dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------------------------
# Partners and agreements
# ---------------------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    EMPLOYER_ASSOCIATION = "employer_association", _("Asosiasi pengusaha / employer association")
    REGIONAL_GOVERNMENT = "regional_government", _("Pemerintah daerah / regional government")
    UNION = "union", _("Serikat pekerja / union or confederation")
    COMPANY = "company", _("Perusahaan (CSR) / company (CSR)")
    ZAKAT_BODY = "zakat_body", _("Lembaga zakat atau amal / zakat or charity body")
    PLATFORM = "platform", _("E-commerce atau pengelola pasar / e-commerce or market operator")
    CADRE_GROUP = "cadre_group", _("Kelompok kader / community cadre group")
    COOPERATIVE = "cooperative", _("Koperasi / cooperative")


class Partner(models.Model):
    """An organisation that helps enrol workers. A regional government's level is its
    region's level (province, regency, district or village)."""

    code = models.SlugField(max_length=64, unique=True, help_text="= partner_ref elsewhere")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=PartnerKind.choices)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Seat or jurisdiction; empty for a national partner",
    )
    association = models.ForeignKey(
        "membership.Association",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        help_text="For an employer association: its members are employers of this association",
    )
    branch_office = models.ForeignKey(
        "membership.BranchOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text="The branch office that manages the relationship",
    )
    is_active = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    position = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner.code})"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draf / draft")
    SIGNED = "signed", _("Ditandatangani / signed")
    ACTIVE = "active", _("Berlaku / active")
    EXPIRED = "expired", _("Berakhir / expired")
    RENEWED = "renewed", _("Diperpanjang / renewed")
    TERMINATED = "terminated", _("Diputus / terminated")


class Agreement(models.Model):
    """A cooperation agreement (perjanjian kerja sama, PKS) between a branch office and a
    partner: its scope (regions, segments, ecosystems), dates and commitments.

    Lifecycle: draft -> signed -> active (from ``starts_on``) -> expired (after ``ends_on``)
    or renewed (a new agreement with ``renewed_from`` pointing here) or terminated.
    """

    number = models.CharField(max_length=80, unique=True, help_text="The PKS number")
    title = models.CharField(max_length=250)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    other_partners = models.ManyToManyField(Partner, blank=True, related_name="co_agreements")
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="agreements"
    )
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    renewed_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    regions = models.ManyToManyField(
        "registry.Region", blank=True, related_name="+", help_text="Empty = the partner's region"
    )
    segments = models.CharField(
        max_length=40, blank=True, help_text="Comma-separated PU,BPU,JAKON,PMI; empty = all"
    )
    ecosystems = models.CharField(
        max_length=120, blank=True, help_text="Comma-separated ecosystem values; empty = all"
    )
    budget_idr = models.BigIntegerField(
        null=True, blank=True, help_text="Budget committed (e.g. sponsored contributions), rupiah"
    )
    sponsored_workers = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of workers whose contributions the partner pays"
    )
    reporting_duty = models.TextField(blank=True, help_text="What the partner reports, and when")
    document_ref = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="partners_agreement_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.partner.code})"


class AgreementTarget(models.Model):
    """A commitment of an agreement: enrolments (and optionally active participants) to reach
    between two months, for a segment (``""`` = all)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    period_from = models.CharField(max_length=7, help_text="YYYY-MM")
    period_to = models.CharField(max_length=7, help_text="YYYY-MM")
    segment = models.CharField(max_length=5, blank=True)
    enrolments = models.PositiveIntegerField()
    active = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "period_from"]

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.period_from}..{self.period_to}: {self.enrolments}"


# ---------------------------------------------------------------------------------------------
# Ecosystems and events
# ---------------------------------------------------------------------------------------------


class EcosystemKind(models.TextChoices):
    """The values of ``membership.Ecosystem`` plus construction projects."""

    PASAR = "pasar", _("Pasar / market")
    DESA_KELURAHAN = "desa_kelurahan", "Desa / kelurahan"
    E_COMMERCE = "e_commerce", "Platform e-commerce"
    UMKM = "umkm", _("Klaster UMKM / micro-enterprise cluster")
    CONSTRUCTION = "construction", _("Proyek konstruksi / construction project")
    RENTAN = "rentan", _("Kelompok pekerja rentan / vulnerable-worker group")


class EcosystemSite(models.Model):
    """A concrete ecosystem: a market, a village, a platform, a UMKM cluster, a project, a
    group of vulnerable workers; placed in a region and linked to partners."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=EcosystemKind.choices)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    partners = models.ManyToManyField(Partner, blank=True, related_name="ecosystems")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    AUDIENCE = "audience", _("Audiensi / audience")
    SOCIALISATION = "socialisation", _("Sosialisasi / socialisation")
    FOCUS_GROUP = "focus_group", _("Diskusi kelompok terarah (FGD) / focus group")
    TALK_SHOW = "talk_show", _("Talk show")
    SAFARI = "safari", _("Safari / visit (e.g. Safari Ramadan)")
    SHARING_SESSION = "sharing_session", _("Sharing session")


class OutreachEvent(models.Model):
    """An outreach event. Enrolments are attributed to it by the rule in
    docs/partners/events.md (``EventEnrolment`` holds the result)."""

    kind = models.CharField(max_length=16, choices=EventKind.choices)
    title = models.CharField(max_length=250)
    held_on = models.DateField()
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="events"
    )
    partners = models.ManyToManyField(Partner, blank=True, related_name="events")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    ecosystem = models.ForeignKey(
        EcosystemSite, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    attendance = models.PositiveIntegerField(default=0)
    registrations_on_site = models.PositiveIntegerField(
        default=0, help_text="Registrations made at the event, as reported"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class EventEnrolment(models.Model):
    """A membership attributed to an event, and by which rule."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="enrolments")
    membership = models.OneToOneField(
        "membership.Membership", on_delete=models.CASCADE, related_name="event_enrolment"
    )
    rule = models.CharField(max_length=24, help_text="e.g. on_site, after_event")

    def __str__(self) -> str:
        return f"{self.event_id} <- {self.membership_id} ({self.rule})"


# ---------------------------------------------------------------------------------------------
# Door-to-door listing (pendataan)
# ---------------------------------------------------------------------------------------------


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan / planned")
    RUNNING = "running", _("Berjalan / running")
    CLOSED = "closed", _("Selesai / closed")


class Campaign(models.Model):
    """A listing campaign in one kelurahan or village, with its cadres and period."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    village = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="campaigns"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="partners_campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    """A cadre (kader, RT/RW head, kelurahan official) assigned to a campaign; ``user`` is
    their partner-user account when they sign in to record prospects."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cadres")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True)
    code = models.CharField(max_length=32, help_text="Short code cadres type in the form")

    class Meta:
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="partners_cadre_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign.code})"


class ProspectSource(models.TextChoices):
    FORM = "form", _("Formulir web / web form")
    UPLOAD = "upload", _("Unggah CSV/XLSX / upload")
    XLSFORM_CSV = "xlsform_csv", "Ekspor CSV KoboToolbox/ODK"
    XLSFORM_JSON = "xlsform_json", "Ekspor JSON KoboToolbox/ODK"


class MatchStatus(models.TextChoices):
    NEW = "new", _("Belum terdaftar / not registered")
    COVERED = "covered", _("Sudah peserta aktif / already an active member")
    REACTIVATION = "reactivation", _("Peserta nonaktif, perlu reaktivasi / inactive member")
    POSSIBLE_MATCH = "possible_match", _("Mungkin orang yang sama / possibly the same person")
    DUPLICATE = "duplicate", _("Duplikat dalam daftar / duplicate in the list")


class Prospect(models.Model):
    """A worker listed by a cadre: who, where, what they do, consent, and what became of them.

    Funnel: listed (every row) -> contacted (``contacted_on``) -> registered
    (``registered_membership``) -> first payment -> still active after 3 months (the last two
    read from billing through the registered membership).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prospects")
    cadre = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="prospects"
    )
    nik = models.CharField("NIK", max_length=16)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    occupation = models.CharField(max_length=120, blank=True)
    estimated_income_idr = models.BigIntegerField(null=True, blank=True)
    ecosystem = models.CharField(max_length=16, blank=True)
    village = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=250, blank=True)
    consent_contact = models.BooleanField(default=False)
    source = models.CharField(max_length=12, choices=ProspectSource.choices)
    source_ref = models.CharField(
        max_length=80, blank=True, help_text="Submission id (XLSForm instanceID / _uuid) or row"
    )
    match_status = models.CharField(
        max_length=14, choices=MatchStatus.choices, default=MatchStatus.NEW
    )
    match_reason = models.CharField(max_length=250, blank=True)
    matched_person = models.ForeignKey(
        "membership.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    matched_membership = models.ForeignKey(
        "membership.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contacted_on = models.DateField(null=True, blank=True)
    registered_membership = models.ForeignKey(
        "membership.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospects",
    )
    listed_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "-listed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "source_ref"],
                condition=~Q(source_ref=""),
                name="partners_prospect_submission_once",
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "match_status"], name="partners_prospect_status"),
            models.Index(fields=["nik"], name="partners_prospect_nik"),
            models.Index(fields=["village", "listed_on"], name="partners_prospect_village"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign.code})"


# ---------------------------------------------------------------------------------------------
# Bulk and sponsored enrolment
# ---------------------------------------------------------------------------------------------


class BatchKind(models.TextChoices):
    ASSOCIATION_WORKERS = (
        "association",
        _("Pekerja perusahaan anggota asosiasi / association members' workers"),
    )
    ELECTION_WORKERS = "election", _("Petugas ad hoc pemilu/pilkada / ad hoc election workers")
    SPONSORED = "sponsored", _("Pekerja rentan yang dibiayai / sponsored vulnerable workers")
    # Self-paying BPU workers of a partner's ecosystem: the worker is the payer, not a sponsor.
    MARKET = "market", _("Pedagang pasar (bayar sendiri) / market traders (self-paying)")
    ECOMMERCE = (
        "ecommerce",
        _("Penjual e-commerce (bayar sendiri) / e-commerce sellers (self-paying)"),
    )
    COOPERATIVE = (
        "cooperative",
        _("Anggota koperasi (bayar sendiri) / cooperative members (self-paying)"),
    )


#: The list kinds whose workers pay their own contributions (no sponsor, no term): each gets a
#: virtual account and a first invoice on approval, as a self-registered worker does.
SELF_PAYING_KINDS = frozenset({BatchKind.MARKET, BatchKind.ECOMMERCE, BatchKind.COOPERATIVE})


class BatchStatus(models.TextChoices):
    STAGED = "staged", _("Diunggah / staged")
    VALIDATED = "validated", _("Diperiksa / validated")
    APPROVED = "approved", _("Disetujui / approved")
    REJECTED = "rejected", _("Ditolak / rejected")
    ENROLLED = "enrolled", _("Didaftarkan / enrolled")
    FAILED = "failed", _("Gagal / failed")


class EnrolmentBatch(models.Model):
    """A list a partner uploads for enrolment: staged, validated row by row, matched,
    approved by a branch officer (maker-checker: the approver is not the uploader), then
    enrolled. ``idempotency_key`` makes a retried upload the same batch."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="batches")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="batches"
    )
    kind = models.CharField(max_length=12, choices=BatchKind.choices)
    idempotency_key = models.CharField(max_length=80)
    file_name = models.CharField(max_length=250, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.STAGED
    )
    branch_office = models.ForeignKey(
        "membership.BranchOffice", on_delete=models.PROTECT, related_name="enrolment_batches"
    )
    term_from = models.DateField(null=True, blank=True, help_text="Fixed term start")
    term_until = models.DateField(null=True, blank=True, help_text="Fixed term end (inclusive)")
    sponsor_kind = models.CharField(max_length=16, blank=True, help_text="membership.SponsorKind")
    sponsor_ref = models.CharField(max_length=64, blank=True)
    sponsor_name = models.CharField(max_length=200, blank=True)
    employer = models.ForeignKey(
        "membership.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a list of one company's workers",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "idempotency_key"], name="partners_batch_idempotent"
            ),
            models.CheckConstraint(
                condition=Q(term_until__isnull=True)
                | Q(term_from__isnull=False, term_until__gte=models.F("term_from")),
                name="partners_batch_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.kind} {self.idempotency_key} ({self.status})"


class RowStatus(models.TextChoices):
    VALID = "valid", _("Sah / valid")
    INVALID = "invalid", _("Tidak sah / invalid")
    DUPLICATE = "duplicate", _("Duplikat dalam daftar / duplicate in the list")
    EXISTING = "existing", _("Sudah peserta / already a member")
    ENROLLED = "enrolled", _("Didaftarkan / enrolled")
    SKIPPED = "skipped", _("Dilewati / skipped")


class EnrolmentRow(models.Model):
    """One row of a batch, as uploaded (``data``) and as judged (status and reason)."""

    batch = models.ForeignKey(EnrolmentBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    nik = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.VALID)
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(
        "membership.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        "membership.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="partners_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.row_number} {self.status}"


# The register of regional policy work (its own module; docs/partners/regional.md).
from jamsos.partners.regional_models import (  # noqa: E402
    Commitment,
    CommitmentStatus,
    InstrumentKind,
    InstrumentStatus,
    RegionalInstrument,
)

__all__ = [
    "Commitment",
    "CommitmentStatus",
    "InstrumentKind",
    "InstrumentStatus",
    "RegionalInstrument",
]
