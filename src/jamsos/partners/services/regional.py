"""The one writer of the regional policy register: instruments (regulations, budget lines,
circulars, instructions) and follow-up commitments (docs/partners/regional.md). Pages, API and
command line call these; each checks the policy and the caller's area and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.partners.models import (
    Agreement,
    Commitment,
    CommitmentStatus,
    InstrumentKind,
    InstrumentStatus,
    OutreachEvent,
    RegionalInstrument,
)
from jamsos.partners.policy import PARTNERS
from jamsos.partners.regional_errors import (
    AlreadyDone,
    BadRegionalValue,
    RegionOutsideArea,
    UnknownRegion,
)
from jamsos.partners.selectors.regional import may_record_in
from jamsos.registry.codes import normalise_code
from jamsos.registry.models import NATIONAL_CODE, Region

INSTRUMENT_FIELDS = (
    "kind",
    "number",
    "title",
    "region_code",
    "issuer",
    "status",
    "signed_on",
    "in_force_from",
    "in_force_until",
    "budget_idr",
    "link",
    "agreement",
    "event",
    "note",
    "source",
)
COMMITMENT_FIELDS = (
    "what",
    "who",
    "region_code",
    "due_on",
    "made_on",
    "made_at",
    "event",
    "agreement",
    "instrument",
    "source",
)


def _bad(field: str, value: Any, reason_id: str, reason_en: str) -> BadRegionalValue:
    return BadRegionalValue(
        field=field, value=str(value)[:60], reason_id=reason_id, reason_en=reason_en
    )


def _region(scope: Scope, raw: str) -> str:
    """A region code the caller may record in, dotted; ``00`` the nation (administrators)."""
    code = (raw or "").strip() or NATIONAL_CODE
    if code != NATIONAL_CODE:
        try:
            code = normalise_code(code)
        except ValueError:
            raise UnknownRegion(code=code[:20]) from None
        if not Region.objects.filter(edition__is_current=True, code=code).exists():
            raise UnknownRegion(code=code)
    if not may_record_in(scope, code):
        raise RegionOutsideArea(code=code)
    return code


def _checked_instrument(values: dict[str, Any]) -> None:
    if values.get("kind") not in InstrumentKind.values:
        raise _bad("kind", values.get("kind"), "jenis tidak dikenal", "unknown kind")
    if values.get("status") not in InstrumentStatus.values:
        raise _bad("status", values.get("status"), "status tidak dikenal", "unknown status")
    if not (values.get("title") or "").strip():
        raise _bad("title", "", "wajib diisi", "required")
    if not (values.get("issuer") or "").strip():
        raise _bad("issuer", "", "wajib diisi", "required")
    start, end = values.get("in_force_from"), values.get("in_force_until")
    if start and end and end < start:
        raise _bad("in_force_until", end, "sebelum tanggal mulai berlaku", "before it took force")
    budget = values.get("budget_idr")
    if budget is not None and int(budget) < 0:
        raise _bad("budget", budget, "tidak boleh negatif", "must not be negative")


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [str(before.get(k) or ""), str(v or "")]
        for k, v in after.items()
        if str(before.get(k) or "") != str(v or "")
    }


@transaction.atomic
def instrument_save(
    scope: Scope, *, instrument: RegionalInstrument | None = None, **fields: Any
) -> RegionalInstrument:
    """Record a new instrument, or change one (``instrument``); the region must be in the
    caller's area (before and after a change)."""
    PARTNERS.require(scope, "regional.record")
    unknown = set(fields) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before: dict[str, Any] = {}
    if instrument is not None:
        _region(scope, instrument.region_code)
        before = {f: getattr(instrument, f) for f in INSTRUMENT_FIELDS}
    values = {**before, **fields}
    values.setdefault("status", InstrumentStatus.DRAFT)
    values["region_code"] = _region(scope, values.get("region_code", ""))
    _checked_instrument(values)
    target = instrument or RegionalInstrument(created_by_id=scope.user_id)
    blank_text = ("number", "link", "note", "source")
    for name, value in values.items():
        setattr(target, name, "" if value is None and name in blank_text else value)
    target.save()
    audit_record(
        scope,
        AuditAction.UPDATE if instrument else AuditAction.CREATE,
        target,
        label=str(target)[:200],
        changes=_changes(before, {k: values[k] for k in ("status", "region_code", "title")}),
    )
    return target


@transaction.atomic
def commitment_create(scope: Scope, **fields: Any) -> Commitment:
    """Record a follow-up commitment made at an audience or event."""
    PARTNERS.require(scope, "regional.record")
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = dict(fields)
    values["region_code"] = _region(scope, values.get("region_code", ""))
    for name in ("what", "who", "made_at"):
        if not (values.get(name) or "").strip():
            raise _bad(name, "", "wajib diisi", "required")
    if not isinstance(values.get("made_on"), date):
        raise _bad("made_on", values.get("made_on"), "tanggal wajib diisi", "a date is required")
    due = values.get("due_on")
    if due is not None and due < values["made_on"]:
        raise _bad("due_on", due, "sebelum tanggal komitmen dibuat", "before it was made")
    commitment = Commitment.objects.create(created_by_id=scope.user_id, **values)
    audit_record(scope, AuditAction.CREATE, commitment, label=str(commitment)[:200])
    return commitment


@transaction.atomic
def commitment_done(
    scope: Scope, commitment: Commitment, *, done_on: date, note: str = ""
) -> Commitment:
    """Mark a commitment done on a date, with what was done."""
    PARTNERS.require(scope, "regional.record")
    _region(scope, commitment.region_code)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.status == CommitmentStatus.DONE:
        raise AlreadyDone(done_on=str(locked.done_on))
    if done_on < locked.made_on:
        raise _bad("done_on", done_on, "sebelum tanggal komitmen dibuat", "before it was made")
    locked.status = CommitmentStatus.DONE
    locked.done_on = done_on
    locked.done_note = note.strip()
    locked.save(update_fields=["status", "done_on", "done_note"])
    audit_record(
        scope,
        AuditAction.UPDATE,
        locked,
        label=str(locked)[:200],
        changes={"status": ["open", "done"], "done_on": ["", str(done_on)]},
    )
    return locked


# --- loading a register file (the demo's rows from the seeds) ---------------------------------


def seed_file() -> Path:
    """The rows the seed articles describe (``partners/data/regional_seed.yaml``)."""
    return Path(str(resources.files("jamsos.partners").joinpath("data", "regional_seed.yaml")))


@dataclass
class LoadResult:
    instruments_created: int = 0
    commitments_created: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "instruments": self.instruments_created,
            "commitments": self.commitments_created,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
        }


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def regional_load(scope: Scope, path: Path) -> LoadResult:
    """Load instruments and commitments from a YAML file (``instruments:``, ``commitments:``;
    see ``partners/data/regional_seed.yaml``). Idempotent: a row already there (same kind,
    number, title and region; same event and commitment text) is left alone; a row of a region
    not in the current region list is skipped (listed in the result)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = LoadResult()
    by_key: dict[str, RegionalInstrument] = {}
    known = set(Region.objects.filter(edition__is_current=True).values_list("code", flat=True)) | {
        NATIONAL_CODE
    }
    for raw in data.get("instruments", []):
        key = raw.get("key", "")
        if raw.get("region_code", NATIONAL_CODE) not in known:
            result.skipped.append(raw["title"])
            continue
        existing = RegionalInstrument.objects.filter(
            kind=raw["kind"],
            number=raw.get("number", ""),
            title=raw["title"],
            region_code=raw.get("region_code", NATIONAL_CODE),
        ).first()
        if existing is not None:
            result.unchanged += 1
            by_key[key] = existing
            continue
        by_key[key] = instrument_save(
            scope,
            kind=raw["kind"],
            number=raw.get("number", ""),
            title=raw["title"],
            region_code=raw.get("region_code", NATIONAL_CODE),
            issuer=raw["issuer"],
            status=raw.get("status", InstrumentStatus.IN_FORCE),
            signed_on=_date(raw.get("signed_on")),
            in_force_from=_date(raw.get("in_force_from")),
            in_force_until=_date(raw.get("in_force_until")),
            budget_idr=raw.get("budget_idr"),
            link=raw.get("link", ""),
            note=raw.get("note", ""),
            source=raw.get("source", ""),
        )
        result.instruments_created += 1
    for raw in data.get("commitments", []):
        if raw.get("region_code", NATIONAL_CODE) not in known:
            result.skipped.append(raw["what"])
            continue
        if Commitment.objects.filter(made_at=raw["made_at"], what=raw["what"]).exists():
            result.unchanged += 1
            continue
        event = None
        if raw.get("event_title"):
            event = OutreachEvent.objects.filter(title=raw["event_title"]).first()
        agreement = None
        if raw.get("agreement"):
            agreement = Agreement.objects.filter(number=raw["agreement"]).first()
        commitment = commitment_create(
            scope,
            what=raw["what"],
            who=raw["who"],
            region_code=raw.get("region_code", NATIONAL_CODE),
            made_on=_date(raw["made_on"]),
            made_at=raw["made_at"],
            due_on=_date(raw.get("due_on")),
            event=event,
            agreement=agreement,
            instrument=by_key.get(raw.get("instrument", "")),
            source=raw.get("source", ""),
        )
        result.commitments_created += 1
        done_on = _date(raw.get("done_on"))
        if done_on is not None:
            commitment_done(scope, commitment, done_on=done_on, note=raw.get("done_note", ""))
    return result
