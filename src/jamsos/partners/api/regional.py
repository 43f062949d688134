"""The regional policy register in the API (/api/v1/partners/regional/...): instruments and
commitments in the caller's scope, recording them, marking a commitment done. The same selectors
and services as the pages and the command line (docs/partners/regional.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.partners.api.partners import _ERR
from jamsos.partners.models import Commitment, RegionalInstrument
from jamsos.partners.selectors.regional import (
    commitment_get,
    commitments_visible,
    instrument_get,
    instruments_visible,
)
from jamsos.partners.services.regional import (
    commitment_create,
    commitment_done,
    instrument_save,
)

router = Router(auth=SIGNED_IN)


class InstrumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    region_code: str
    issuer: str
    status: str
    signed_on: date | None
    in_force_from: date | None
    in_force_until: date | None
    budget_idr: int | None
    link: str
    agreement: str | None
    event_id: int | None
    source: str


class InstrumentIn(Schema):
    kind: str
    title: str
    region_code: str
    issuer: str
    number: str = ""
    status: str = "draft"
    signed_on: date | None = None
    in_force_from: date | None = None
    in_force_until: date | None = None
    budget_idr: int | None = None
    link: str = ""
    note: str = ""
    source: str = ""


class CommitmentOut(Schema):
    id: int
    what: str
    who: str
    region_code: str
    made_on: date
    made_at: str
    due_on: date | None
    status: str
    done_on: date | None
    done_note: str
    instrument_id: int | None
    event_id: int | None
    source: str


class CommitmentIn(Schema):
    what: str
    who: str
    region_code: str
    made_on: date
    made_at: str
    due_on: date | None = None
    instrument_id: int | None = None
    source: str = ""


class DoneIn(Schema):
    done_on: date
    note: str = ""


def _instrument(i: RegionalInstrument) -> dict[str, Any]:
    return {
        **{f: getattr(i, f) for f in InstrumentOut.model_fields if hasattr(i, f)},
        "id": i.pk,
        "agreement": i.agreement.number if i.agreement else None,
    }


def _commitment(c: Commitment) -> dict[str, Any]:
    return {f: getattr(c, f) for f in CommitmentOut.model_fields if f != "id"} | {"id": c.pk}


@router.get(
    "/regional/instruments",
    response={200: list[InstrumentOut], **_ERR},
    summary="Regional instruments in scope",
)
def instruments_list(
    request: HttpRequest, region: str = "", kind: str = "", status: str = ""
) -> Any:
    rows = instruments_visible(caller_scope(request), region=region, kind=kind, status=status)
    return [_instrument(i) for i in rows]


@router.post(
    "/regional/instruments",
    response={201: InstrumentOut, **_ERR},
    summary="Record a regional instrument",
)
def instruments_create(request: HttpRequest, payload: InstrumentIn) -> Any:
    instrument = instrument_save(caller_scope(request), **payload.dict())
    return Status(201, _instrument(instrument))


@router.get(
    "/regional/instruments/{instrument_id}",
    response={200: InstrumentOut, **_ERR},
    summary="A regional instrument",
)
def instruments_detail(request: HttpRequest, instrument_id: int) -> Any:
    return _instrument(instrument_get(caller_scope(request), instrument_id))


@router.get(
    "/regional/commitments",
    response={200: list[CommitmentOut], **_ERR},
    summary="Follow-up commitments in scope",
)
def commitments_list(request: HttpRequest, region: str = "", status: str = "") -> Any:
    rows = commitments_visible(caller_scope(request), region=region, status=status)
    return [_commitment(c) for c in rows]


@router.post(
    "/regional/commitments",
    response={201: CommitmentOut, **_ERR},
    summary="Record a follow-up commitment",
)
def commitments_create(request: HttpRequest, payload: CommitmentIn) -> Any:
    scope = caller_scope(request)
    values = payload.dict()
    instrument_id = values.pop("instrument_id")
    instrument = instrument_get(scope, instrument_id) if instrument_id else None
    commitment = commitment_create(scope, instrument=instrument, **values)
    return Status(201, _commitment(commitment))


@router.post(
    "/regional/commitments/{commitment_id}/done",
    response={200: CommitmentOut, **_ERR},
    summary="Mark a commitment done",
)
def commitments_done(request: HttpRequest, commitment_id: int, payload: DoneIn) -> Any:
    scope = caller_scope(request)
    commitment = commitment_done(
        scope, commitment_get(scope, commitment_id), done_on=payload.done_on, note=payload.note
    )
    return _commitment(commitment)
