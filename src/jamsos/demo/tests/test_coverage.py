"""The demo population: ``setup_demo`` builds the coverage facts, and a sample of regions at
every level matches a direct count from the registry.

The direct count reads memberships, their people's domicile villages and the month's invoice
lines through the ORM and counts in Python; it shares nothing with the job but the tables.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import Role
from jamsos.billing.models import InvoiceLine
from jamsos.coverage.models import CoverageArea
from jamsos.demo.billing import PERIODS
from jamsos.legal.periods import Period
from jamsos.membership.models import Membership
from jamsos.membership.services.accounts import user_access_grant
from jamsos.registry.models import Region

WORKERS = 3000


def direct(month: Period) -> dict[tuple[str, str], Counter]:
    """(region code, segment or "") -> counts, for every level, from the ORM."""
    status: dict[int, list[bool]] = defaultdict(list)
    for membership_id, paid_on in InvoiceLine.objects.filter(
        period=str(month), membership__isnull=False
    ).values_list("membership_id", "paid_on"):
        status[membership_id].append(paid_on is not None)
    paid_once: dict[int, list[bool]] = defaultdict(list)
    for membership_id, paid_on in InvoiceLine.objects.filter(membership__segment="PMI").values_list(
        "membership_id", "paid_on"
    ):
        paid_once[membership_id].append(paid_on is not None)
    projects: dict[int, list[bool]] = defaultdict(list)
    for project_id, paid_on in InvoiceLine.objects.filter(project__isnull=False).values_list(
        "project_id", "paid_on"
    ):
        projects[project_id].append(paid_on is not None)
    result: dict[tuple[str, str], Counter] = defaultdict(Counter)
    rows = Membership.objects.values_list(
        "id", "segment", "project_id", "start_date", "end_date", "person__domicile__code"
    )
    for pk, segment, project_id, start, end, village in rows:
        if start > month.last_day or (end and end < month.first_day):
            continue
        if segment in ("PU", "BPU"):
            active = pk in status and all(status[pk])
        elif segment == "PMI":
            active = pk in paid_once and all(paid_once[pk])
        else:
            active = project_id in projects and all(projects[project_id])
        counts = Counter(registered=1, active=int(active))
        counts["new"] = int((start.year, start.month) == (month.year, month.month))
        parts = village.split(".")
        for code in ["00"] + [".".join(parts[:n]) for n in range(1, 5)]:
            result[(code, "")].update(counts)
            result[(code, segment)].update(counts)
    return result


def _analyst() -> Client:
    """A signed-in analyst (aggregates only), as the dashboard's readers sign in."""
    user = get_user_model().objects.create_user("coverage-analyst", password="x")
    user_access_grant(username=user.username, role=Role.ANALYST)
    client = Client()
    client.force_login(user)
    return client


def _figure(page: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}">([^<]*)<', page)
    assert match, name
    return int(match.group(1).replace(".", "").replace(",", "") or 0)


def _page_figures(client: Client, code: str, period: str) -> tuple[int, int, int]:
    """Registered, active and new as the dashboard prints them for a region and month."""
    response = client.get("/cakupan/", {"wilayah": code, "periode": period})
    assert response.status_code == 200, (code, response.status_code)
    page = response.content.decode()
    return _figure(page, "registered"), _figure(page, "active"), _figure(page, "new")


def _level(code: str) -> int:
    return 0 if code == "00" else code.count(".") + 1


@pytest.mark.django_db
def test_demo_coverage_matches_a_direct_count_at_every_level():
    out = StringIO()
    call_command("setup_demo", workers=WORKERS, verbosity=0, stdout=out)
    assert "demo coverage" in out.getvalue()
    rng = random.Random(7)
    analyst = _analyst()
    checked = 0
    for period in (PERIODS[0], PERIODS[-1]):
        month = Period.parse(period)
        expected = direct(month)
        assert expected[("00", "")]["registered"] > WORKERS // 2
        rows = {
            (r.region_code, r.segment): r
            for r in CoverageArea.objects.filter(period=period, ecosystem="", channel="")
        }
        for level in range(5):
            codes = sorted({code for code, _seg in expected if _level(code) == level})
            for code in rng.sample(codes, min(8, len(codes))):
                for segment in ("", "PU", "BPU"):
                    want = expected.get((code, segment))
                    if not want:
                        continue
                    got = rows[(code, segment)]
                    assert got.level == level
                    assert (got.registered, got.active, got.new) == (
                        want["registered"],
                        want["active"],
                        want["new"],
                    ), (period, code, segment)
                    if segment == "" and period == PERIODS[-1]:
                        checked += 1
                        assert _page_figures(analyst, code, period) == (
                            want["registered"],
                            want["active"],
                            want["new"],
                        ), ("page", period, code)
    # The dashboard showed the same figures as the direct count, at every level.
    assert checked >= 20
    # The demo has lapsed members, and the map's denominators (the nation is published).
    lapsed = CoverageArea.objects.filter(level=0, segment="", ecosystem="", channel="")
    assert sum(r.lapsed for r in lapsed) > 0
    nation = CoverageArea.objects.get(
        period=PERIODS[-1], level=0, segment="", ecosystem="", channel=""
    )
    assert nation.potential
    assert nation.potential_kind == "employed"
    village = (
        CoverageArea.objects.filter(period=PERIODS[-1], level=4, segment="")
        .exclude(potential=None)
        .first()
    )
    assert village.potential_estimated
    # Every province and regency of the edition has its all-participants row.
    regencies = Region.objects.filter(edition__is_current=True, level=2).count()
    assert (
        CoverageArea.objects.filter(
            period=PERIODS[-1], level=2, segment="", ecosystem="", channel=""
        ).count()
        == regencies
    )
