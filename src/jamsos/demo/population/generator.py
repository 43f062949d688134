"""The synthetic population, regency by regency, as plain row tuples ready for COPY.

No database access here: the people, memberships and ``started`` events are the rows the
registration writes (built by ``membership.services.registration_rows``, as ``register_many`` and
the per-person services build them), with ids and history added; :class:`Context` carries what
was read (regions, offices, existing identifiers, the next free ids and serials) and the
generator hands back rows per table. Each
regency has its own random stream (seeded with ``"<seed>:<regency code>"``), so the population
does not depend on how the work is chunked, and 10 million workers can be streamed regency by
regency in bounded memory.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate

from jamsos.demo.population import calibration as cal
from jamsos.demo.population.names import NameMaker
from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership.identifiers import kpj_make, npp_make, npwp_make
from jamsos.membership.models import programs_to_text
from jamsos.membership.programs import programs_for
from jamsos.membership.services.registration_rows import (
    EVENT_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    WAGE_FIELDS,
    bpu_terms,
    membership_row,
    person_row,
    started_data,
)

DEMO = "demo"
SEGMENTS = (Segment.PU, Segment.BPU, Segment.JAKON, Segment.PMI)
SIZES = ("micro", "small", "medium", "large")

# Sector weights by employer size (assumption) and the usual JKK risk class of each sector.
SECTORS_BY_SIZE = {
    "micro": {"G": 42, "I": 14, "C": 12, "S": 8, "A": 6, "H": 5, "F": 3, "M": 2, "N": 2, "P": 2,
              "Q": 1, "J": 1, "R": 1, "L": 1},
    "small": {"G": 30, "C": 18, "I": 10, "H": 7, "F": 6, "A": 6, "N": 5, "M": 4, "P": 4, "Q": 3,
              "S": 3, "J": 2, "K": 2},
    "medium": {"C": 30, "G": 15, "A": 10, "N": 8, "H": 7, "K": 6, "F": 5, "Q": 5, "P": 4, "B": 3,
               "J": 3, "I": 2, "D": 1, "E": 1},
}  # fmt: skip
SECTORS_BY_SIZE["large"] = SECTORS_BY_SIZE["medium"]
RISK_BY_SECTOR = {"A": 3, "B": 5, "C": 3, "D": 4, "E": 3, "F": 5, "G": 1, "H": 4, "I": 1, "J": 1,
                  "K": 1, "L": 1, "M": 1, "N": 2, "O": 1, "P": 1, "Q": 2, "R": 2, "S": 1, "T": 1,
                  "U": 1}  # fmt: skip
LABOUR_INTENSIVE = {
    "food_beverage_tobacco": 35,
    "textile_apparel": 30,
    "furniture": 12,
    "footwear": 10,
    "leather_goods": 8,
    "children_toys": 5,
}
LABOUR_INTENSIVE_SHARE_OF_C = 0.40
LEGAL_FORMS = {
    "micro": (("UD", 55), ("CV", 45)),
    "small": (("CV", 60), ("UD", 25), ("PT", 15)),
    "medium": (("PT", 90), ("CV", 5), ("Koperasi", 5)),
    "large": (("PT", 95), ("Koperasi", 5)),
}
#: What a micro business is usually called in its sector (half of them; the rest UD or CV).
SHOP_FORMS = {"G": "Toko", "I": "Warung", "S": "Bengkel", "C": "Usaha"}
PU_END_REASONS = (("resignation", 52), ("phk", 28), ("term_ended", 15), ("death", 1), ("other", 4))
CONTRACTOR_SIZES = (("micro", 30), ("small", 45), ("medium", 20), ("large", 5))
TAX_OFFICES = 900
_JSON = json.JSONEncoder(separators=(",", ":")).encode


def _cum(pairs: dict[str, float] | tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    return [k for k, _ in items], list(accumulate(float(w) for _, w in items))


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    province_code: str
    office_id: int
    villages: tuple[tuple[int, str, str], ...]  # (village id, district code_nodot, village name)


@dataclass
class Context:
    """What the generator needs from the database, read once before generating."""

    seed: int
    regencies: list[Regency]
    district_codes: list[str]
    district_cum: list[float]
    association_ids: dict[str, int]
    next_id: dict[str, int]
    kpj_next: dict[int, int]
    npp_next: dict[str, int]
    npwp_next: int = 1
    existing_niks: set[str] = field(default_factory=set)
    existing_npwps: set[str] = field(default_factory=set)
    timestamp_suffix: str = ""
    now_text: str = ""
    as_of: date = cal.AS_OF

    def take_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value


@dataclass
class Rows:
    """Rows of one or more regencies, per table, in the column order of :data:`COLUMNS`."""

    person: list[tuple[object, ...]] = field(default_factory=list)
    employer: list[tuple[object, ...]] = field(default_factory=list)
    employer_association: list[tuple[object, ...]] = field(default_factory=list)
    project: list[tuple[object, ...]] = field(default_factory=list)
    placement: list[tuple[object, ...]] = field(default_factory=list)
    membership: list[tuple[object, ...]] = field(default_factory=list)
    wage_report: list[tuple[object, ...]] = field(default_factory=list)
    event: list[tuple[object, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def extend(self, other: Rows) -> None:
        for name in TABLES:
            getattr(self, name).extend(getattr(other, name))
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value

    def row_count(self) -> int:
        return sum(len(getattr(self, name)) for name in TABLES)


TABLES = (
    "employer",
    "employer_association",
    "project",
    "person",
    "placement",
    "membership",
    "wage_report",
    "event",
)
#: Model field names per table, in the order of the row tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("id", *PERSON_FIELDS, "created_at", "updated_at"),
    "employer": ("id", "npp", "npwp", "legal_name", "size", "sector", "risk_class", "industry",
                 "address_village_id", "branch_office_id", "registered_on", "source",
                 "created_at", "updated_at"),
    "employer_association": ("employer_id", "association_id"),
    "project": ("id", "contractor_id", "name", "contract_value_idr", "village_id", "start_date",
                "end_date"),
    "placement": ("id", "person_id", "destination_country", "placement_months", "start_date",
                  "end_date"),
    "membership": ("id", *MEMBERSHIP_FIELDS, "created_at", "updated_at"),
    "wage_report": ("id", *WAGE_FIELDS),
    "event": ("id", *EVENT_FIELDS),
}  # fmt: skip


def partner_ref_of(regency_code: str) -> str:
    """The demo's partner of a regency (its regional government's cooperation agreement):
    ``32.73`` → ``pks-3273`` (a partner code: lowercase, ``partners.Partner.code``).
    Memberships registered through a partner carry it."""
    return f"pks-{regency_code.replace('.', '')}"


def regency_weights(regencies: list[Regency]) -> list[float]:
    """Province share of active participants x regency share of the province's population,
    over the regencies loaded (renormalised to 1)."""
    provinces = cal.province_weights()
    population = cal.regency_population()
    by_province: dict[str, list[Regency]] = {}
    for regency in regencies:
        by_province.setdefault(regency.province_code, []).append(regency)
    weights: list[float] = []
    for regency in regencies:
        siblings = by_province[regency.province_code]
        known = [population.get(r.code, 0) for r in siblings]
        fallback = (sum(known) / max(1, sum(1 for k in known if k))) or 1.0
        pops = [k or fallback for k in known]
        own = population.get(regency.code) or fallback
        province = provinces.get(regency.province_code)
        weights.append((province.weight if province else 0.0) * own / sum(pops))
    total = sum(weights) or 1.0
    return [w / total for w in weights]


def allocate(workers: int, regencies: list[Regency]) -> list[tuple[Regency, int]]:
    """People per regency by :func:`regency_weights`, rounded by largest remainder so that the
    counts add up to ``workers``."""
    exact = [workers * w for w in regency_weights(regencies)]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), regencies[i].code))
    for i in order[: workers - sum(counts)]:
        counts[i] += 1
    return [(r, n) for r, n in zip(regencies, counts, strict=True) if n]


class Generator:
    """Generates the rows of one regency at a time; keeps the serial counters across them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.names = NameMaker()
        self.office_id = 0
        self.partner_ref = ""
        self.migrant_serial: dict[str, int] = {}
        self.registered_cum = list(accumulate(cal.registered_segment_shares()[s] for s in SEGMENTS))
        self.size_names, self.size_cum = _cum(cal.EMPLOYER_SIZE_SHARES)
        self.sectors = {size: _cum(w) for size, w in SECTORS_BY_SIZE.items()}
        self.li_names, self.li_cum = _cum(LABOUR_INTENSIVE)
        self.forms = {size: _cum(w) for size, w in LEGAL_FORMS.items()}
        self.end_names, self.end_cum = _cum(PU_END_REASONS)
        self.contractor_sizes = _cum(CONTRACTOR_SIZES)
        self.eco_names, self.eco_cum = _cum(cal.ECOSYSTEMS)
        self.sponsor_names, self.sponsor_cum = _cum(cal.SPONSOR_KINDS)
        self.dest_names, self.dest_cum = _cum(cal.PMI_DESTINATIONS)
        self.month_names, self.month_cum = _cum({str(k): v for k, v in cal.PMI_MONTHS.items()})
        self.prefix_groups = [p for _, p in cal.MOBILE_PREFIXES]
        self.prefix_cum = list(accumulate(w for w, _ in cal.MOBILE_PREFIXES))
        self.ump = cal.ump_2025()
        names = cal.names_data()
        self.words: list[str] = names["employer_words"]
        self.sector_words: dict[str, list[str]] = names["sector_words"]
        self.project_kinds: list[str] = names["project_kinds"]
        self.programs = self._program_table()
        self.law_start = cal.LAW_START
        self.as_of = ctx.as_of

    # -- programs: the law's mandatory set per segment/size, computed once through the rules.
    def _program_table(self) -> dict[tuple[str, str, str], str]:
        table: dict[tuple[str, str, str], str] = {}
        on = self.ctx.as_of
        for size in SIZES:
            for extra in ("", "JHT", "JP", "JHT,JP"):
                chosen = [p for p in extra.split(",") if p]
                programs = programs_for(
                    segment=Segment.PU, on=on, chosen=chosen, employer_size=EmployerSize(size)
                )
                table[("PU", size, extra)] = programs_to_text(programs)
        for segment in (Segment.BPU, Segment.JAKON, Segment.PMI):
            table[(segment.value, "", "")] = programs_to_text(programs_for(segment=segment, on=on))
        table[("BPU", "", "JHT")] = programs_to_text(
            programs_for(segment=Segment.BPU, on=on, chosen=["JHT"])
        )
        return table

    def ts(self, day: date) -> str:
        """09:00 in Jakarta (02:00 UTC) on ``day``, as the database reads it."""
        return f"{day.isoformat()} 02:00:00{self.ctx.timestamp_suffix}"

    # -- the regency -------------------------------------------------------------------------
    def regency(self, regency: Regency, people: int) -> Rows:
        rng = random.Random(f"{self.ctx.seed}:{regency.code}")
        # Every demo employer and resident of the regency is served by the regency's office.
        self.office_id = regency.office_id
        self.partner_ref = partner_ref_of(regency.code)
        rows = Rows()
        counts = rows.counts
        local_serial: dict[str, int] = {}
        by_segment: dict[Segment, list[tuple[int, date, bool]]] = {s: [] for s in SEGMENTS}
        segments = rng.choices(SEGMENTS, cum_weights=self.registered_cum, k=people)
        for segment in segments:
            person_id, birth = self._person(rng, regency, segment, local_serial, rows)
            ended = rng.random() < cal.ENDED_SHARE[segment]
            by_segment[segment].append((person_id, birth, ended))
        self._pu(rng, regency, by_segment[Segment.PU], rows)
        self._bpu(rng, regency, by_segment[Segment.BPU], rows)
        self._jakon(rng, regency, by_segment[Segment.JAKON], rows)
        self._pmi(rng, by_segment[Segment.PMI], rows)
        counts["people"] = people
        return rows

    def _person(
        self,
        rng: random.Random,
        regency: Regency,
        segment: Segment,
        local_serial: dict[str, int],
        rows: Rows,
    ) -> tuple[int, date]:
        ctx = self.ctx
        sex = "M" if rng.random() < cal.MALE_SHARE[segment] else "F"
        low, high, mode = cal.AGE[segment]
        age_days = int(rng.triangular(low, high, mode) * 365.25) + rng.randrange(365)
        birth = self.as_of - timedelta(days=age_days)
        village_id, home_district, _ = rng.choice(regency.villages)
        migrant = rng.random() < cal.MIGRANT_SHARE
        district = (
            rng.choices(ctx.district_codes, cum_weights=ctx.district_cum)[0]
            if migrant
            else home_district
        )
        day = birth.day + (40 if sex == "F" else 0)
        prefix = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        if migrant:  # counted down from 9999 across regencies, up from 1 at home: never meet
            serial = self.migrant_serial.get(prefix, 9999)
            nik = f"{prefix}{serial:04d}"
            while nik in ctx.existing_niks:
                serial -= 1
                nik = f"{prefix}{serial:04d}"
            self.migrant_serial[prefix] = serial - 1
        else:
            serial = local_serial.get(prefix, 1)
            nik = f"{prefix}{serial:04d}"
            while nik in ctx.existing_niks:
                serial += 1
                nik = f"{prefix}{serial:04d}"
            local_serial[prefix] = serial + 1
        name = self.names.make(rng, district[:2], sex)
        phone = None
        if rng.random() < cal.PHONE_SHARE:
            group = rng.choices(self.prefix_groups, cum_weights=self.prefix_cum)[0]
            digits = 8 if rng.random() < 0.7 else 7
            number = f"{rng.choice(group)}{rng.randrange(10 ** (digits - 1), 10**digits)}"
            phone = "+62" + number[1:]
        person_id = ctx.take_id("person")
        rows.person.append(
            (
                person_id,
                *person_row(
                    nik=nik,
                    name=name,
                    birth_date=birth.isoformat(),
                    sex=sex,
                    phone=phone,
                    domicile_id=village_id,
                    source=DEMO,
                ),
                ctx.now_text,
                ctx.now_text,
            )
        )
        return person_id, birth

    # -- shared pieces -------------------------------------------------------------------------
    def _kpj(self, year: int) -> str:
        serial = self.ctx.kpj_next.get(year, 1)
        self.ctx.kpj_next[year] = serial + 1
        return kpj_make(year=year, serial=serial)

    def _start_active(self, rng: random.Random, birth: date, mean_years: float) -> date:
        earliest = max(self.law_start, _add_years(birth, 18))
        days = int(rng.expovariate(1 / (mean_years * 365)))
        start = self.as_of - timedelta(days=days)
        return min(max(start, earliest), self.as_of)

    def _span_ended(self, rng: random.Random, birth: date, mean_years: float) -> tuple[date, date]:
        earliest = max(self.law_start, _add_years(birth, 18))
        end = self.as_of - timedelta(days=int(rng.expovariate(1 / 420)))
        tenure = 30 + int(rng.expovariate(1 / (mean_years * 365)))
        start = max(end - timedelta(days=tenure), earliest)
        if end < start:
            end = min(self.as_of, start + timedelta(days=30 + rng.randrange(300)))
        return start, end

    def _membership(
        self,
        rows: Rows,
        *,
        person_id: int,
        segment: Segment,
        programs: str,
        start: date,
        end: date | None,
        reason: str,
        channel: str,
        employer_id: int | None = None,
        income: int | None = None,
        ecosystem: str = "",
        sponsor: tuple[str | None, str | None] = (None, None),
        project_id: int | None = None,
        placement_id: int | None = None,
        started_programs: str | None = None,
        terms: dict[str, object] | None = None,
    ) -> int:
        ctx = self.ctx
        membership_id = ctx.take_id("membership")
        ended = end is not None
        rows.membership.append(
            (
                membership_id,
                *membership_row(
                    person_id=person_id,
                    segment=segment.value,
                    kpj=self._kpj(start.year),
                    programs=programs,
                    start_date=start.isoformat(),
                    channel=channel,
                    branch_office_id=self.office_id,
                    source=DEMO,
                    employer_id=employer_id,
                    declared_income_idr=income,
                    ecosystem=ecosystem,
                    sponsor=(sponsor[0], sponsor[1], None),
                    partner_ref=self.partner_ref if channel == "partner" else None,
                    project_id=project_id,
                    placement_id=placement_id,
                    end_date=end.isoformat() if ended else None,
                    end_reason=reason,
                ),
                ctx.now_text,
                ctx.now_text,
            )
        )
        data = started_data(segment.value, started_programs or programs, terms or {})
        self._event(rows, membership_id, "started", data, start)
        key = f"{segment.value}_{'ended' if ended else 'active'}"
        rows.counts[key] = rows.counts.get(key, 0) + 1
        return membership_id

    def _event(
        self, rows: Rows, membership_id: int, kind: str, data: dict[str, object], day: date
    ) -> None:
        rows.event.append(
            (
                self.ctx.take_id("event"),
                membership_id,
                kind,
                _JSON(data),
                self.ts(day),
                None,
            )
        )

    def _end(self, rows: Rows, membership_id: int, end: date, reason: str) -> None:
        self._event(
            rows, membership_id, "ended", {"end_date": end.isoformat(), "reason": reason}, end
        )

    def _employer(
        self,
        rng: random.Random,
        regency: Regency,
        rows: Rows,
        *,
        size: str,
        sector: str | None = None,
        registered_on: date,
    ) -> tuple[int, str]:
        ctx = self.ctx
        names, cum = self.sectors[size]
        sector = sector or rng.choices(names, cum_weights=cum)[0]
        risk = RISK_BY_SECTOR[sector]
        if rng.random() < 0.2:
            risk = min(5, max(1, risk + rng.choice((-1, 1))))
        industry = "other"
        if sector == "C" and rng.random() < LABOUR_INTENSIVE_SHARE_OF_C:
            industry = rng.choices(self.li_names, cum_weights=self.li_cum)[0]
        forms, form_cum = self.forms[size]
        form = rng.choices(forms, cum_weights=form_cum)[0]
        if size == "micro" and rng.random() < 0.5:
            form = SHOP_FORMS.get(sector, form)
        first, second = rng.sample(self.words, 2)
        legal_name = f"{form} {first} {second}"
        if rng.random() < 0.5:
            legal_name += " " + rng.choice(self.sector_words[sector])
        village_id = rng.choice(regency.villages)[0]
        npp_serial = ctx.npp_next.get(regency.province_code, 1)
        ctx.npp_next[regency.province_code] = npp_serial + 1
        npwp = self._npwp(rng)
        employer_id = ctx.take_id("employer")
        rows.employer.append(
            (
                employer_id,
                npp_make(province_code=regency.province_code, serial=npp_serial),
                npwp,
                legal_name,
                size,
                sector,
                risk,
                industry,
                village_id,
                regency.office_id,
                registered_on.isoformat(),
                DEMO,
                ctx.now_text,
                ctx.now_text,
            )
        )
        association = self._association(rng, size, sector, industry)
        if association is not None:
            rows.employer_association.append((employer_id, association))
        rows.counts[f"employers_{size}"] = rows.counts.get(f"employers_{size}", 0) + 1
        return employer_id, legal_name

    def _npwp(self, rng: random.Random) -> str:
        ctx = self.ctx
        while True:
            index = ctx.npwp_next
            ctx.npwp_next += 1
            kind, serial = divmod(index, 1_000_000)
            npwp = npwp_make(
                taxpayer_type=1 + kind % 3, serial=serial, tax_office=1 + rng.randrange(TAX_OFFICES)
            )
            if npwp not in ctx.existing_npwps:
                return npwp

    def _association(self, rng: random.Random, size: str, sector: str, industry: str) -> int | None:
        ids = self.ctx.association_ids
        if sector == "F" and rng.random() < 0.4:
            return ids.get("demo-kontraktor")
        if industry != "other" and rng.random() < 0.3:
            return ids.get("demo-padat-karya")
        if sector == "H" and rng.random() < 0.2:
            return ids.get("demo-angkutan")
        if size in ("micro", "small") and rng.random() < 0.08:
            return ids.get("demo-pasar" if sector == "G" else "demo-umkm")
        return None

    # -- PU -------------------------------------------------------------------------------------
    def _teams(self, rng: random.Random, people: int) -> list[tuple[str, int]]:
        """Employers of a regency as (size, headcount), headcounts adding up to ``people``.

        Sizes are drawn by the published shares (80.7 % micro) until everyone has an employer;
        micro, small and medium employers get a headcount in their range, large ones a
        log-normal headcount (median 900); the last employer takes only who is left. Employers
        are local to a regency, so the largest ones are cut to the regency's workforce: the
        ratio of workers to employers rises with the population size (see the docs).
        """
        teams: list[tuple[str, int]] = []
        left = people
        while left > 0:
            size = rng.choices(self.size_names, cum_weights=self.size_cum)[0]
            if size == "large":
                value = rng.lognormvariate(
                    math.log(cal.LARGE_HEADCOUNT_MEDIAN), cal.LARGE_HEADCOUNT_SIGMA
                )
                headcount = int(min(max(value, 100), cal.LARGE_HEADCOUNT_MAX))
            else:
                low, high = cal.HEADCOUNT[size]
                headcount = rng.randint(low, high)
            headcount = min(headcount, left)
            teams.append((size, headcount))
            left -= headcount
        return teams

    def _pu(
        self, rng: random.Random, regency: Regency, people: list[tuple[int, date, bool]], rows: Rows
    ) -> None:
        rng.shuffle(people)
        ump25 = self.ump.get(regency.province_code, 3_000_000)
        position = 0
        for size, headcount in self._teams(rng, len(people)):
            team = people[position : position + headcount]
            position += len(team)
            spans = []
            for _person_id, birth, ended in team:
                if ended:
                    spans.append(self._span_ended(rng, birth, 3.0))
                else:
                    spans.append((self._start_active(rng, birth, 4.0), None))
            first_start = min(start for start, _ in spans)
            registered_on = max(date(2010, 1, 1), first_start - timedelta(days=rng.randrange(365)))
            employer_id, _ = self._employer(
                rng, regency, rows, size=size, registered_on=registered_on
            )
            for (person_id, birth, ended), (start, end) in zip(team, spans, strict=True):
                extra = ""
                if size == "micro":
                    roll = rng.random()
                    extra = "JHT" if roll < 0.35 else "JHT,JP" if roll < 0.40 else ""
                elif size == "small" and rng.random() < 0.15:
                    extra = "JP"
                programs = self.programs[("PU", size, extra)]
                reason = ""
                if ended:
                    assert end is not None
                    if _age_on(birth, end) >= 56 and rng.random() < 0.6:
                        reason = "retirement"
                    else:
                        reason = rng.choices(self.end_names, cum_weights=self.end_cum)[0]
                membership_id = self._membership(
                    rows,
                    person_id=person_id,
                    segment=Segment.PU,
                    programs=programs,
                    start=start,
                    end=end,
                    reason=reason,
                    channel="employer",
                    employer_id=employer_id,
                )
                self._wages(rng, rows, membership_id, size, ump25, start, end)
                if end is not None:
                    self._end(rows, membership_id, end, reason)

    def _wages(
        self,
        rng: random.Random,
        rows: Rows,
        membership_id: int,
        size: str,
        ump25: int,
        start: date,
        end: date | None,
    ) -> None:
        last = end or self.as_of
        last_index = last.year * 12 + last.month - 1
        first_index = max(start.year * 12 + start.month - 1, last_index - cal.WAGE_MONTHS + 1)
        at_ump = size != "micro" and rng.random() < cal.WAGE_AT_UMP_SHARE
        factor = math.exp(rng.gauss(cal.WAGE_LOG_MEAN[size], cal.WAGE_SIGMA))
        raised = rng.random() < cal.JANUARY_RAISE_SHARE
        previous: tuple[str, int] | None = None
        for index in range(first_index, last_index + 1):
            year, month0 = divmod(index, 12)
            period = f"{year:04d}-{month0 + 1:02d}"
            # The wage level of year Y: 2025 wages deflated by the 2025 UMP rise per year earlier.
            years_back = 2025 - year
            if at_ump:
                wage = round(ump25 / (1 + cal.UMP_RISE_2025) ** years_back)
            else:
                base = (
                    ump25
                    * factor
                    / (1 + cal.UMP_RISE_2025) ** (years_back if raised else max(0, years_back - 1))
                )
                wage = int(round(min(max(base, cal.WAGE_MIN), cal.WAGE_MAX), -3))
            day = date(year, month0 + 1, 5)
            rows.wage_report.append(
                (self.ctx.take_id("wage_report"), membership_id, period, wage, self.ts(day), DEMO)
            )
            if previous is not None and previous[1] != wage:
                self._event(
                    rows,
                    membership_id,
                    "wage_changed",
                    {
                        "period": period,
                        "from_period": previous[0],
                        "old_wage_idr": previous[1],
                        "new_wage_idr": wage,
                    },
                    day,
                )
            previous = (period, wage)

    # -- BPU ------------------------------------------------------------------------------------
    def _bpu(
        self, rng: random.Random, regency: Regency, people: list[tuple[int, date, bool]], rows: Rows
    ) -> None:
        bare_name = regency.name
        for person_id, birth, ended in people:
            if ended:
                # Lapsed after at least three unpaid months.
                start, end = self._span_ended(rng, birth, 1.0)
                earliest = max(self.law_start, _add_years(birth, 18))
                start = max(min(start, end - timedelta(days=90)), earliest)
                reason = "death" if rng.random() < 0.03 else "other"
            else:
                start, end, reason = self._start_active(rng, birth, 1.5), None, ""
            ecosystem = rng.choices(self.eco_names, cum_weights=self.eco_cum)[0]
            sponsor: tuple[str | None, str | None] = (None, None)
            if ecosystem == "rentan":
                channel = "partner" if rng.random() < 0.7 else "cadre"
                if rng.random() < cal.SPONSORED_RENTAN_SHARE:
                    kind = rng.choices(self.sponsor_names, cum_weights=self.sponsor_cum)[0]
                    sponsor = (self._sponsor_name(rng, kind, bare_name), kind)
            else:
                roll = rng.random()
                channel = (
                    "self"
                    if roll < 0.45
                    else "cadre"
                    if roll < 0.70
                    else "partner"
                    if roll < 0.85
                    else "branch"
                )
                if rng.random() < cal.CSR_SHARE_OTHERS:
                    sponsor = (self._sponsor_name(rng, "csr", bare_name), "csr")
            if sponsor[1] is not None or rng.random() < cal.BPU_AT_MINIMUM_SHARE:
                income = cal.BPU_MIN_INCOME
            else:
                value = rng.lognormvariate(math.log(cal.BPU_INCOME_MEDIAN), cal.BPU_INCOME_SIGMA)
                income = int(round(min(max(value, cal.BPU_MIN_INCOME), cal.BPU_MAX_INCOME), -5))
            jht = sponsor[1] is None and rng.random() < cal.BPU_JHT_SHARE
            programs = self.programs[("BPU", "", "JHT" if jht else "")]
            added_later = (
                jht and rng.random() < 0.3 and (end or self.as_of) - start > timedelta(days=60)
            )
            income_changed = (
                not ended
                and sponsor[1] is None
                and income > cal.BPU_MIN_INCOME
                and rng.random() < 0.08
            )
            first_income = (
                max(cal.BPU_MIN_INCOME, income - 100_000 * rng.randint(1, 10))
                if income_changed
                else income
            )
            membership_id = self._membership(
                rows,
                person_id=person_id,
                segment=Segment.BPU,
                programs=programs,
                start=start,
                end=end,
                reason=reason,
                channel=channel,
                income=income,
                ecosystem=ecosystem,
                sponsor=sponsor,
                started_programs=self.programs[("BPU", "", "")] if added_later else None,
                terms=bpu_terms(first_income, sponsor[1]),
            )
            span = ((end or self.as_of) - start).days
            if added_later:
                on = start + timedelta(days=30 + rng.randrange(max(1, span - 30)))
                self._event(
                    rows,
                    membership_id,
                    "programs_changed",
                    {"on": on.isoformat(), "old": self.programs[("BPU", "", "")], "new": programs},
                    on,
                )
            if income_changed and first_income != income:
                on = start + timedelta(days=rng.randrange(max(1, span)))
                self._event(
                    rows,
                    membership_id,
                    "income_changed",
                    {
                        "on": on.isoformat(),
                        "old_income_idr": first_income,
                        "new_income_idr": income,
                    },
                    on,
                )
            if end is not None:
                self._end(rows, membership_id, end, reason)

    def _sponsor_name(self, rng: random.Random, kind: str, regency_name: str) -> str:
        if kind == "regional_budget":
            return f"Pemerintah {regency_name}"
        if kind == "zakat":
            return f"BAZNAS {regency_name}"
        first, second = rng.sample(self.words, 2)
        return f"Program CSR PT {first} {second}"

    # -- Jakon ----------------------------------------------------------------------------------
    def _jakon(
        self, rng: random.Random, regency: Regency, people: list[tuple[int, date, bool]], rows: Rows
    ) -> None:
        if not people:
            return
        contractors: list[list[int]] = []  # [employer id, projects so far]
        for finished in (False, True):
            group = [p for p in people if p[2] == finished]
            position = 0
            while position < len(group):
                size = int(min(max(rng.lognormvariate(math.log(20), 0.9), 3), 400))
                team = group[position : position + size]
                position += len(team)
                if finished:
                    # Finished within the last four years, after the youngest worker turned 18.
                    youngest = max(_add_years(birth, 18) for _, birth, _ in team)
                    end = self.as_of - timedelta(days=1 + rng.randrange(1500))
                    end = min(max(end, youngest + timedelta(days=30)), self.as_of)
                    start = end - timedelta(days=60 + rng.randrange(480))
                    if start < self.law_start:
                        start = self.law_start
                        end = max(end, start + timedelta(days=60))
                else:
                    start = self.as_of - timedelta(days=7 + rng.randrange(400))
                    end = self.as_of + timedelta(days=30 + rng.randrange(540))
                open_contractors = [c for c in contractors if c[1] < 4]
                if open_contractors and rng.random() < 0.6:
                    contractor = rng.choice(open_contractors)
                else:
                    names, cum = self.contractor_sizes
                    size_name = rng.choices(names, cum_weights=cum)[0]
                    registered_on = start - timedelta(days=rng.randrange(2000))
                    employer_id, _ = self._employer(
                        rng,
                        regency,
                        rows,
                        size=size_name,
                        sector="F",
                        registered_on=max(date(2010, 1, 1), registered_on),
                    )
                    rows.counts["contractors"] = rows.counts.get("contractors", 0) + 1
                    contractor = [employer_id, 0]
                    contractors.append(contractor)
                contractor[1] += 1
                village_id, _, village_name = rng.choice(regency.villages)
                per_worker = rng.lognormvariate(math.log(60_000_000), 0.6)
                value = max(50_000_000, int(round(len(team) * per_worker, -6)))
                project_id = self.ctx.take_id("project")
                rows.project.append(
                    (
                        project_id,
                        contractor[0],
                        f"{rng.choice(self.project_kinds)} {village_name}",
                        value,
                        village_id,
                        start.isoformat(),
                        end.isoformat(),
                    )
                )
                programs = self.programs[("JAKON", "", "")]
                for person_id, birth, ended in team:
                    begin = max(start + timedelta(days=rng.randrange(15)), _add_years(birth, 18))
                    begin = min(begin, end, self.as_of)
                    stop, reason = None, ""
                    if ended:
                        roll = rng.random()
                        reason = (
                            "term_ended" if roll < 0.95 else "other" if roll < 0.99 else "death"
                        )
                        stop = (
                            end
                            if reason == "term_ended"
                            else begin
                            + timedelta(days=rng.randrange(max(1, (end - begin).days + 1)))
                        )
                    membership_id = self._membership(
                        rows,
                        person_id=person_id,
                        segment=Segment.JAKON,
                        programs=programs,
                        start=begin,
                        end=stop,
                        reason=reason,
                        channel="employer",
                        employer_id=contractor[0],
                        project_id=project_id,
                        terms={"project_id": project_id},
                    )
                    if stop is not None:
                        self._end(rows, membership_id, stop, reason)

    # -- PMI ------------------------------------------------------------------------------------
    def _pmi(self, rng: random.Random, people: list[tuple[int, date, bool]], rows: Rows) -> None:
        programs = self.programs[("PMI", "", "")]
        for person_id, birth, ended in people:
            months = int(rng.choices(self.month_names, cum_weights=self.month_cum)[0])
            country = rng.choices(self.dest_names, cum_weights=self.dest_cum)[0]
            if ended:
                place_end = self.as_of - timedelta(days=1 + rng.randrange(3 * 365))
                place_start = _add_months(place_end, -months)
            else:
                place_start = self.as_of - timedelta(days=rng.randrange(max(1, months * 30 - 15)))
                place_end = _add_months(place_start, months)
            earliest = max(self.law_start, _add_years(birth, 18))
            if place_start < earliest:
                place_start = earliest + timedelta(days=60)
                place_end = _add_months(place_start, months)
                ended = place_end < self.as_of
            begin = max(earliest, place_start - timedelta(days=14 + rng.randrange(47)))
            placement_id = self.ctx.take_id("placement")
            rows.placement.append(
                (
                    placement_id,
                    person_id,
                    country,
                    months,
                    place_start.isoformat(),
                    place_end.isoformat(),
                )
            )
            stop, reason = None, ""
            if ended and place_end <= self.as_of:
                roll = rng.random()
                reason = "term_ended" if roll < 0.93 else "other" if roll < 0.98 else "death"
                stop = (
                    place_end
                    if reason == "term_ended"
                    else place_start
                    + timedelta(days=rng.randrange(max(1, (place_end - place_start).days)))
                )
            membership_id = self._membership(
                rows,
                person_id=person_id,
                segment=Segment.PMI,
                programs=programs,
                start=begin,
                end=stop,
                reason=reason,
                channel="self" if rng.random() < 0.6 else "partner",
                placement_id=placement_id,
                terms={"destination_country": country, "placement_months": months},
            )
            if stop is not None:
                self._end(rows, membership_id, stop, reason)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def focus_people(workers: int, regencies: list[Regency]) -> int:
    """How many of ``workers`` live in the focus district (:data:`cal.FOCUS_DISTRICT`): its
    share of them, or none when the district's villages are not loaded."""
    district = cal.FOCUS_DISTRICT.replace(".", "")
    if not any(d == district for r in regencies for _, d, _ in r.villages):
        return 0
    return round(workers * cal.FOCUS_SHARE)


def allocate_with_focus(workers: int, regencies: list[Regency]) -> list[tuple[Regency, int]]:
    """People per regency: the focus district's people in its regency, the rest by
    :func:`allocate`. The focus regency's villages are weighted (each focus village repeated)
    so that its people land in the focus district in the planned share and the rest of the
    regency keeps its share of the spread."""
    focus = focus_people(workers, regencies)
    spread = dict(allocate(workers - focus, regencies))
    district = cal.FOCUS_DISTRICT.replace(".", "")
    plan: list[tuple[Regency, int]] = []
    for regency in regencies:
        people = spread.get(regency, 0)
        inside = [v for v in regency.villages if v[1] == district] if focus else []
        if inside:
            spread_in = people * len(inside) / len(regency.villages)
            wanted = (focus + spread_in) / (people + focus)
            others = len(regency.villages) - len(inside)
            repeat = max(1, round(wanted * others / (len(inside) * (1 - wanted)))) if others else 1
            villages = tuple(
                village
                for v in regency.villages
                for village in ([v] * repeat if v[1] == district else [v])
            )
            regency = replace(regency, villages=villages)
            people += focus
        if people:
            plan.append((regency, people))
    return plan


def generate(ctx: Context, workers: int) -> Iterator[tuple[Regency, int, Rows]]:
    """Rows regency by regency, in code order: ``(regency, people, rows)``."""
    generator = Generator(ctx)
    for regency, people in allocate_with_focus(workers, ctx.regencies):
        yield regency, people, generator.regency(regency, people)
