"""The partners part of the demo: partners, agreements, an outreach event, a kelurahan listing
campaign and a sponsored list, all made through the services, dated January-February 2025 (the
demo population is as of 28 February 2025).

``demo_partners_build`` runs after the demo population and its accounts and before the billing
demo, so that the memberships it makes are billed and paid by it (the billing demo draws a
payer's habit from the NIK or the sponsor reference). It is idempotent: when its partners exist
it does nothing.

The path it leaves for the pages (docs/partners/README.md):

- the regional government of the demo partner user's regency (``demo-mitra``) with its
  agreement (renewing an older one), targets, a market and a socialisation there on
  15 January 2025;
- a campaign in the regency's kelurahan with the most demo residents: two cadres (one is
  ``demo-mitra``), about thirty listed workers (some already members, some whose membership
  ended, one possibly the same person as someone on file, a row listed twice), a dozen
  contacted, ten new ones and two lapsed ones registered (two at the socialisation, the rest in
  February), billed from their first month and paying the way the billing demo's payers pay;
- the province's zakat body (``demo-baznas``) uploading twenty vulnerable workers whose
  contributions it pays for March-December 2025, approved by ``demo-cabang`` on
  20 February 2025: the March 2025 run sends one invoice to the zakat body;
- an employer association, a union with an expired agreement, a second campaign of the office
  (without a partner) that ``demo-mitra`` does not see.
"""

from __future__ import annotations

import csv
import io
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.text import slugify

from jamsos.access.models import Role, UserAccess
from jamsos.access.scope import Scope, scope_for_user
from jamsos.access.services import DEMO_PASSWORD
from jamsos.demo.population.names import NameMaker
from jamsos.membership.models import (
    Association,
    BranchOffice,
    DemoPopulation,
    Membership,
    Person,
    RecordSource,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.partners.models import (
    Agreement,
    Campaign,
    EnrolmentBatch,
    MatchStatus,
    Partner,
    PartnerKind,
    Prospect,
)
from jamsos.registry.models import Level, Region

OPERATOR = Scope.operator("demo")
#: The demo population's date; everything here happens before it.
AS_OF = date(2025, 2, 28)
SEED = "partners-demo"
#: Sponsored workers' term (the zakat body pays March to December 2025).
SPONSORED_FROM = date(2025, 3, 1)
SPONSORED_UNTIL = date(2025, 12, 31)
SPONSORED_WORKERS = 20
#: The demo's cadre accounts and the zakat body's partner user.
CADRE_USERNAME = "demo-mitra"
OFFICER_USERNAME = "demo-cabang"
ZAKAT_USERNAME = "demo-baznas"
_PROVINCE_SHORT = {"31": ("dki", "DKI Jakarta")}
_OCCUPATIONS = (
    ("Pedagang sayur", "pasar", 2_500_000),
    ("Pedagang kaki lima", "desa_kelurahan", 2_000_000),
    ("Pengemudi ojek daring", "e_commerce", 3_000_000),
    ("Penjahit rumahan", "umkm", 1_800_000),
    ("Buruh angkut pasar", "pasar", 1_500_000),
    ("Tukang cukur", "desa_kelurahan", 2_200_000),
    ("Penjual gorengan", "umkm", 1_500_000),
    ("Pedagang ikan", "pasar", 2_800_000),
    ("Montir motor", "desa_kelurahan", 2_500_000),
    ("Pengrajin sepatu", "umkm", 2_000_000),
)
_VULNERABLE_OCCUPATIONS = (
    "Pemulung",
    "Buruh harian lepas",
    "Pedagang asongan",
    "Pengemudi bajaj",
    "Petugas kebersihan lingkungan",
    "Tukang parkir",
    "Buruh cuci",
    "Marbot masjid",
)


@dataclass(frozen=True)
class _Actors:
    officer: Scope  # demo-cabang, the branch officer (checker)
    cadre: Scope | None  # demo-mitra, the government's partner user and cadre
    office: BranchOffice
    regency: Region
    province: Region


def demo_partners_build() -> dict[str, Any]:
    """Build the partners demo once (see the module's description); a summary of counts."""
    started = time.perf_counter()
    actors = _actors()
    if actors is None:
        return {"partners": "skipped: no demo population or no demo branch officer"}
    government_code = f"pks-{actors.regency.code_nodot}"
    if Partner.objects.filter(code=government_code).exists():
        return {"partners": "already built"}
    with transaction.atomic():
        _partner_refs_lowercase()
        actors = _actors()
        assert actors is not None
        summary = _build(actors, government_code)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


# ---------------------------------------------------------------------------------------------
# Who acts
# ---------------------------------------------------------------------------------------------


def _scope_of(username: str) -> Scope | None:
    user = get_user_model().objects.filter(username=username).first()
    return scope_for_user(user) if user is not None else None


def _actors() -> _Actors | None:
    if not DemoPopulation.objects.exists():
        return None
    officer_access = (
        UserAccess.objects.select_related("branch_office")
        .filter(user__username=OFFICER_USERNAME, role=Role.BRANCH_OFFICER)
        .first()
    )
    if officer_access is None or officer_access.branch_office is None:
        return None
    office = officer_access.branch_office
    officer = _scope_of(OFFICER_USERNAME)
    cadre = _scope_of(CADRE_USERNAME)
    regencies = sorted(officer.regency_codes) if officer else []
    if not officer or not regencies:
        return None
    # The regency of the demo partner user's partner (``pks-3175`` -> 31.75) when the office
    # serves it; else the office's regency with the most demo residents.
    wanted = ""
    if cadre is not None and cadre.partner_ref.lower().startswith("pks-"):
        digits = cadre.partner_ref[4:]
        wanted = f"{digits[:2]}.{digits[2:]}"
    if wanted not in regencies:
        cadre = None
        wanted = (
            Person.objects.filter(domicile__regency_code__in=regencies)
            .values("domicile__regency_code")
            .annotate(n=Count("id"))
            .order_by("-n", "domicile__regency_code")
            .values_list("domicile__regency_code", flat=True)
            .first()
        ) or regencies[0]
    regency = Region.objects.get(edition__is_current=True, code=wanted)
    province = Region.objects.get(edition__is_current=True, code=regency.province_code)
    return _Actors(officer, cadre, office, regency, province)


def _partner_refs_lowercase() -> None:
    """Partner codes are lowercase (``partners.Partner.code``); the demo population and its
    partner user may carry ``PKS-3175``: bring them to the partner's code (two set-based
    updates; nothing to do when they are lowercase already)."""
    Membership.objects.filter(source=RecordSource.DEMO, partner_ref__startswith="PKS-").update(
        partner_ref=Lower("partner_ref")
    )
    UserAccess.objects.filter(
        is_demo=True, role=Role.PARTNER_USER, partner_ref__startswith="PKS-"
    ).update(partner_ref=Lower("partner_ref"))


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


def _build(actors: _Actors, government_code: str) -> dict[str, Any]:
    rng = random.Random(SEED)
    partners = _partners(actors, government_code)
    agreements = _agreements(actors, partners)
    campaign_village = _campaign_village(actors.regency)
    sites = _ecosystems(actors, partners, campaign_village)
    events = _events(actors, partners, agreements, sites, campaign_village)
    campaign, listing = _campaign(actors, partners, agreements, campaign_village, rng)
    other = _other_campaign(actors, rng)
    sponsored = _sponsored(actors, partners, agreements, rng)
    from jamsos.partners.services.agreements import agreements_expire
    from jamsos.partners.services.attribution import events_attribute
    from jamsos.partners.services.regional import regional_load, seed_file

    agreements_expire(scope=OPERATOR, today=AS_OF)
    attributed = events_attribute(scope=OPERATOR)
    regional = regional_load(OPERATOR, seed_file())
    return {
        "regional register (seed rows)": regional.summary(),
        "partners": Partner.objects.count(),
        "agreements": Agreement.objects.count(),
        "ecosystems": len(sites),
        "events": f"{len(events)}, {attributed.attributed} enrolments attributed",
        "campaign": (
            f"{campaign.code} ({campaign.village.name}): {listing['listed']} listed "
            f"({listing['covered']} covered, {listing['reactivation']} reactivation, "
            f"{listing['possible_match']} possible match, {listing['refused']} row refused), "
            f"{listing['contacted']} contacted, {listing['registered']} registered"
        ),
        "other campaign": f"{other.code}: {other.prospects.count()} listed",
        "sponsored list": (
            f"batch {sponsored['batch']} by {ZAKAT_USERNAME}: {sponsored['enrolled']} enrolled, "
            f"sponsorship {sponsored['sponsorship']} "
            f"{SPONSORED_FROM:%Y-%m}..{SPONSORED_UNTIL:%Y-%m}"
        ),
        "accounts": f"{ZAKAT_USERNAME} (partner_user: {partners['zakat'].code})",
    }


def _partners(actors: _Actors, government_code: str) -> dict[str, Partner]:
    from jamsos.partners.services.partners import partner_create

    scope = actors.officer
    short, province_name = _PROVINCE_SHORT.get(
        actors.province.code, (actors.province.code_nodot, actors.province.name)
    )
    city = actors.regency.name
    domain = slugify(city.replace("Kota Administrasi", "").replace("Kabupaten", "")) or "daerah"
    government = partner_create(
        scope=scope,
        code=government_code,
        name=f"Pemerintah {city}",
        kind=PartnerKind.REGIONAL_GOVERNMENT,
        region=actors.regency,
        note="Dinas Tenaga Kerja, Transmigrasi dan Energi bersama kelurahan dan kader PKK.",
        contacts=[
            {
                "name": "Drs. Heru Santoso, M.Si.",
                "position": "Kepala Suku Dinas Tenaga Kerja, Transmigrasi dan Energi",
                "phone": "081281234501",
                "email": f"sudinnakertrans@{domain}.go.id",
                "is_primary": True,
            },
            {
                "name": "Rina Marlina, S.Sos.",
                "position": "Kepala Seksi Pengawasan Ketenagakerjaan",
                "phone": "081381234502",
                "email": f"pengawasan.naker@{domain}.go.id",
            },
        ],
    )
    zakat = partner_create(
        scope=scope,
        code=f"baznas-{actors.province.code_nodot}",
        name=f"BAZNAS Provinsi {province_name}",
        kind=PartnerKind.ZAKAT_BODY,
        region=actors.province,
        note="Membiayai iuran JKK dan JKM pekerja rentan dari dana zakat (program mustahik).",
        contacts=[
            {
                "name": "H. Ahmad Fauzi, Lc.",
                "position": "Wakil Ketua Bidang Pendistribusian dan Pendayagunaan",
                "phone": "081181234503",
                "email": f"distribusi@baznas-{short}.or.id",
                "is_primary": True,
            }
        ],
    )
    association = Association.objects.filter(code="demo-padat-karya").first()
    employers = partner_create(
        scope=scope,
        code=f"apindo-{short}",
        name=f"Asosiasi Pengusaha Indonesia (APINDO) {province_name}",
        kind=PartnerKind.EMPLOYER_ASSOCIATION,
        region=actors.province,
        association=association,
        note="Mendaftarkan pekerja perusahaan anggota, terutama industri padat karya.",
        contacts=[
            {
                "name": "Ir. Budi Hartono",
                "position": "Ketua Bidang Ketenagakerjaan",
                "phone": "081581234504",
                "email": f"sekretariat@apindo-{short}.or.id",
                "is_primary": True,
            }
        ],
    )
    union = partner_create(
        scope=scope,
        code=f"kspsi-{short}",
        name=f"DPD Konfederasi Serikat Pekerja Seluruh Indonesia (KSPSI) {province_name}",
        kind=PartnerKind.UNION,
        region=actors.province,
        contacts=[
            {
                "name": "Sri Wahyuni",
                "position": "Sekretaris",
                "phone": "081781234505",
                "email": f"dpd@kspsi-{short}.or.id",
                "is_primary": True,
            }
        ],
    )
    return {"government": government, "zakat": zakat, "employers": employers, "union": union}


def _agreements(actors: _Actors, partners: dict[str, Partner]) -> dict[str, Agreement]:
    from jamsos.partners.services.agreements import (
        agreement_create,
        agreement_renew,
        agreement_sign,
        agreement_target_add,
    )

    scope, office = actors.officer, actors.office
    city = actors.regency.name
    nodot = actors.regency.code_nodot
    older = agreement_create(
        scope=scope,
        number=f"112/PKS/{office.code}/XI/2021",
        title=f"Perlindungan jaminan sosial ketenagakerjaan pekerja bukan penerima upah di {city}",
        partner=partners["government"],
        starts_on=date(2021, 12, 1),
        ends_on=date(2024, 11, 30),
        segments="BPU",
        reporting_duty="Laporan pendataan dan pendaftaran per triwulan kepada kantor cabang.",
        document_ref=f"Pemkot {nodot} nomor 45/HK.02.03/XI/2021",
    )
    older = agreement_sign(
        scope=scope, agreement=older, signed_on=date(2021, 11, 25), today=date(2021, 11, 25)
    )
    agreement_target_add(
        scope=scope,
        agreement=older,
        period_from="2021-12",
        period_to="2024-11",
        enrolments=300,
        today=date(2021, 11, 25),
    )
    government = agreement_renew(
        scope=scope,
        agreement=older,
        number=f"045/PKS/{office.code}/XI/2024",
        ends_on=date(2027, 11, 30),
        signed_on=date(2024, 11, 20),
        today=date(2024, 11, 20),
    )
    for first, last, enrolments, active in (
        ("2024-12", "2025-06", 60, 40),
        ("2025-07", "2025-12", 100, 70),
        ("2026-01", "2026-12", 200, 140),
        ("2027-01", "2027-11", 200, 150),
    ):
        agreement_target_add(
            scope=scope,
            agreement=government,
            period_from=first,
            period_to=last,
            enrolments=enrolments,
            active=active,
            today=date(2024, 11, 20),
        )
    monthly = 16_800  # the JKK+JKM package on the lowest income tier (shown in the title only)
    zakat = agreement_create(
        scope=scope,
        number=f"007/PKS/{office.code}/I/2025",
        title="Bantuan iuran JKK dan JKM bagi pekerja rentan dari dana zakat",
        partner=partners["zakat"],
        starts_on=date(2025, 1, 10),
        ends_on=date(2027, 6, 30),
        regions=[actors.regency],
        segments="BPU",
        ecosystems="rentan",
        budget_idr=SPONSORED_WORKERS * monthly * 10,
        sponsored_workers=SPONSORED_WORKERS,
        reporting_duty=(
            "Daftar penerima dan bukti pembayaran iuran per bulan; laporan penyaluran per semester."
        ),
        document_ref="BAZNAS nomor 12/BAZNAS-PROV/I/2025",
    )
    zakat = agreement_sign(
        scope=scope, agreement=zakat, signed_on=date(2025, 1, 8), today=date(2025, 1, 8)
    )
    agreement_target_add(
        scope=scope,
        agreement=zakat,
        period_from="2025-03",
        period_to="2025-12",
        enrolments=SPONSORED_WORKERS,
        active=SPONSORED_WORKERS,
        segment="BPU",
        today=date(2025, 1, 8),
    )
    employers = agreement_create(
        scope=scope,
        number=f"019/PKS/{office.code}/I/2024",
        title="Kepesertaan penuh pekerja perusahaan anggota asosiasi",
        partner=partners["employers"],
        starts_on=date(2024, 2, 1),
        ends_on=date(2027, 1, 31),
        segments="PU",
        reporting_duty="Daftar perusahaan anggota dan jumlah pekerjanya setiap semester.",
    )
    employers = agreement_sign(
        scope=scope, agreement=employers, signed_on=date(2024, 1, 25), today=date(2024, 1, 25)
    )
    for first, last, enrolments in (("2024-02", "2024-12", 150), ("2025-01", "2025-12", 200)):
        agreement_target_add(
            scope=scope,
            agreement=employers,
            period_from=first,
            period_to=last,
            enrolments=enrolments,
            segment="PU",
            today=date(2024, 1, 25),
        )
    union = agreement_create(
        scope=scope,
        number=f"031/PKS/{office.code}/IV/2023",
        title="Sosialisasi dan pendaftaran anggota serikat pekerja",
        partner=partners["union"],
        starts_on=date(2023, 5, 1),
        ends_on=date(2024, 4, 30),
        segments="PU,BPU",
    )
    union = agreement_sign(
        scope=scope, agreement=union, signed_on=date(2023, 4, 20), today=date(2023, 4, 20)
    )
    agreement_target_add(
        scope=scope,
        agreement=union,
        period_from="2023-05",
        period_to="2024-04",
        enrolments=100,
        today=date(2023, 4, 20),
    )
    older.refresh_from_db()
    return {
        "older": older,
        "government": government,
        "zakat": zakat,
        "employers": employers,
        "union": union,
    }


def _campaign_village(regency: Region) -> Region:
    """The regency's village with the most demo residents (so some listed are members)."""
    pk = (
        Person.objects.filter(domicile__regency_code=regency.code, domicile__level=Level.VILLAGE)
        .values("domicile_id")
        .annotate(n=Count("id"))
        .order_by("-n", "domicile_id")
        .values_list("domicile_id", flat=True)
        .first()
    )
    villages = Region.objects.filter(
        edition__is_current=True, level=Level.VILLAGE, regency_code=regency.code
    )
    village: Region = villages.get(pk=pk) if pk is not None else villages.order_by("code")[0]
    return village


def _ecosystems(actors: _Actors, partners: dict[str, Partner], village: Region) -> dict[str, Any]:
    from jamsos.partners.services.ecosystems import ecosystem_create

    scope = actors.officer
    district = Region.objects.get(edition__is_current=True, code=village.district_code)
    market = ecosystem_create(
        scope=scope,
        code=f"pasar-{slugify(district.name)}"[:64],
        name=f"Pasar {district.name}",
        kind="pasar",
        region=village,
        partners=[partners["government"]],
        note="Pedagang, buruh angkut dan juru parkir pasar; paguyuban pedagang ikut mendata.",
    )
    kelurahan = ecosystem_create(
        scope=scope,
        code=f"kelurahan-{slugify(village.name)}"[:64],
        name=f"Kelurahan {village.name}",
        kind="desa_kelurahan",
        region=village,
        partners=[partners["government"]],
    )
    vulnerable = ecosystem_create(
        scope=scope,
        code=f"rentan-baznas-{actors.regency.code_nodot}",
        name=f"Pekerja rentan binaan BAZNAS di {actors.regency.name}",
        kind="rentan",
        region=actors.regency,
        partners=[partners["zakat"]],
    )
    return {"market": market, "kelurahan": kelurahan, "vulnerable": vulnerable}


def _events(
    actors: _Actors,
    partners: dict[str, Partner],
    agreements: dict[str, Agreement],
    sites: dict[str, Any],
    village: Region,
) -> list[Any]:
    from jamsos.partners.services.events import event_record

    scope = actors.officer
    district = Region.objects.get(edition__is_current=True, code=village.district_code)
    return [
        event_record(
            scope=scope,
            kind="audience",
            title=f"Audiensi perlindungan pekerja informal dengan Pemerintah {actors.regency.name}",
            held_on=date(2024, 11, 12),
            region=actors.regency,
            partners=[partners["government"]],
            agreement=agreements["older"],
            attendance=14,
            today=AS_OF,
        ),
        event_record(
            scope=scope,
            kind="socialisation",
            title=f"Sosialisasi BPJS Ketenagakerjaan bagi pedagang {sites['market'].name}",
            held_on=date(2025, 1, 15),
            region=district,
            partners=[partners["government"]],
            agreement=agreements["government"],
            ecosystem=sites["market"],
            attendance=80,
            registrations_on_site=2,
            note="Bersama lurah, paguyuban pedagang dan kader pendataan.",
            today=AS_OF,
        ),
        event_record(
            scope=scope,
            kind="sharing_session",
            title="Sharing session manfaat JKK dan JKM bagi anggota serikat pekerja",
            held_on=date(2024, 12, 10),
            region=actors.regency,
            partners=[partners["union"]],
            attendance=45,
            today=AS_OF,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# People: NIKs and names the way the demo population makes them
# ---------------------------------------------------------------------------------------------


@dataclass
class _New:
    nik: str
    name: str
    birth: date
    sex: str
    village: Region


def _new_people(
    rng: random.Random, villages: list[Region], count: int, *, taken: set[str]
) -> list[_New]:
    """``count`` people living in ``villages``, each with a NIK of their district, birth date
    and sex (as ``membership.demo.generator`` makes them), none of them on file or in
    ``taken`` (checked in one query; a serial in use is skipped)."""
    names = NameMaker()
    drafts: list[_New] = []
    for _ in range(count):
        sex = "M" if rng.random() < 0.55 else "F"
        age_days = int(rng.triangular(19, 58, 35) * 365.25) + rng.randrange(365)
        birth = date.fromordinal(AS_OF.toordinal() - age_days)
        village = rng.choice(villages)
        prefix = _nik_prefix(village, birth, sex)
        drafts.append(
            _New(prefix, names.make(rng, village.province_code, sex), birth, sex, village)
        )
    candidates: list[str] = []
    used = set(taken)
    for draft in drafts:
        serial = rng.randrange(2001, 9000)
        while f"{draft.nik}{serial:04d}" in used:
            serial += 1
        draft.nik = f"{draft.nik}{serial:04d}"
        used.add(draft.nik)
        candidates.append(draft.nik)
    on_file = set(Person.objects.filter(nik__in=candidates).values_list("nik", flat=True))
    for draft in drafts:
        if draft.nik not in on_file:
            continue
        prefix, serial = draft.nik[:12], int(draft.nik[12:])
        while (
            f"{prefix}{serial:04d}" in used
            or Person.objects.filter(nik=f"{prefix}{serial:04d}").exists()
        ):
            serial += 1
        draft.nik = f"{prefix}{serial:04d}"
        used.add(draft.nik)
    return drafts


def _nik_prefix(village: Region, birth: date, sex: str) -> str:
    day = birth.day + (40 if sex == "F" else 0)
    district = village.district_code.replace(".", "")
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"


def _phone(rng: random.Random) -> str:
    return (
        f"08{rng.choice(('12', '13', '21', '52', '57', '77', '95'))}{rng.randrange(10**7, 10**8)}"
    )


def _existing(village: Region, *, active: bool, limit: int, exclude: set[int]) -> list[Person]:
    """Demo residents of the campaign's district (its village first) with an open
    membership (``active``) or only ended ones."""
    open_ = Membership.objects.filter(person_id=OuterRef("pk"), status="active")
    any_ = Membership.objects.filter(person_id=OuterRef("pk"))
    query = (
        Person.objects.select_related("domicile")
        .filter(domicile__district_code=village.district_code, source=RecordSource.DEMO)
        .exclude(pk__in=exclude)
        .annotate(is_open=Exists(open_), is_member=Exists(any_))
        .filter(is_open=active, is_member=True)
        .order_by("id")
    )
    people: list[Person] = list(query.filter(domicile=village)[:limit])
    return people + list(query.exclude(domicile=village)[: limit - len(people)])


# ---------------------------------------------------------------------------------------------
# The campaign
# ---------------------------------------------------------------------------------------------

_HEADER = [
    "nik",
    "nama",
    "telepon",
    "tanggal_lahir",
    "pekerjaan",
    "penghasilan",
    "ekosistem",
    "kode_desa",
    "alamat",
    "setuju_dihubungi",
    "kode_kader",
]


def _row(
    rng: random.Random,
    *,
    nik: str,
    name: str,
    birth: date,
    village: Region,
    cadre: str,
    consent: bool = True,
) -> list[str]:
    occupation, ecosystem, income = rng.choice(_OCCUPATIONS)
    return [
        nik,
        name,
        _phone(rng) if consent else "",
        birth.isoformat(),
        occupation,
        str(income),
        ecosystem,
        village.code,
        f"RT {rng.randrange(1, 12):03d}/RW {rng.randrange(1, 9):03d}, {village.name}",
        "ya" if consent else "tidak",
        cadre,
    ]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def _campaign(
    actors: _Actors,
    partners: dict[str, Partner],
    agreements: dict[str, Agreement],
    village: Region,
    rng: random.Random,
) -> tuple[Campaign, dict[str, int]]:
    from jamsos.partners.services.campaigns import cadre_add, campaign_create, campaign_open
    from jamsos.partners.services.funnel import prospect_contacted, prospect_register
    from jamsos.partners.services.prospects import prospect_record, prospects_import

    officer = actors.officer
    campaign = campaign_create(
        scope=officer,
        code=f"pendataan-{slugify(village.name)}-2025"[:64],
        name=f"Pendataan pekerja informal Kelurahan {village.name} 2025",
        village=village,
        starts_on=date(2025, 1, 6),
        ends_on=date(2025, 2, 28),
        partner=partners["government"],
        agreement=agreements["government"],
        today=date(2025, 1, 6),
    )
    campaign = campaign_open(scope=officer, campaign=campaign)
    cadre_add(
        scope=officer,
        campaign=campaign,
        name="Siti Rohmah (kader PKK)",
        code="K01",
        phone="081291234506",
        username=CADRE_USERNAME if actors.cadre is not None else None,
    )
    cadre_add(
        scope=officer,
        campaign=campaign,
        name="Bambang Sutrisno (Ketua RT 005)",
        code="K02",
        phone="081391234507",
    )
    # The listed workers: members already (active or not), a possible match, new people.
    covered = _existing(village, active=True, limit=5, exclude=set())
    lapsed = _existing(village, active=False, limit=5, exclude={p.pk for p in covered})
    twin = _existing(
        village, active=True, limit=1, exclude={p.pk for p in covered + lapsed}
    ) or _existing(village, active=False, limit=1, exclude={p.pk for p in covered + lapsed})
    villages = list(
        Region.objects.filter(
            edition__is_current=True, level=Level.VILLAGE, district_code=village.district_code
        ).order_by("code")
    )
    around = [village] * 3 + [v for v in villages if v.pk != village.pk][:3]
    new = _new_people(rng, around, 18, taken=set())
    rows: list[list[str]] = []
    for i, person in enumerate(covered + lapsed):
        rows.append(
            _row(
                rng,
                nik=person.nik,
                name=person.name,
                birth=person.birth_date,
                village=person.domicile,
                cadre="K01" if i % 2 == 0 else "K02",
            )
        )
    for person in twin:  # same name, birth date and village; another NIK
        other = _new_people(rng, [person.domicile], 1, taken={n.nik for n in new})[0]
        prefix = _nik_prefix(person.domicile, person.birth_date, person.sex)
        nik = f"{prefix}{other.nik[12:]}"
        if Person.objects.filter(nik=nik).exists():
            continue
        rows.append(
            _row(
                rng,
                nik=nik,
                name=person.name,
                birth=person.birth_date,
                village=person.domicile,
                cadre="K02",
            )
        )
    by_form = new[16:]
    for i, worker in enumerate(new[:16]):
        rows.append(
            _row(
                rng,
                nik=worker.nik,
                name=worker.name,
                birth=worker.birth,
                village=worker.village,
                cadre="K01" if i % 3 else "K02",
                consent=i % 8 != 7,
            )
        )
    rows.append(list(rows[-3]))  # the same worker listed twice: refused as a duplicate
    listing_scope = actors.cadre or officer
    result = prospects_import(
        scope=listing_scope,
        campaign=campaign,
        content=_csv(rows),
        file_name="pendataan-k01-k02-minggu-1.csv",
        file_format="csv",
        accept_valid=True,
        today=date(2025, 1, 10),
    )
    for i, worker in enumerate(by_form):  # two more on the phone form, the next week
        occupation, ecosystem, income = _OCCUPATIONS[i]
        prospect_record(
            scope=listing_scope,
            campaign=campaign,
            values={
                "nik": worker.nik,
                "name": worker.name,
                "phone": _phone(rng),
                "birth_date": worker.birth.isoformat(),
                "occupation": occupation,
                "estimated_income": income,
                "ecosystem": ecosystem,
                "village_code": worker.village.code,
                "address": f"Gang Melati {i + 3}, {worker.village.name}",
                "consent_contact": "ya",
                "cadre_code": "K02",
            },
            today=date(2025, 1, 17),
        )
    # Follow-up: leads contacted, then registered (two at the market's socialisation).
    prospects = list(Prospect.objects.filter(campaign=campaign).order_by("listed_on", "id"))
    new_leads = [p for p in prospects if p.match_status == MatchStatus.NEW and p.consent_contact]
    lapsed_leads = [
        p for p in prospects if p.match_status == MatchStatus.REACTIVATION and p.consent_contact
    ]
    follow = new_leads[:12] + lapsed_leads[:2]
    for i, prospect in enumerate(follow):
        prospect_contacted(scope=listing_scope, prospect=prospect, on=date(2025, 1, 11 + i % 4))
    registering = new_leads[:10] + lapsed_leads[:2]
    for i, prospect in enumerate(registering):
        day = date(2025, 1, 15) if i < 2 else date(2025, 2, 3 + (i - 2))
        prospect_register(scope=officer, prospect=prospect, today=day)
    counts = {
        status: Prospect.objects.filter(campaign=campaign, match_status=status).count()
        for status in MatchStatus.values
    }
    return campaign, {
        "listed": Prospect.objects.filter(campaign=campaign).count(),
        "covered": counts[MatchStatus.COVERED],
        "reactivation": counts[MatchStatus.REACTIVATION],
        "possible_match": counts[MatchStatus.POSSIBLE_MATCH],
        "refused": result.counts["invalid"],
        "contacted": Prospect.objects.filter(campaign=campaign, contacted_on__isnull=False).count(),
        "registered": Prospect.objects.filter(
            campaign=campaign, registered_membership__isnull=False
        ).count(),
    }


def _other_campaign(actors: _Actors, rng: random.Random) -> Campaign:
    """A campaign of the office in another regency (or village), without a partner: the
    government's cadre does not see it."""
    from jamsos.partners.services.campaigns import campaign_create, campaign_open
    from jamsos.partners.services.prospects import prospect_record

    others = [c for c in sorted(actors.officer.regency_codes) if c != actors.regency.code]
    regency = (
        Region.objects.get(edition__is_current=True, code=others[0]) if others else actors.regency
    )
    village = (
        Person.objects.filter(domicile__regency_code=regency.code, domicile__level=Level.VILLAGE)
        .values("domicile_id")
        .annotate(n=Count("id"))
        .order_by("-n", "domicile_id")
        .values_list("domicile_id", flat=True)
    )
    ids = list(village[:2])
    chosen = Region.objects.get(pk=ids[-1] if regency.pk == actors.regency.pk else ids[0])
    campaign = campaign_create(
        scope=actors.officer,
        code=f"pendataan-{slugify(chosen.name)}-2025"[:64],
        name=f"Pendataan pekerja informal Kelurahan {chosen.name} 2025",
        village=chosen,
        starts_on=date(2025, 2, 10),
        ends_on=date(2025, 3, 31),
        today=date(2025, 2, 10),
    )
    campaign = campaign_open(scope=actors.officer, campaign=campaign)
    for i, person in enumerate(_new_people(rng, [chosen], 4, taken=set())):
        occupation, ecosystem, income = _OCCUPATIONS[-1 - i]
        prospect_record(
            scope=actors.officer,
            campaign=campaign,
            values={
                "nik": person.nik,
                "name": person.name,
                "birth_date": person.birth.isoformat(),
                "occupation": occupation,
                "estimated_income": income,
                "ecosystem": ecosystem,
                "consent_contact": "tidak",
            },
            today=date(2025, 2, 12),
        )
    return campaign


# ---------------------------------------------------------------------------------------------
# The sponsored list
# ---------------------------------------------------------------------------------------------


def _sponsored(
    actors: _Actors,
    partners: dict[str, Partner],
    agreements: dict[str, Agreement],
    rng: random.Random,
) -> dict[str, Any]:
    from jamsos.partners.services.enrolment import batch_approve, batch_stage

    zakat = partners["zakat"]
    user_access_grant(
        username=ZAKAT_USERNAME,
        role=Role.PARTNER_USER,
        partner_ref=zakat.code,
        partner_regions=[actors.province],
        password=DEMO_PASSWORD,
        is_demo=True,
        by=OPERATOR,
    )
    uploader = _scope_of(ZAKAT_USERNAME)
    assert uploader is not None
    villages = list(
        Region.objects.filter(
            edition__is_current=True, level=Level.VILLAGE, regency_code=actors.regency.code
        ).order_by("code")
    )
    listed = set(Prospect.objects.values_list("nik", flat=True))
    people = _new_people(
        rng, rng.sample(villages, min(8, len(villages))), SPONSORED_WORKERS, taken=listed
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon", "kode_desa", "pekerjaan"]
    )
    for i, person in enumerate(people):
        writer.writerow(
            [
                person.nik,
                person.name,
                person.birth.isoformat(),
                person.sex,
                _phone(rng) if i % 3 else "",
                person.village.code,
                _VULNERABLE_OCCUPATIONS[i % len(_VULNERABLE_OCCUPATIONS)],
            ]
        )
    staged = batch_stage(
        scope=uploader,
        partner_code=zakat.code,
        kind="sponsored",
        idempotency_key=f"{zakat.code}-mustahik-2025-03",
        file_name="pekerja-rentan-mustahik-maret-2025.csv",
        content=out.getvalue().encode(),
        term_from=SPONSORED_FROM,
        term_until=SPONSORED_UNTIL,
        agreement_number=agreements["zakat"].number,
        today=date(2025, 2, 18),
    )
    # The upload's time is the demo's (the service stamps the real clock).
    EnrolmentBatch.objects.filter(pk=staged.batch.pk).update(
        uploaded_at=datetime(2025, 2, 18, 2, 30, tzinfo=UTC)
    )
    approved = batch_approve(
        scope=actors.officer,
        batch_id=staged.batch.pk,
        note="Sesuai PKS dan daftar mustahik BAZNAS; data kependudukan diperiksa.",
        today=date(2025, 2, 20),
        now=datetime(2025, 2, 20, 3, 0, tzinfo=UTC),
    )
    return {
        "batch": staged.batch.pk,
        "enrolled": approved.enrolled,
        "sponsorship": approved.sponsorship_id,
        "status": EnrolmentBatch.objects.get(pk=staged.batch.pk).status,
    }
