"""Coverage targets: entered by authorised users, checked, audited (docs/coverage/targets.md).

Who may change targets:

- administrators: every target (national, province, regency, branch office);
- branch officers: the targets of their own office and of the regencies it serves;
- analysts and partner users read targets and their progress but do not set them; employer
  users and workers see no coverage at all.

Every change is one transaction with its audit record (``coverage.target``): created, updated
(with the changed fields) or deleted (action ``end``). The national universal-coverage target
and any other seeded targets live in ``jamsos/coverage/data/targets.yaml`` with their source and
are loaded by :func:`targets_seed` (``jamsos coverage targets load``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from jamsos.access.audit import audit_record, changes_of
from jamsos.access.models import AuditAction, Role
from jamsos.access.policy import refuse
from jamsos.access.scope import Scope
from jamsos.coverage.errors import (
    BadChoice,
    BadPeriod,
    FileInvalid,
    NotForLevel,
    NotPositive,
    OfficeNotFound,
    RegionNotFound,
    RegionWrongLevel,
    RequiredField,
    TargetBeforeBaseline,
    TargetExists,
    TargetNotFound,
)
from jamsos.coverage.models import CoverageTarget, TargetLevel
from jamsos.coverage.policy import COVERAGE
from jamsos.coverage.selectors import SEGMENTS, targets_visible
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice
from jamsos.registry.codes import looks_like_code, normalise_code
from jamsos.registry.errors import EditionNotFound
from jamsos.registry.models import NATIONAL_CODE, Region
from jamsos.registry.services.editions import edition_get

LEVEL_NAMES = {
    TargetLevel.NATIONAL: {"id": "nasional", "en": "national"},
    TargetLevel.PROVINCE: {"id": "provinsi", "en": "province"},
    TargetLevel.REGENCY: {"id": "kabupaten/kota", "en": "regency"},
    TargetLevel.BRANCH_OFFICE: {"id": "kantor cabang", "en": "branch office"},
}
LEVEL_WORDS = {"national": 0, "province": 1, "regency": 2, "office": 9, "branch_office": 9}
FIELDS = (
    "level",
    "region_code",
    "branch_office",
    "segment",
    "baseline_period",
    "target_period",
    "target_active",
    "source",
    "note",
)


def packaged_targets_file() -> Path:
    return Path(str(resources.files("jamsos.coverage").joinpath("data", "targets.yaml")))


# --- checks ------------------------------------------------------------------------------------


def _level(value: Any) -> int:
    text = str(value if value is not None else "").strip().lower()
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    try:
        level = int(text)
    except ValueError:
        level = -1
    if level not in TargetLevel.values:
        choices = "0 national, 1 province, 2 regency, 9 branch office"
        raise BadChoice(field="level", value=text, choices=choices)
    return level


def _period(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise RequiredField(field=field)
    try:
        return str(Period.parse(text))
    except ValueError:
        raise BadPeriod(field=field, value=text) from None


def _segment(value: Any) -> str:
    text = str(value or "").strip().upper()
    if text in {"ALL", "*"}:
        text = ""
    if text and text not in SEGMENTS:
        raise BadChoice(field="segment", value=text, choices=", ".join(SEGMENTS))
    return text


def _active(value: Any) -> int:
    try:
        number = int(str(value).replace(".", "").replace("_", "").strip())
    except (TypeError, ValueError):
        raise NotPositive(value=value) from None
    if number <= 0:
        raise NotPositive(value=value)
    return number


def _office(value: Any) -> BranchOffice:
    if isinstance(value, BranchOffice):
        return value
    text = str(value or "").strip()
    if not text:
        raise RequiredField(field="branch_office")
    office = BranchOffice.objects.filter(code=text).first()
    if office is None and text.isdigit():
        office = BranchOffice.objects.filter(pk=int(text)).first()
    if office is None:
        raise OfficeNotFound(value=text)
    return office


def _region_code(value: Any, level: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise RequiredField(field="region_code")
    code = normalise_code(text) if looks_like_code(text) else text
    try:
        edition = edition_get()
    except EditionNotFound:
        raise RegionNotFound(field="region_code", value=code) from None
    found = Region.objects.filter(edition=edition, code=code).values_list("level", flat=True)
    actual = found.first()
    if actual is None:
        raise RegionNotFound(field="region_code", value=code)
    if actual != level:
        raise RegionWrongLevel(value=code, expected=LEVEL_NAMES[TargetLevel(level)])
    return code


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a target's fields (syntax and semantics); raise the first refusal."""
    level = _level(data.get("level"))
    out: dict[str, Any] = {"level": level, "region_code": "", "branch_office": None}
    if level == TargetLevel.NATIONAL:
        code = str(data.get("region_code") or NATIONAL_CODE).strip()
        if code not in {NATIONAL_CODE, "0"}:
            raise RegionWrongLevel(value=code, expected=LEVEL_NAMES[TargetLevel.NATIONAL])
        out["region_code"] = NATIONAL_CODE
    elif level == TargetLevel.BRANCH_OFFICE:
        if str(data.get("region_code") or "").strip():
            raise NotForLevel(field="region_code", level=LEVEL_NAMES[TargetLevel(level)])
        out["branch_office"] = _office(data.get("branch_office"))
    else:
        out["region_code"] = _region_code(data.get("region_code"), level)
    if level != TargetLevel.BRANCH_OFFICE and data.get("branch_office"):
        raise NotForLevel(field="branch_office", level=LEVEL_NAMES[TargetLevel(level)])
    out["segment"] = _segment(data.get("segment"))
    out["baseline_period"] = _period(data.get("baseline_period"), "baseline_period")
    out["target_period"] = _period(data.get("target_period"), "target_period")
    if out["target_period"] <= out["baseline_period"]:
        raise TargetBeforeBaseline(value=out["target_period"], baseline=out["baseline_period"])
    if data.get("target_active") in (None, ""):
        raise RequiredField(field="target_active")
    out["target_active"] = _active(data.get("target_active"))
    out["source"] = str(data.get("source") or "").strip()[:300]
    out["note"] = str(data.get("note") or "").strip()
    return out


def may_set(scope: Scope, *, level: int, region_code: str, office: BranchOffice | None) -> bool:
    """Administrators: any target; branch officers: their office's and their regencies'."""
    if not COVERAGE.allows(scope, "targets.set"):
        return False
    if scope.role == Role.ADMIN:
        return True
    if level == TargetLevel.BRANCH_OFFICE:
        return office is not None and office.pk == scope.branch_office_id
    return level == TargetLevel.REGENCY and region_code in scope.regency_codes


def _require_set(scope: Scope, clean: dict[str, Any]) -> None:
    allowed = may_set(
        scope,
        level=clean["level"],
        region_code=clean["region_code"],
        office=clean["branch_office"],
    )
    if not allowed:
        raise refuse(scope, COVERAGE.rule("targets.set").says)


def _where(clean: dict[str, Any]) -> str:
    office: BranchOffice | None = clean["branch_office"]
    region_code: str = clean["region_code"]
    return office.code if office is not None else region_code


def _check_unique(clean: dict[str, Any], exclude: int | None = None) -> None:
    other = CoverageTarget.objects.filter(
        level=clean["level"],
        region_code=clean["region_code"],
        branch_office=clean["branch_office"],
        segment=clean["segment"],
        target_period=clean["target_period"],
    )
    if exclude is not None:
        other = other.exclude(pk=exclude)
    found = other.values_list("pk", flat=True).first()
    if found is not None:
        raise TargetExists(
            value=clean["target_period"],
            where=_where(clean),
            segment=clean["segment"] or {"id": "semua", "en": "all"},
            other=found,
        )


def _snapshot(target: CoverageTarget) -> dict[str, Any]:
    return {
        "level": target.level,
        "region_code": target.region_code,
        "branch_office": target.branch_office.code if target.branch_office is not None else None,
        "segment": target.segment,
        "baseline_period": target.baseline_period,
        "target_period": target.target_period,
        "target_active": target.target_active,
        "source": target.source,
        "note": target.note,
    }


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def target_create(scope: Scope, **data: Any) -> CoverageTarget:
    """Create a target from ``level, region_code | branch_office, segment, baseline_period,
    target_period, target_active, source, note``; audited."""
    clean = _clean(data)
    _require_set(scope, clean)
    _check_unique(clean)
    target = CoverageTarget(**clean, created_by_id=scope.user_id)
    target.full_clean()
    target.save()
    audit_record(
        scope,
        AuditAction.CREATE,
        target,
        target_type="coverage.target",
        changes=changes_of({}, _snapshot(target)),
    )
    return target


def target_get(scope: Scope, target_id: int) -> CoverageTarget:
    """A target the caller may see; 404 otherwise."""
    target = targets_visible(scope).filter(pk=target_id).first()
    if target is None:
        raise TargetNotFound(value=target_id)
    return target


@transaction.atomic
def target_update(scope: Scope, target_id: int, **changes: Any) -> CoverageTarget:
    """Change some fields of a target (the others stay); checked as a whole, audited."""
    target = target_get(scope, target_id)
    before = _snapshot(target)
    _require_set(
        scope,
        {
            "level": target.level,
            "region_code": target.region_code,
            "branch_office": target.branch_office,
        },
    )
    merged = {**before, **{k: v for k, v in changes.items() if k in FIELDS and v is not None}}
    if target.branch_office_id and "branch_office" not in changes:
        merged["branch_office"] = target.branch_office
    clean = _clean(merged)
    _require_set(scope, clean)
    _check_unique(clean, exclude=target.pk)
    for name, value in clean.items():
        setattr(target, name, value)
    target.full_clean(validate_constraints=False)
    target.save(update_fields=list(clean))
    after = _snapshot(target)
    diff = changes_of(before, after)
    if diff:
        audit_record(scope, AuditAction.UPDATE, target, target_type="coverage.target", changes=diff)
    return target


@transaction.atomic
def target_delete(scope: Scope, target_id: int) -> None:
    """Delete a target; the audit trail keeps what it was."""
    target = target_get(scope, target_id)
    _require_set(
        scope,
        {
            "level": target.level,
            "region_code": target.region_code,
            "branch_office": target.branch_office,
        },
    )
    snapshot = _snapshot(target)
    label = str(target)
    pk = target.pk
    target.delete()
    audit_record(
        scope,
        AuditAction.END,
        target_type="coverage.target",
        target_id=str(pk),
        label=label,
        changes=changes_of(snapshot, {}),
        detail={"deleted": True},
    )


# --- seeds -------------------------------------------------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} dibuat / created, {self.updated} diubah / updated, "
            f"{self.unchanged} tetap / unchanged"
        )


def _read_yaml(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FileInvalid(value=str(path), reason=str(exc).splitlines()[0]) from None
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise FileInvalid(value=str(path), reason=f"no list named {key!r}")
    return rows


@transaction.atomic
def targets_seed(*, path: Path | None = None, scope: Scope | None = None) -> SeedResult:
    """Load the targets of ``path`` (default: the packaged ``data/targets.yaml``), idempotently.

    A target is matched on (level, region or office, segment, target month): a new one is
    created, a changed one updated, an identical one left alone. Every row is checked like a
    target entered by hand; a bad row refuses the whole file. The seeds are written as the
    system (or ``scope``), audited.
    """
    path = path or packaged_targets_file()
    operator = scope or Scope.operator("system")
    result = SeedResult()
    for raw in _read_yaml(path, "targets"):
        clean = _clean(dict(raw))
        existing = CoverageTarget.objects.filter(
            level=clean["level"],
            region_code=clean["region_code"],
            branch_office=clean["branch_office"],
            segment=clean["segment"],
            target_period=clean["target_period"],
        ).first()
        if existing is None:
            target_create(operator, **clean)
            result.created += 1
            continue
        before = _snapshot(existing)
        after = {**before, **{k: clean[k] for k in FIELDS if k != "branch_office"}}
        if before == after:
            result.unchanged += 1
            continue
        target_update(operator, existing.pk, **{k: clean[k] for k in FIELDS})
        result.updated += 1
    return result
