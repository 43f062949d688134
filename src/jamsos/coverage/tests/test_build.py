"""The coverage job against a direct count from the registry.

A small world (PU workers of two employers, BPU workers in three ecosystems, in four villages of
two regencies) gets six months of invoice lines with seeded payment histories. The expected
figures are counted here in plain Python over the ORM objects (one membership at a time, the
definitions of ``Counts`` written out again), never with the job's SQL or frames, and compared
with every ``CoverageArea`` row at every level and slice, and with the facts and office rows.
"""

from __future__ import annotations

import os
import random
import socket
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jamsos.billing.models import Invoice, InvoiceLine, Payer, PayerKind
from jamsos.billing.tests.conftest import payer_make
from jamsos.core import partitions as partitions_module
from jamsos.coverage.models import (
    CoverageArea,
    CoverageFact,
    CoverageOffice,
    CoverageRun,
    RunStatus,
)
from jamsos.coverage.services import build as build_module
from jamsos.coverage.services._errors import JobBadPeriod, PeriodOrder, RunInProgress
from jamsos.coverage.services.build import APPORTION_METHOD, coverage_build
from jamsos.legal import parameters
from jamsos.legal.periods import Period
from jamsos.membership.models import Membership
from jamsos.membership.services import bpu_self_register, membership_end, pu_worker_register
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.registry.models import WorkforceFigure

MONTHS = [Period(2025, m) for m in range(1, 7)]
LEVEL_CODES = ("00", "province_code", "regency_code", "district_code", "code")


# --------------------------------------------------------------------------------------------
# The world


def _invoice(payer: Payer, period: str) -> Invoice:
    invoice, _ = Invoice.objects.get_or_create(
        payer=payer,
        period=period,
        kind="regular",
        defaults={
            "number": f"C{period.replace('-', '')}{payer.pk:08d}",
            "issued_on": date(2025, 1, 1),
            "due_date": date(2025, 1, 15),
        },
    )
    return invoice


def line(membership: Membership, period: str, paid: bool, payer: Payer) -> InvoiceLine:
    """One line of ``membership`` for ``period``, paid or not (amounts do not matter here)."""
    return InvoiceLine.objects.create(
        invoice=_invoice(payer, period),
        membership=membership,
        person_id_copy=membership.person_id,
        period=period,
        segment=membership.segment,
        base_idr=0,
        total_idr=0,
        paid_on=date(2025, 7, 1) if paid else None,
    )


@pytest.fixture
def world(regions: Regions) -> list[Membership]:
    rng = random.Random(5)
    villages = [regions.cileunyi_kulon, regions.cileunyi_wetan, regions.sukarasa]
    employers = [
        employer_create(village=regions.cileunyi_kulon, legal_name="PT Satu"),
        employer_create(village=regions.sukarasa, legal_name="PT Dua"),
    ]
    payers = {e.pk: payer_make(employer=e) for e in employers}
    sponsor = payer_make(sponsor_ref="TEST-SPONSOR")
    memberships: list[Membership] = []
    for i in range(24):
        start = date(2025, 1 + rng.randrange(4), 1 + rng.randrange(27))
        person = person_create(domicile=villages[i % 3], today=start)
        if i % 2 == 0:
            employer = employers[i % 4 // 2]
            m = pu_worker_register(
                employer=employer,
                person=person,
                wage_idr=5_000_000,
                start_date=start,
                today=start + timedelta(days=1),
            )
            payer = payers[employer.pk]
        else:
            m = bpu_self_register(
                person=person,
                declared_income_idr=1_000_000,
                ecosystem=["pasar", "umkm", "none"][i % 3],
                start_date=start,
                today=start + timedelta(days=1),
            )
            payer = sponsor
        if i % 7 == 3:
            m = membership_end(
                membership=m, end_date=date(2025, 4, 10 + i % 10), reason="resignation"
            )
        memberships.append(m)
        # Billed every month it is open; paid with a sticky habit so that runs of unpaid
        # months (lapses) and recoveries (reactivations) happen.
        habit = rng.random()
        for month in MONTHS:
            if m.start_date > month.last_day or (m.end_date and m.end_date < month.first_day):
                continue
            if rng.random() < 0.1:
                continue  # a month not billed (a rejected line, say)
            paid = rng.random() < (0.9 if habit < 0.5 else 0.3)
            line(m, str(month), paid, payer)
            if rng.random() < 0.1:  # a correction invoice for the same month, unpaid
                correction = payer_make(sponsor_ref=f"CORR-{m.pk}-{month}")
                line(m, str(month), False, correction)
    return memberships


# --------------------------------------------------------------------------------------------
# The direct count


def _unpaid(history: dict[str, list[bool]], period: Period) -> bool:
    paid = history.get(str(period))
    return paid is not None and not all(paid)


def expected_areas(month: Period) -> dict[tuple[str, str, str, str], Counter]:
    """(region code, segment, ecosystem, channel) -> counts, from the ORM, one membership at
    a time."""
    n = dict(parameters().get("status.lapse_months", month.legal_date).value)
    result: dict[tuple[str, str, str, str], Counter] = defaultdict(Counter)
    for m in Membership.objects.select_related("person__domicile"):
        if m.start_date > month.last_day or (m.end_date and m.end_date < month.first_day):
            continue
        history: dict[str, list[bool]] = defaultdict(list)
        for item in InvoiceLine.objects.filter(membership=m):
            history[item.period].append(item.paid_on is not None)
        counts = Counter(registered=1)
        paid = history.get(str(month))
        if m.segment in ("PU", "BPU"):
            if paid and all(paid):
                counts["active"] = 1
            need = int(n[m.segment])
            back = [Period.from_index(month.index - k) for k in range(need + 1)]
            if all(_unpaid(history, p) for p in back[:need]) and not _unpaid(history, back[need]):
                counts["lapsed"] = 1
            if counts["active"] and all(_unpaid(history, p) for p in back[1 : need + 1]):
                counts["reactivated"] = 1
        if (m.start_date.year, m.start_date.month) == (month.year, month.month):
            counts["new"] = 1
        village = m.person.domicile
        codes = ["00"] + [getattr(village, attr) for attr in LEVEL_CODES[1:]]
        eco = "" if m.ecosystem in ("", "none") else m.ecosystem
        slices = [("", "", ""), (m.segment, "", ""), ("", "", m.channel)]
        if eco:
            slices.append(("", eco, ""))
            if m.segment == "BPU":
                slices.append(("BPU", eco, ""))
        for code in codes:
            for s, e, c in slices:
                result[(code, s, e, c)].update(counts)
    return result


def _actual(month: Period) -> dict[tuple[str, str, str, str], Counter]:
    rows = CoverageArea.objects.filter(period=str(month))
    return {
        (r.region_code, r.segment, r.ecosystem, r.channel): Counter(
            {k: getattr(r, k) for k in ("registered", "active", "new", "lapsed", "reactivated")}
        )
        for r in rows
    }


@pytest.mark.django_db
def test_every_level_and_slice_matches_a_direct_count(world):
    run = coverage_build("2025-01", "2025-06", by="test")
    assert run.status == RunStatus.FINISHED
    assert run.progress_done == run.progress_total == 6
    totals = Counter()
    for month in MONTHS:
        expected = expected_areas(month)
        actual = _actual(month)
        for key, counts in expected.items():
            got = actual.get(key)
            assert got is not None, (month, key)
            assert +got == +counts, (month, key)  # unary + drops zero counts
        # Nothing written beyond the expected rows, but the zero rows of regions (in the
        # slices measured against a potential).
        for key, got in actual.items():
            if key not in expected:
                assert not +got, (month, key)
                assert key[1] in ("", "PU", "BPU"), key
                assert key[2:] == ("", ""), key
        totals.update(expected[("00", "", "", "")])
        # Every level sums to the nation.
        levels = Counter()
        for r in CoverageArea.objects.filter(
            period=str(month), segment="", ecosystem="", channel=""
        ):
            levels[r.level] += r.active
        assert len(set(levels.values())) == 1
        facts = CoverageFact.objects.filter(period=str(month))
        assert sum(f.registered for f in facts) == expected[("00", "", "", "")]["registered"]
        offices = CoverageOffice.objects.filter(period=str(month), segment="", ecosystem="")
        assert sum(o.active for o in offices) == expected[("00", "", "", "")]["active"]
    # The histories really exercise every count.
    assert all(totals[k] > 0 for k in ("registered", "active", "new", "lapsed", "reactivated"))
    # Regions with nobody registered still have their all-participants row.
    bulungan = CoverageArea.objects.get(period="2025-03", region_code="65.01", segment="")
    assert bulungan.registered == 0
    assert bulungan.level == 2


@pytest.mark.django_db
def test_rerun_is_idempotent_and_follows_new_payments(world):
    coverage_build("2025-02", "2025-04")
    first = sorted(
        CoverageArea.objects.filter(period="2025-03").values_list(
            "region_code", "segment", "ecosystem", "channel", "registered", "active", "lapsed"
        )
    )
    count = CoverageFact.objects.count()
    coverage_build("2025-03")
    again = sorted(
        CoverageArea.objects.filter(period="2025-03").values_list(
            "region_code", "segment", "ecosystem", "channel", "registered", "active", "lapsed"
        )
    )
    assert again == first
    assert CoverageFact.objects.count() == count
    # A payment arrives: the re-run follows it.
    InvoiceLine.objects.filter(period="2025-03").update(paid_on=date(2025, 7, 2))
    coverage_build("2025-03")
    nation = CoverageArea.objects.get(
        period="2025-03", region_code="00", segment="", ecosystem="", channel=""
    )
    assert nation.active == expected_areas(Period(2025, 3))[("00", "", "", "")]["active"]
    assert (
        nation.active
        == InvoiceLine.objects.filter(period="2025-03").values("membership").distinct().count()
    )


@pytest.mark.django_db
def test_a_failing_month_leaves_the_previous_rows(world, monkeypatch):
    coverage_build("2025-03")
    before = sorted(
        CoverageArea.objects.filter(period="2025-03").values_list(
            "region_code", "segment", "active"
        )
    )
    facts_before = CoverageFact.objects.filter(period="2025-03").count()
    InvoiceLine.objects.update(paid_on=None)  # would change every active count
    real = build_module.write_frame

    def failing(model, frame, **kwargs):
        if model is CoverageArea:
            raise RuntimeError("disk full")
        return real(model, frame, **kwargs)

    monkeypatch.setattr(build_module, "write_frame", failing)
    # Facts and areas go through the partition writer (ADR 0107), which writes with the same
    # function; the area write fails after the facts' partition was already replaced.
    monkeypatch.setattr(partitions_module, "write_frame", failing)
    with pytest.raises(RuntimeError):
        coverage_build("2025-03")
    after = sorted(
        CoverageArea.objects.filter(period="2025-03").values_list(
            "region_code", "segment", "active"
        )
    )
    assert after == before
    assert CoverageFact.objects.filter(period="2025-03").count() == facts_before
    failed = CoverageRun.objects.order_by("-id").first()
    assert failed.status == RunStatus.FAILED
    assert "disk full" in failed.error


@pytest.mark.django_db
def test_lapsed_and_reactivated_from_a_hand_made_history(regions):
    assert dict(parameters().get("status.lapse_months", date(2025, 6, 30)).value)["BPU"] == 3
    person = person_create(domicile=regions.sukarasa)
    m = bpu_self_register(
        person=person,
        declared_income_idr=1_000_000,
        start_date=date(2025, 1, 5),
        today=date(2025, 1, 6),
    )
    payer = payer_make(person=person)
    # Jan paid, Feb Mar Apr May unpaid, Jun paid, Jul unpaid, Aug not billed, Sep unpaid.
    history = {"2025-01": True, "2025-02": False, "2025-03": False, "2025-04": False,
               "2025-05": False, "2025-06": True, "2025-07": False, "2025-09": False}  # fmt: skip
    for period, paid in history.items():
        line(m, period, paid, payer)
    coverage_build("2025-01", "2025-10")
    rows = {
        r.period: (r.registered, r.active, r.new, r.lapsed, r.reactivated)
        for r in CoverageArea.objects.filter(region_code="32.73.01.1001", segment="BPU")
    }
    assert rows == {
        "2025-01": (1, 1, 1, 0, 0),
        "2025-02": (1, 0, 0, 0, 0),
        "2025-03": (1, 0, 0, 0, 0),
        "2025-04": (1, 0, 0, 1, 0),  # the third unpaid month in a row: lapsed
        "2025-05": (1, 0, 0, 0, 0),  # still lapsed, counted once
        "2025-06": (1, 1, 0, 0, 1),  # paid after 4 unpaid months: reactivated
        "2025-07": (1, 0, 0, 0, 0),
        "2025-08": (1, 0, 0, 0, 0),  # not billed: not active, and breaks the run
        "2025-09": (1, 0, 0, 0, 0),
        "2025-10": (1, 0, 0, 0, 0),
    }


@pytest.mark.django_db
def test_potential_equal_shares_add_up_to_the_regency(regions):
    common = {"period": "2024-08", "source": "BPS Sakernas Agustus 2024", "confidence": "medium"}
    WorkforceFigure.objects.create(region=regions.kab_bandung, kind="employed", count=1001,
                                   estimated=True, **common)  # fmt: skip
    WorkforceFigure.objects.create(region=regions.kab_bandung, kind="informal_employed",
                                   count=7, estimated=True, **common)  # fmt: skip
    WorkforceFigure.objects.create(region=regions.jabar, kind="employed", count=25_000_000,
                                   **common)  # fmt: skip
    later = {**common, "period": "2025-08"}  # after the month: not used
    WorkforceFigure.objects.create(region=regions.jabar, kind="informal_employed", count=1, **later)
    for village in (regions.cileunyi_kulon, regions.cileunyi_wetan):
        bpu_self_register(
            person=person_create(domicile=village),
            declared_income_idr=1_000_000,
            start_date=date(2025, 3, 1),
            today=date(2025, 3, 2),
        )
    coverage_build("2025-03")
    rows = {
        (r.region_code, r.segment): r
        for r in CoverageArea.objects.filter(period="2025-03", ecosystem="", channel="")
    }
    kulon, wetan = rows[("32.04.05.2001", "")], rows[("32.04.05.2002", "")]
    assert (kulon.potential, wetan.potential) == (501, 500)
    assert kulon.potential + wetan.potential == rows[("32.04", "")].potential == 1001
    assert rows[("32.04.05", "")].potential == 1001  # the regency's only district here
    assert kulon.potential_estimated
    assert APPORTION_METHOD in kulon.potential_source
    assert kulon.potential_kind == "employed"
    assert rows[("32.04.05.2001", "BPU")].potential + rows[("32.04.05.2002", "BPU")].potential == 7
    assert rows[("32.04.05.2001", "BPU")].potential_kind == "informal_employed"
    province = rows[("32", "")]
    assert province.potential == 25_000_000
    assert not province.potential_estimated
    assert province.potential_source == "BPS Sakernas Agustus 2024"
    assert rows[("32", "BPU")].potential is None  # its only figure is after the month
    assert rows[("00", "")].potential is None  # no national figure loaded


@pytest.mark.django_db
def test_one_run_at_a_time(regions):
    now = timezone.now()
    alive = CoverageRun.objects.create(
        period_from="2025-01", period_to="2025-01", started_at=now, heartbeat_at=now,
        process=f"{socket.gethostname()}:{os.getpid()}",
    )  # fmt: skip
    with pytest.raises(RunInProgress) as refused:
        coverage_build("2025-03")
    assert "sedang berjalan" in refused.value.message_in("id")
    assert "already in progress" in refused.value.message_in("en")
    # A run whose process is gone is taken over.
    CoverageRun.objects.filter(pk=alive.pk).update(process=f"{socket.gethostname()}:999999999")
    run = coverage_build("2025-03")
    assert run.status == RunStatus.FINISHED
    alive.refresh_from_db()
    assert alive.status == RunStatus.FAILED
    assert "abandoned" in alive.error


@pytest.mark.django_db
def test_bad_periods_are_refused_in_both_languages(regions):
    with pytest.raises(JobBadPeriod) as bad:
        coverage_build("2025-13")
    assert "TTTT-BB" in bad.value.message_in("id")
    assert "YYYY-MM" in bad.value.message_in("en")
    with pytest.raises(PeriodOrder):
        coverage_build("2025-04", "2025-01")
    assert not CoverageRun.objects.exists()


def _billed(period: str) -> None:
    from jamsos.billing.models import BillingRun

    now = timezone.now()
    BillingRun.objects.create(
        period=period, as_of=date(2025, 5, 1), status="finished", started_at=now, finished_at=now
    )


@pytest.mark.django_db
def test_since_last_recomputes_only_changed_months(world):
    for period in ("2025-01", "2025-02", "2025-03"):
        _billed(period)
    first = coverage_build(None, since_last=True)
    assert (first.period_from, first.period_to) == ("2025-01", "2025-03")
    # Nothing changed since: nothing to do.
    second = coverage_build(None, since_last=True)
    assert second.counts["months"] == 0
    # A new billing run for April: only April.
    _billed("2025-04")
    third = coverage_build(None, since_last=True)
    assert (third.period_from, third.period_to) == ("2025-04", "2025-04")
    assert CoverageArea.objects.filter(period="2025-04", region_code="00", segment="").exists()


def test_cli_build_prints_the_summary(world, capsys):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "coverage", "build", "--from", "2025-02", "--to", "2025-03", "--no-progress", stdout=out
    )
    text = out.getvalue()
    assert "2025-03" in text
    assert "selesai / coverage run finished" in text
    nation = CoverageArea.objects.get(
        period="2025-03", region_code="00", segment="", ecosystem="", channel=""
    )
    assert f"{nation.registered:,}".replace(",", ".") in text
    err = StringIO()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("coverage", "build", "--from", "2025-3", "--lang", "en", stdout=err)
    assert "must be YYYY-MM" in str(refused.value)
    assert PayerKind  # imported for the fixtures' payers


@pytest.mark.django_db
def test_areas_without_members_have_a_potential_and_rank_first(regions):
    """A village and a district where nobody is registered are the first places to go: they get
    rows (zeros) with their share of the regency's potential, and head the rankings at 0 %."""
    from jamsos.access.models import Role
    from jamsos.access.scope import Scope
    from jamsos.coverage import selectors

    common = {"period": "2024-08", "source": "BPS Sakernas Agustus 2024", "confidence": "medium"}
    WorkforceFigure.objects.create(region=regions.kab_bandung, kind="employed", count=1000,
                                   estimated=True, **common)  # fmt: skip
    WorkforceFigure.objects.create(region=regions.kota_bandung, kind="employed", count=400,
                                   estimated=True, **common)  # fmt: skip
    WorkforceFigure.objects.create(region=regions.kab_bandung, kind="informal_employed",
                                   count=600, estimated=True, **common)  # fmt: skip
    # Members only in Cileunyi Kulon; Cileunyi Wetan and all of Kota Bandung have none.
    for _ in range(2):
        bpu_self_register(
            person=person_create(domicile=regions.cileunyi_kulon),
            declared_income_idr=1_000_000,
            start_date=date(2025, 3, 1),
            today=date(2025, 3, 2),
        )
    coverage_build("2025-03")
    wetan = CoverageArea.objects.get(
        period="2025-03", region_code="32.04.05.2002", segment="", ecosystem="", channel=""
    )
    assert (wetan.registered, wetan.active) == (0, 0)
    assert wetan.potential > 0
    assert wetan.potential_kind == "employed"
    wetan_bpu = CoverageArea.objects.get(
        period="2025-03", region_code="32.04.05.2002", segment="BPU", ecosystem="", channel=""
    )
    assert wetan_bpu.potential > 0
    assert wetan_bpu.potential_kind == "informal_employed"
    sukasari = CoverageArea.objects.get(
        period="2025-03", region_code="32.73.01", segment="", ecosystem="", channel=""
    )
    assert sukasari.potential == 400
    admin = Scope(role=Role.ADMIN, actor_name="admin")
    by_rate = selectors.coverage_ranking(admin, level=4, by="rate")
    # Nobody paid yet in Cileunyi Kulon either: three villages at 0 %, ties by code.
    assert [r.code for r in by_rate] == ["32.04.05.2001", "32.04.05.2002", "32.73.01.1001"]
    assert all(r.rate == 0 for r in by_rate)
    assert [r.registered for r in by_rate] == [2, 0, 0]
    districts = selectors.coverage_ranking(admin, level=3, by="unprotected")
    assert [r.code for r in districts][:1] == ["32.04.05"]
    assert "32.73.01" in [r.code for r in districts]
    assert "65.01.01" in [r.code for r in selectors.coverage_ranking(admin, level=3, by="lapsed")]
