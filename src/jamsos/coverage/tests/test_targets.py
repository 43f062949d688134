"""Coverage targets: the progress arithmetic (hand-computed), the services' checks, permissions,
audit and the seed of the national target."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.coverage import selectors
from jamsos.coverage.errors import (
    BadChoice,
    BadPeriod,
    NotForLevel,
    NotPermitted,
    NotPositive,
    OfficeNotFound,
    RegionNotFound,
    RegionWrongLevel,
    RequiredField,
    TargetBeforeBaseline,
    TargetExists,
    TargetNotFound,
)
from jamsos.coverage.models import CoverageArea, CoverageTarget, TargetLevel
from jamsos.coverage.selectors import least_squares, progress_of
from jamsos.coverage.services.targets import (
    target_create,
    target_delete,
    target_update,
    targets_seed,
)
from jamsos.coverage.tests.test_selectors import ADMIN, ANALYST, APRIL, PARTNER, Cov, area

SIX = ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]


def target(goal: int, due: str, baseline: str = "2024-11") -> CoverageTarget:
    return CoverageTarget(
        pk=1,
        level=TargetLevel.NATIONAL,
        region_code="00",
        segment="",
        baseline_period=baseline,
        target_period=due,
        target_active=goal,
    )


def test_progress_linear_trend_behind() -> None:
    # given six months growing by exactly 10 a month, 150 active now, 1,000 due in six months
    series = dict(zip(SIX, [100, 110, 120, 130, 140, 150], strict=True))
    # when
    p = progress_of(target(1000, "2025-10"), series=series, periods=SIX)
    # then
    assert (p.current_period, p.current_active, p.baseline_active) == ("2025-04", 150, 100)
    assert p.gap == 850
    assert p.months_left == 6
    assert p.monthly_needed == 142  # ceil(850 / 6)
    assert p.monthly_rate_needed == Decimal("0.3719")  # (1000/150)^(1/6) - 1
    assert p.trend_months == 6
    assert p.trend_per_month == Decimal("10.00")
    assert p.projected_active == 210  # 150 + 6 x 10
    assert p.on_track is False
    assert p.achieved == Decimal("0.1500")


def test_progress_on_track() -> None:
    series = dict(zip(SIX, [100, 110, 120, 130, 140, 150], strict=True))
    p = progress_of(target(200, "2025-10"), series=series, periods=SIX)
    assert (p.gap, p.monthly_needed, p.projected_active, p.on_track) == (50, 9, 210, True)


def test_progress_least_squares_uneven() -> None:
    # y = 100,100,130,130,160,160 at x = 0..5: slope = 240 / 17.5 = 96/7, mean 130 at x = 2.5;
    # six months after x = 5 (x = 11): 130 + 96/7 x 8.5 = 246.57 -> 247.
    series = dict(zip(SIX, [100, 100, 130, 130, 160, 160], strict=True))
    p = progress_of(target(300, "2025-10"), series=series, periods=SIX)
    assert p.trend_per_month == Decimal("13.71")
    assert p.projected_active == 247
    assert p.on_track is False
    assert p.monthly_rate_needed == Decimal("0.1105")  # (300/160)^(1/6) - 1
    slope, intercept = least_squares([(0, 100), (1, 100), (2, 130), (3, 130), (4, 160), (5, 160)])
    assert slope * 7 == 96
    assert intercept + slope * 11 == Fraction(1726, 7)  # 246 4/7


def test_progress_uses_last_six_months_only() -> None:
    periods = ["2024-10", *SIX]
    series = {"2024-10": 10_000, **dict(zip(SIX, [100, 110, 120, 130, 140, 150], strict=True))}
    p = progress_of(target(1000, "2025-10"), series=series, periods=periods)
    assert (p.trend_months, p.trend_per_month) == (6, Decimal("10.00"))


def test_progress_due_or_past_and_no_data() -> None:
    series = dict(zip(SIX, [100, 110, 120, 130, 140, 150], strict=True))
    past = progress_of(target(140, "2025-03", "2024-12"), series=series, periods=SIX)
    assert (past.months_left, past.monthly_needed, past.monthly_rate_needed) == (0, None, None)
    assert past.on_track is True  # 150 >= 140 when the month has come
    one = progress_of(target(500, "2025-10"), series={"2025-04": 0}, periods=["2025-04"])
    assert (one.current_active, one.monthly_needed, one.monthly_rate_needed) == (0, 84, None)
    assert (one.projected_active, one.on_track, one.trend_months) == (None, None, 0)
    none = progress_of(target(500, "2025-10"), series={}, periods=[])
    assert (none.current_period, none.gap, none.months_left) == (None, 500, 0)


def _officer(cov: Cov) -> Scope:
    return cov.officer


def test_target_progress_over_computed_rows(cov: Cov) -> None:
    # given Kabupaten Bandung at 120 (Feb), 140 (Mar), 150 (Apr) and a target of 300 by October
    CoverageArea.objects.bulk_create([area("2025-02", APRIL[3], active=120)])
    target_create(
        ADMIN,
        level=2,
        region_code="32.04",
        baseline_period="2025-03",
        target_period="2025-10",
        target_active=300,
        source="Rencana kerja cabang 2025",
    )
    # when
    [p] = selectors.target_progress(ADMIN, code="32.04")
    # then: x = 0, 1, 2 -> slope 15, mean 136.67 at x = 1; at x = 8: 136.67 + 105 = 241.67
    assert p.name == "Kabupaten Bandung"
    assert (p.current_period, p.current_active, p.baseline_active) == ("2025-04", 150, 140)
    assert (p.gap, p.months_left, p.monthly_needed) == (150, 6, 25)
    assert p.monthly_rate_needed == Decimal("0.1225")
    assert (p.trend_per_month, p.projected_active, p.on_track) == (Decimal("15.00"), 242, False)
    assert p.achieved == Decimal("0.5000")


def test_office_target_reads_office_rows(cov: Cov) -> None:
    target_create(
        cov.officer,
        level=9,
        branch_office="KC3204",
        baseline_period="2025-03",
        target_period="2025-12",
        target_active=400,
    )
    [p] = selectors.target_progress(cov.officer, office_id=cov.office.pk)
    assert (p.branch_office_code, p.name, p.current_active, p.baseline_active) == (
        "KC3204",
        "Kantor Cabang Bandung",
        250,
        230,
    )
    assert p.gap == 150
    assert p.monthly_needed == 19  # ceil(150 / 8)


def test_create_checks(cov: Cov) -> None:
    base = {
        "level": 2,
        "region_code": "32.04",
        "baseline_period": "2025-01",
        "target_period": "2025-12",
        "target_active": 1000,
    }
    cases = [
        ({"level": 5}, BadChoice, "level"),
        ({"region_code": "32"}, RegionWrongLevel, "region_code"),
        ({"region_code": "99.99"}, RegionNotFound, "region_code"),
        ({"region_code": ""}, RequiredField, "region_code"),
        ({"target_period": "Desember"}, BadPeriod, "target_period"),
        ({"target_period": "2024-12"}, TargetBeforeBaseline, "target_period"),
        ({"target_active": -5}, NotPositive, "target_active"),
        ({"target_active": "banyak"}, NotPositive, "target_active"),
        ({"segment": "XX"}, BadChoice, "segment"),
        ({"branch_office": "KC3204"}, NotForLevel, "branch_office"),
        (
            {"level": 9, "region_code": "", "branch_office": "KC9999"},
            OfficeNotFound,
            "branch_office",
        ),
        ({"level": 9, "region_code": "32.04"}, NotForLevel, "region_code"),
    ]
    for change, error, field in cases:
        with pytest.raises(error) as refused:
            target_create(ADMIN, **{**base, **change})
        assert refused.value.field == field, change
        assert refused.value.message
    assert not CoverageTarget.objects.exists()
    assert not AuditEvent.objects.filter(target_type="coverage.target").exists()


def test_messages_are_bilingual(cov: Cov) -> None:
    with pytest.raises(TargetBeforeBaseline) as refused:
        target_create(
            ADMIN, level=0, baseline_period="2026-01", target_period="2025-12", target_active=5
        )
    assert refused.value.message_in("id") == (
        "Periode target 2025-12 harus sesudah periode awal 2026-01."
    )
    assert refused.value.message_in("en") == (
        "Target period 2025-12 must come after the baseline period 2026-01."
    )


def test_permissions(cov: Cov) -> None:
    regency = {"baseline_period": "2025-01", "target_period": "2025-12", "target_active": 10}
    # A branch officer sets targets for their regencies and their office, nothing else.
    own = target_create(cov.officer, level=2, region_code="32.73", **regency)
    with pytest.raises(NotPermitted):
        target_create(cov.officer, level=2, region_code="65.01", **regency)
    with pytest.raises(NotPermitted):
        target_create(cov.officer, level=1, region_code="32", **regency)
    with pytest.raises(NotPermitted):
        target_create(cov.officer, level=9, branch_office="KC6501", **regency)
    for reader in (ANALYST, PARTNER):
        with pytest.raises(NotPermitted):
            target_create(reader, level=0, **regency)
    # The far officer cannot see (404) nor change the Bandung target.
    with pytest.raises(TargetNotFound):
        target_update(cov.far_officer, own.pk, target_active=20)
    with pytest.raises(TargetNotFound):
        target_delete(cov.far_officer, own.pk)
    # Visibility: national targets for every coverage role, regencies within the scope.
    national = target_create(ADMIN, level=0, **regency)
    far = target_create(ADMIN, level=2, region_code="65.01", **regency)
    assert {p.target_id for p in selectors.target_progress(cov.officer)} == {own.pk, national.pk}
    assert {p.target_id for p in selectors.target_progress(PARTNER)} == {national.pk, far.pk}
    assert len(selectors.target_progress(ANALYST)) == 3
    with pytest.raises(NotPermitted):
        target_update(ANALYST, national.pk, target_active=20)


def test_update_delete_duplicate_and_audit(cov: Cov) -> None:
    common = {"level": 0, "baseline_period": "2023-10", "target_period": "2026-12"}
    created = target_create(ADMIN, target_active=70_000_000, source="okezone", **common)
    with pytest.raises(TargetExists) as dup:
        target_create(ADMIN, target_active=1, **common)
    assert dup.value.http_status == 409
    updated = target_update(ADMIN, created.pk, target_active="75.000.000", note="revised")
    assert (updated.target_active, updated.note, updated.source) == (
        75_000_000,
        "revised",
        "okezone",
    )
    target_delete(ADMIN, created.pk)
    assert not CoverageTarget.objects.exists()
    events = list(
        AuditEvent.objects.filter(target_type="coverage.target")
        .order_by("pk")
        .values_list("action", "target_id", "changes")
    )
    assert [e[0] for e in events] == ["create", "update", "end"]
    assert all(e[1] == str(created.pk) for e in events)
    assert events[1][2]["target_active"] == [70_000_000, 75_000_000]
    assert events[2][2]["target_active"] == [75_000_000, None]


def test_seed_national_target_is_idempotent(cov: Cov) -> None:
    first = targets_seed()
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    national = CoverageTarget.objects.get()
    assert (national.level, national.region_code, national.segment) == (0, "00", "")
    assert (national.target_period, national.target_active) == ("2026-12", 70_000_000)
    assert "70 juta" in national.source
    assert "rules.md" in national.note
    again = targets_seed()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert CoverageTarget.objects.count() == 1
    [p] = selectors.target_progress(ADMIN, code="00")
    assert (p.current_active, p.gap) == (300, 69_999_700)


def test_seed_file_refused_whole(cov: Cov, tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(
        "targets:\n"
        "  - {level: 0, baseline_period: '2025-01', target_period: '2026-12', target_active: 5}\n"
        "  - {level: 2, region_code: '32', baseline_period: '2025-01', target_period: '2026-12',"
        " target_active: 5}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegionWrongLevel):
        targets_seed(path=path)
    assert not CoverageTarget.objects.exists()
    assert Role.ADMIN  # the seeds are written as an operator (administrator)
