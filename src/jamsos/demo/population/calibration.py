"""The figures the synthetic population is calibrated on, and where each comes from.

Published figures (see ``data/README.md`` for the files and docs/registry/demo-population.md for
the reasoning) are marked *published*; the rest are *assumptions* of the demo, chosen to look
plausible, and say so.
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from jamsos.legal.types import Segment

#: The population is a snapshot at the end of February 2025, the month of the published split.
AS_OF = date(2025, 2, 28)
#: Program rules loaded in the legal parameters start here; earlier starts are clamped to it.
LAW_START = date(2015, 7, 1)
#: Wage reports kept per membership: the last three months up to AS_OF (or up to its end).
WAGE_MONTHS = 3

# Published (databoks, Kemnaker data, Feb 2025): active participants by segment, millions.
ACTIVE_FEB_2025 = {"PU": 26.26, "BPU": 9.58, "JAKON": 5.53}
ACTIVE_FEB_2025_TOTAL = 41.38
#: Assumption: PMI are not in the published three-way split; 1 % of active participants,
#: taken from the BPU figure (PMI pay their own package like BPU).
PMI_SHARE_OF_ACTIVE = 0.01

# Published (Kemnaker Satu Data, Dec 2023): 41.56 M active, 19.51 M non-active, 61.07 M registered.
ACTIVE_DEC_2023 = 41_560_000
INACTIVE_DEC_2023 = 19_510_000

#: Assumption: share of each segment's memberships that have ended, chosen so that the overall
#: ended share (about 32 %) matches the non-active share of Dec 2023 (19.51 / 61.07).
ENDED_SHARE: dict[Segment, float] = {
    Segment.PU: 0.28,
    Segment.BPU: 0.36,
    Segment.JAKON: 0.45,
    Segment.PMI: 0.40,
}

# Published (Feb 2025): 839,937 employers, 677,820 of them micro.
EMPLOYERS_FEB_2025 = 839_937
MICRO_EMPLOYERS_FEB_2025 = 677_820
#: Employer size shares by count: micro is published (80.7 %); the split of the other 19.3 % is an
#: assumption.
EMPLOYER_SIZE_SHARES = {
    "micro": MICRO_EMPLOYERS_FEB_2025 / EMPLOYERS_FEB_2025,
    "small": 0.140,
    "medium": 0.040,
}
EMPLOYER_SIZE_SHARES["large"] = 1.0 - sum(EMPLOYER_SIZE_SHARES.values())
#: Headcount ranges by size (BPS convention: micro 1–4, small 5–19, medium 20–99, large 100+);
#: large employers' headcount is log-normal (assumption). Published for comparison: 26.26 M
#: active PU participants / 839,937 employers = 31.3 per employer.
HEADCOUNT = {"micro": (1, 4), "small": (5, 19), "medium": (20, 99)}
LARGE_HEADCOUNT_MEDIAN = 900
LARGE_HEADCOUNT_SIGMA = 1.25
LARGE_HEADCOUNT_MAX = 40_000
ACTIVE_PU_PER_EMPLOYER = ACTIVE_FEB_2025["PU"] * 1_000_000 / EMPLOYERS_FEB_2025

#: Assumption: sex (share of men) by segment; Jakon is nearly all men, PMI mostly women.
MALE_SHARE = {Segment.PU: 0.62, Segment.BPU: 0.55, Segment.JAKON: 0.96, Segment.PMI: 0.35}
#: Assumption: age at AS_OF, (min, max, mode) of a triangular distribution, by segment.
AGE = {
    Segment.PU: (18, 58, 28),
    Segment.BPU: (18, 65, 36),
    Segment.JAKON: (18, 60, 32),
    Segment.PMI: (19, 45, 27),
}
#: The demo's focus: a share of the demo's people live in one district, dense enough for its
#: coverage to read like a real district's (about a fifth of its working people registered),
#: while the rest are spread over the nation by the published shares (about one demo person
#: for every 2,000 real participants, so their regions read near 0 %). Kecamatan Rancabali,
#: Kabupaten Bandung (tea estates; the seeds' Kabupaten Bandung campaign). Assumption, for
#: the demo's opening view only: the coverage dashboard opens here when a demo is loaded.
FOCUS_DISTRICT = "32.04.40"
FOCUS_SHARE = 0.30
#: Assumption: share of people whose NIK was issued outside the regency they live in.
MIGRANT_SHARE = 0.20
#: Assumption: share of people with a mobile number on file.
PHONE_SHARE = 0.90

#: Assumption: mobile prefixes by operator group and the group's share of numbers.
MOBILE_PREFIXES: list[tuple[float, tuple[str, ...]]] = [
    (0.50, ("0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853")),
    (0.20, ("0814", "0815", "0816", "0855", "0856", "0857", "0858")),
    (0.15, ("0817", "0818", "0819", "0859", "0877", "0878")),
    (0.10, ("0895", "0896", "0897", "0898", "0899")),
    (0.05, ("0881", "0882", "0883", "0884", "0885", "0886", "0887", "0888", "0889")),
]

# Wages (PU). Published: UMP 2025 by province (data/ump_2025_province.csv), +6.5 % on 2024
# (Permenaker 16/2024). The rest is an assumption: log-normal around the UMP, by employer size
# (micro and small enterprises are exempt from the minimum wage, PP 36/2021), with a share of
# workers paid exactly the UMP.
UMP_RISE_2025 = 0.065
WAGE_LOG_MEAN = {"micro": -0.10, "small": 0.10, "medium": 0.28, "large": 0.45}
WAGE_SIGMA = 0.45
WAGE_AT_UMP_SHARE = 0.20
WAGE_MIN = 1_000_000
WAGE_MAX = 150_000_000
#: Share of workers whose wage rose in January with the UMP (the others kept their 2024 wage).
JANUARY_RAISE_SHARE = 0.65

# BPU (assumptions).
BPU_MIN_INCOME = 1_000_000
BPU_MAX_INCOME = 20_700_000
BPU_AT_MINIMUM_SHARE = 0.40
BPU_INCOME_MEDIAN = 2_200_000
BPU_INCOME_SIGMA = 0.55
BPU_JHT_SHARE = 0.20
ECOSYSTEMS = {
    "pasar": 0.18,
    "desa_kelurahan": 0.24,
    "e_commerce": 0.07,
    "umkm": 0.20,
    "rentan": 0.16,
    "none": 0.15,
}
SPONSORED_RENTAN_SHARE = 0.90
SPONSOR_KINDS = {"regional_budget": 0.55, "zakat": 0.30, "csr": 0.15}
CSR_SHARE_OTHERS = 0.04

# PMI (assumptions, order of magnitude from BP2MI placement statistics, not verified).
PMI_DESTINATIONS = {
    "MY": 0.30,
    "TW": 0.28,
    "HK": 0.22,
    "KR": 0.05,
    "JP": 0.05,
    "SG": 0.04,
    "SA": 0.02,
    "BN": 0.02,
    "AE": 0.02,
}
PMI_MONTHS = {24: 0.75, 12: 0.15, 6: 0.10}


def active_segment_shares() -> dict[Segment, float]:
    """Shares of active participants by segment (PU, BPU, Jakon published; PMI assumed)."""
    total = sum(ACTIVE_FEB_2025.values())
    shares = {Segment(k): v / total for k, v in ACTIVE_FEB_2025.items()}
    shares[Segment.BPU] -= PMI_SHARE_OF_ACTIVE
    shares[Segment.PMI] = PMI_SHARE_OF_ACTIVE
    return shares


def registered_segment_shares() -> dict[Segment, float]:
    """Shares of all people (active and ended) by segment, so that the *active* ones match
    :func:`active_segment_shares` once each segment's ended share is removed."""
    raw = {s: share / (1 - ENDED_SHARE[s]) for s, share in active_segment_shares().items()}
    total = sum(raw.values())
    return {s: v / total for s, v in raw.items()}


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("jamsos.membership").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class ProvinceWeight:
    code: str
    weight: float  # share of active participants
    method: str  # "published" (Dec 2023 by province) or "population"


@functools.cache
def province_weights() -> dict[str, ProvinceWeight]:
    """Share of active participants by province.

    Published Dec 2023 counts for the 28 provinces in the source; the 10 missing provinces share
    the rest of the national 41.56 M in proportion to their registered population (Dukcapil,
    Dec 2024).
    """
    published: dict[str, int] = {}
    for row in _read_csv("bpjstk_participants_2023_12_province.csv"):
        if row["province_code"] != "00" and row["active_participants"]:
            published[row["province_code"]] = int(row["active_participants"])
    population = {
        row["code"]: int(row["population_total"])
        for row in _read_csv("province_regency_stats.csv")
        if row["level"] == "province"
    }
    missing = {code: pop for code, pop in population.items() if code not in published}
    rest = ACTIVE_DEC_2023 - sum(published.values())
    missing_pop = sum(missing.values())
    counts = {code: float(n) for code, n in published.items()}
    counts.update({code: rest * pop / missing_pop for code, pop in missing.items()})
    total = sum(counts.values())
    return {
        code: ProvinceWeight(
            code=code,
            weight=counts[code] / total,
            method="published" if code in published else "population",
        )
        for code in sorted(counts)
    }


@functools.cache
def regency_population() -> dict[str, int]:
    """Registered residents by regency code (dotted), Dukcapil Dec 2024."""
    return {
        row["code"]: int(row["population_total"])
        for row in _read_csv("province_regency_stats.csv")
        if row["level"] == "regency"
    }


@functools.cache
def ump_2025() -> dict[str, int]:
    return {
        row["province_code"]: int(row["ump_2025_idr"]) for row in _read_csv("ump_2025_province.csv")
    }


@functools.cache
def names_data() -> dict[str, Any]:
    text = resources.files("jamsos.membership").joinpath("data", "names.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
