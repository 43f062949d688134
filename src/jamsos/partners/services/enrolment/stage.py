"""Staging a list: the batch, every row checked (:mod:`.checks`) and matched (:mod:`.match`),
kept with its verdict; a retried upload (same idempotency key, same file) is the same batch."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.membership.models import SponsorKind
from jamsos.partners.models import (
    SELF_PAYING_KINDS,
    Agreement,
    BatchKind,
    BatchStatus,
    EnrolmentBatch,
    EnrolmentRow,
    Partner,
    RowStatus,
)
from jamsos.partners.services.enrolment import _clock
from jamsos.partners.services.enrolment.checks import Row, check_rows
from jamsos.partners.services.enrolment.columns import (
    KIND_NAMES,
    SPONSOR_OF_PARTNER,
    reason,
    reasons_text,
)
from jamsos.partners.services.enrolment.errors import (
    AccountRequired,
    BadKind,
    KeyRequired,
    KeyReused,
    NoAgreement,
    NotAnAssociation,
    NotUploader,
    SponsorKindInvalid,
    TermRequired,
)
from jamsos.partners.services.enrolment.match import match_batch
from jamsos.partners.services.enrolment.own import require_own_sponsor
from jamsos.partners.services.enrolment.parse import parse_list
from jamsos.registry.models import Region
from jamsos.uploads.parsing import Table
from jamsos.uploads.validation import parse_date


@dataclass(frozen=True)
class StageResult:
    batch: EnrolmentBatch
    created: bool


def _partner(scope: Scope, code: str) -> Partner:
    from jamsos.partners.selectors.partners import partner_get

    return partner_get(scope, code)


def require_uploader(scope: Scope, partner: Partner) -> None:
    """The partner's own users, a branch officer who sees the partner, an administrator."""
    if scope.is_admin:
        return
    if scope.role == Role.PARTNER_USER and scope.partner_ref == partner.code:
        return
    if scope.role == Role.BRANCH_OFFICER:
        return  # partner_get already refused a partner outside the officer's area
    raise NotUploader(partner=partner.code)


def _agreement(partner: Partner, number: str) -> Agreement:
    query = Agreement.objects.select_related("branch_office").filter(partner=partner)
    number = (number or "").strip()
    if number:
        found = query.filter(number=number).first()
        if found is None:
            raise NoAgreement(partner=partner.code, number=f" {number}")
        return found
    found = query.exclude(status="draft").order_by("-starts_on", "-id").first()
    if found is None:
        raise NoAgreement(partner=partner.code, number="")
    return found


def _sponsor_kind(partner: Partner, value: str) -> str:
    value = (value or "").strip()
    if not value:
        derived = SPONSOR_OF_PARTNER.get(partner.kind)
        if derived is None:
            raise SponsorKindInvalid(
                value="", partner=partner.code, choices=", ".join(SponsorKind.values)
            )
        return derived.value
    if value not in SponsorKind.values:
        raise SponsorKindInvalid(
            value=value, partner=partner.code, choices=", ".join(SponsorKind.values)
        )
    return value


def _date_arg(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parsed, _ = parse_date(str(value))
    return parsed


def batch_stage(
    *,
    scope: Scope,
    partner_code: str,
    kind: str,
    idempotency_key: str,
    file_name: str,
    content: bytes,
    term_from: date | str | None = None,
    term_until: date | str | None = None,
    sponsor_kind: str = "",
    sponsor_ref: str = "",
    sponsor_name: str = "",
    agreement_number: str = "",
    today: date | None = None,
) -> StageResult:
    """Stage, check and match a list; see the package's description. Returns the batch (status
    ``validated``) and whether it was made now (``False``: the same key and file came before).
    """
    if scope.user_id is None:
        raise AccountRequired()
    partner = _partner(scope, partner_code)
    require_uploader(scope, partner)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise KeyRequired()
    digest = hashlib.sha256(content).hexdigest()
    existing = _same_key(partner, key, digest)
    if existing is not None:
        return StageResult(existing, False)
    kind = str(getattr(kind, "value", kind) or "").strip().lower()
    if kind not in BatchKind.values:
        raise BadKind(value=kind, choices=", ".join(BatchKind.values))
    today = today or _clock.today()
    terms = _Terms(kind, *_term(kind, term_from, term_until))
    _sponsor(terms, partner, sponsor_kind, sponsor_ref, sponsor_name)
    agreement = _agreement(partner, agreement_number)
    parsed = parse_list(content, file_name=file_name, kind=kind)
    batch = EnrolmentBatch(
        partner=partner,
        agreement=agreement,
        kind=kind,
        idempotency_key=key,
        file_name=(file_name or "")[:250],
        file_sha256=digest,
        branch_office_id=agreement.branch_office_id,
        term_from=terms.term_from,
        term_until=terms.term_until,
        sponsor_kind=terms.sponsor_kind,
        sponsor_ref=terms.sponsor_ref,
        sponsor_name=terms.sponsor_name,
        uploaded_by_id=scope.user_id,
    )
    try:
        with transaction.atomic():
            _create(scope, batch, parsed, today=today)
    except IntegrityError:
        # The same key arrived twice at the same moment: the other request made the batch.
        existing = _same_key(partner, key, digest)
        if existing is None:
            raise
        return StageResult(existing, False)
    return StageResult(batch, True)


@dataclass
class _Terms:
    """What a batch records besides its file: its term and, for BPU lists, its sponsor."""

    kind: str
    term_from: date | None
    term_until: date | None
    sponsor_kind: str = ""
    sponsor_ref: str = ""
    sponsor_name: str = ""


def _term(
    kind: str, term_from: date | str | None, term_until: date | str | None
) -> tuple[date | None, date | None]:
    """(start, end) of the list's term: required for election and sponsored lists, the end
    never before the start."""
    start, until = _date_arg(term_from), _date_arg(term_until)
    idn, en = KIND_NAMES[kind]
    if kind == BatchKind.ELECTION_WORKERS or kind == BatchKind.SPONSORED:
        if start is None or until is None or until < start:
            raise TermRequired(kind=idn, kind_en=en)
    elif start is not None and until is not None and until < start:
        raise TermRequired(kind=idn, kind_en=en)
    return start, until


def _sponsor(terms: _Terms, partner: Partner, kind: str, ref: str, name: str) -> None:
    """An association list needs a partner linked to an association; a BPU list gets its
    sponsor (by default the partner, a regional budget for election workers)."""
    if terms.kind == BatchKind.ASSOCIATION_WORKERS:
        if partner.association_id is None:
            raise NotAnAssociation(partner=partner.code)
        return
    if terms.kind in SELF_PAYING_KINDS:
        return  # the workers pay for themselves: no sponsor
    terms.sponsor_kind = (
        SponsorKind.REGIONAL_BUDGET.value
        if terms.kind == BatchKind.ELECTION_WORKERS and not kind
        else _sponsor_kind(partner, kind)
    )
    terms.sponsor_ref = (ref or "").strip()[:64] or partner.code
    require_own_sponsor(partner, terms.sponsor_ref)
    terms.sponsor_name = " ".join((name or "").split())[:200] or partner.name


def _create(scope: Scope, batch: EnrolmentBatch, parsed: Table, *, today: date) -> None:
    """Write the batch and its checked, matched rows; audited."""
    batch.save(force_insert=True)
    rows = check_rows(batch, parsed, today=today)
    _check_partner_regions(scope, rows)
    match_batch(batch, rows, today=today)
    _store(batch, rows, parsed)
    audit_record(
        scope,
        AuditAction.IMPORT,
        batch,
        label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
        detail={
            "file_name": batch.file_name,
            "file_sha256": batch.file_sha256,
            "counts": batch.counts,
            "stage": "staged",
        },
    )


def _check_partner_regions(scope: Scope, rows: list[Row]) -> None:
    """A partner's own user lists only people living in its agreement's regions
    (``Scope.partner_region_codes``); a row elsewhere is invalid (an officer's upload is not
    bound to the partner's regions)."""
    if scope.role != Role.PARTNER_USER:
        return
    ids = {row.village_id for row in rows if row.village_id is not None}
    codes = dict(Region.objects.filter(pk__in=ids).values_list("pk", "code"))
    allowed = sorted(scope.partner_region_codes)
    for row in rows:
        if row.village_id is None:
            continue
        code = codes.get(row.village_id, "")
        if not any(code == a or code.startswith(a + ".") for a in allowed):
            row.reasons.append(
                reason(
                    "enrolment.outside_partner_regions",
                    "village_code",
                    village=code,
                    partner=scope.partner_ref,
                    regions=", ".join(allowed) or "-",
                )
            )


def _same_key(partner: Partner, key: str, digest: str) -> EnrolmentBatch | None:
    found = EnrolmentBatch.objects.filter(partner=partner, idempotency_key=key).first()
    if found is None:
        return None
    if found.file_sha256 != digest:
        raise KeyReused(key=key, id=found.pk, file_name=found.file_name or "-")
    return found


def _store(batch: EnrolmentBatch, rows: list[Row], parsed: Table) -> None:
    EnrolmentRow.objects.bulk_create(
        (
            EnrolmentRow(
                batch=batch,
                row_number=row.line,
                data={
                    **row.raw,
                    "_birth_date": row.birth_date.isoformat() if row.birth_date else "",
                    "_sex": row.sex,
                    "_village_id": row.village_id,
                    "_phone": row.phone or "",
                    "_reasons": row.reasons,
                    "_notes": row.notes,
                },
                nik=row.nik[:16],
                name=row.name[:120],
                status=row.status,
                reason_code=(row.reasons[0]["code"] if row.reasons else "")[:40],
                reason=reasons_text(row.reasons or row.notes[-1:], "id")[:300],
                person_id=row.person_id,
            )
            for row in rows
        ),
        batch_size=2000,
    )
    counts = {s.value: 0 for s in RowStatus}
    for row in rows:
        counts[row.status] += 1
    counts["rows"] = len(rows)
    batch.counts = {
        **counts,
        "columns": parsed.columns,
        "ignored_columns": parsed.ignored,
        "format": parsed.file_format,
    }
    batch.status = BatchStatus.VALIDATED
    batch.save(update_fields=["counts", "status"])
