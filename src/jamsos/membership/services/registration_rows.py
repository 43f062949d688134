"""What a registration writes, built in one place for the per-person services
(``person_register``, ``pu_worker_register``, ``bpu_self_register``...), the set-based
``register_many`` and the demo generator: the checks of a new person and of a start date, the
sponsor, the membership's field values, the ``started`` event's data and the audit records.

Pure functions (no query): each writer turns their result into a model instance or a row tuple.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from jamsos.access.audit import AuditEntry, changes_of
from jamsos.access.models import AuditAction
from jamsos.core.identifiers import is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.membership.checks import (
    Reason,
    clean_name,
    nik_reasons,
    phone_reasons,
    search_name_of,
    sex_normalise,
)
from jamsos.membership.errors import (
    RequiredField,
    SponsorIncomplete,
    StartBeforeBirth,
    error_for,
)
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import EventKind, Sex, SponsorKind, Status
from jamsos.membership.services._common import require_choice, require_level
from jamsos.registry.models import Level, Region

PERSON_TYPE = "membership.person"
MEMBERSHIP_TYPE = "membership.membership"

AUDIT_ACTION = {
    EventKind.STARTED: AuditAction.CREATE,
    EventKind.PROGRAMS_CHANGED: AuditAction.UPDATE,
    EventKind.WAGE_CHANGED: AuditAction.UPDATE,
    EventKind.INCOME_CHANGED: AuditAction.UPDATE,
    EventKind.SPONSOR_CHANGED: AuditAction.UPDATE,
    EventKind.ENDED: AuditAction.END,
}


def raise_first(reasons: list[Reason]) -> None:
    if reasons:
        reason = reasons[0]
        raise error_for(reason.code)(field=reason.field, **reason.params)


def person_checked(
    *,
    nik: str,
    name: str,
    birth_date: date,
    sex: str,
    domicile: Region,
    phone: str | None,
    today: date,
    known_districts: set[str],
) -> tuple[str, str, str, str | None]:
    """A new person's checks, in order (name, sex, domicile, NIK, phone); returns the
    normalised ``(nik, name, sex, phone)``. ``known_districts``: the 6-digit district codes
    known in the current edition, among those of the NIKs checked."""
    name = clean_name(name)
    if not name:
        raise RequiredField(field="name")
    sex = require_choice(sex_normalise(sex) or sex, Sex, field="sex")
    require_level(domicile, Level.VILLAGE, field="domicile")
    compact = nik_compact(nik)
    parts, reasons = nik_reasons(
        compact,
        birth_date=birth_date,
        sex=sex,
        today=today,
        known_districts=known_districts if is_ascii_digits(compact[:6]) else set(),
    )
    raise_first(reasons)
    assert parts is not None
    phone_e164, reasons = phone_reasons(phone)
    raise_first(reasons)
    return parts.nik, name, sex, phone_e164


def check_start(birth_date: date, start_date: date) -> None:
    if start_date < birth_date:
        raise StartBeforeBirth(start_date=start_date, birth_date=birth_date)


def sponsor_clean(
    name: str | None, kind: str | None, ref: str | None
) -> tuple[str | None, str | None, str | None]:
    """The sponsor's (name, kind, ref), all or none of name and kind."""
    name = clean_name(name) or None
    kind = (str(getattr(kind, "value", kind)).strip() or None) if kind is not None else None
    if (name is None) != (kind is None):
        raise SponsorIncomplete()
    if kind is not None:
        kind = require_choice(kind, SponsorKind, field="sponsor")
    ref = (ref or "").strip() or None
    return name, kind, ref


#: A new person's row (model attribute names; the writer adds ids and timestamps).
PERSON_FIELDS = (
    "nik", "name", "search_name", "birth_date", "sex", "phone", "domicile_id", "source",
)  # fmt: skip
#: A new membership's row, in the order of :func:`membership_row`.
MEMBERSHIP_FIELDS = (
    "person_id", "segment", "kpj", "employer_id", "declared_income_idr", "ecosystem", "channel",
    "sponsor_name", "sponsor_kind", "sponsor_ref", "project_id", "placement_id", "programs",
    "start_date", "end_date", "end_reason", "term_until", "status", "source",
    "branch_office_id", "partner_ref",
)  # fmt: skip
EVENT_FIELDS = ("membership_id", "kind", "data", "at", "actor_id")
WAGE_FIELDS = ("membership_id", "period", "wage_idr", "reported_at", "source")


def person_row(
    *,
    nik: str,
    name: str,
    birth_date: date | str,
    sex: str,
    phone: str | None,
    domicile_id: int,
    source: str,
) -> tuple[Any, ...]:
    """A new person's values in the order of :data:`PERSON_FIELDS` (already checked)."""
    return (nik, name, search_name_of(name), birth_date, sex, phone, domicile_id, source)


def membership_row(
    *,
    person_id: int,
    segment: str,
    kpj: str,
    programs: str,
    start_date: date | str,
    channel: str,
    branch_office_id: int,
    source: str,
    employer_id: int | None = None,
    declared_income_idr: int | None = None,
    ecosystem: str = "",
    sponsor: tuple[str | None, str | None, str | None] = (None, None, None),
    partner_ref: str | None = None,
    term_until: date | str | None = None,
    project_id: int | None = None,
    placement_id: int | None = None,
    end_date: date | str | None = None,
    end_reason: str = "",
) -> tuple[Any, ...]:
    """A membership's values in the order of :data:`MEMBERSHIP_FIELDS`: active from
    ``start_date``, or ended (the demo's history) when ``end_date`` is given. Dates are passed
    through as given (``date`` for the ORM, ISO text for the bulk writer)."""
    return (
        person_id,
        segment,
        kpj,
        employer_id,
        declared_income_idr,
        ecosystem,
        channel,
        sponsor[0],
        sponsor[1],
        sponsor[2],
        project_id,
        placement_id,
        programs,
        start_date,
        end_date,
        end_reason if end_date is not None else "",
        term_until,
        Status.ENDED.value if end_date is not None else Status.ACTIVE.value,
        source,
        branch_office_id,
        partner_ref or None,
    )


def started_data(segment: str, programs: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The ``started`` event's data: the segment, the programs and the segment's own terms."""
    return {"segment": segment, "programs": programs, **extra}


def pu_terms(employer_npp: str, wage_idr: int) -> dict[str, Any]:
    return {"employer_npp": employer_npp, "wage_idr": wage_idr}


def bpu_terms(declared_income_idr: int, sponsor_kind: str | None) -> dict[str, Any]:
    return {"declared_income_idr": declared_income_idr, "sponsor_kind": sponsor_kind}


def audit_value(value: Any) -> Any:
    return value if isinstance(value, (int, str, bool, type(None))) else str(value)


def event_audit(
    kind: EventKind | str, membership_id: int, kpj: str, segment: str, data: Mapping[str, Any]
) -> AuditEntry:
    """The audit record of a membership event (who, from where: the audit service adds it)."""
    kind = EventKind(kind)
    return AuditEntry(
        action=AUDIT_ACTION[kind],
        target_type=MEMBERSHIP_TYPE,
        target_id=str(membership_id),
        label=f"KPJ {kpj} {segment}",
        changes={key: [None, audit_value(value)] for key, value in data.items()},
        detail={"event": kind.value},
    )


def personal_data(
    *,
    nik: str,
    name: str,
    birth_date: date,
    sex: str,
    phone: str | None,
    domicile_code: str,
) -> dict[str, object]:
    """What the audit trail holds of a person's data (masked by ``changes_of``)."""
    return {
        "nik": nik,
        "name": name,
        "birth_date": birth_date,
        "sex": sex,
        "phone": phone,
        "domicile": domicile_code,
    }


def person_audit(person_id: int, personal: Mapping[str, object]) -> AuditEntry:
    """The ``create`` audit record of a new person."""
    label = f"{mask_nik(str(personal['nik']))} {personal['name']}".strip()[:200]
    return AuditEntry(
        action=AuditAction.CREATE,
        target_type=PERSON_TYPE,
        target_id=str(person_id),
        label=label,
        changes=changes_of({}, personal),
        detail={},
    )
