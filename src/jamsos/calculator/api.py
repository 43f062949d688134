"""Calculations under the law: ``POST /api/v1/calculations/contribution``.

The request schema documents the inputs; the checking itself is done by
:func:`jamsos.legal.inputs.contribution_input`, the same as for the CLI and the web simulator, so
a bad value gets the same message (naming the field) whatever the entry point.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from jamsos.api.errors import ErrorOut
from jamsos.legal import EmployerSize, Industry, Payer, Program, Segment
from jamsos.legal.contribution import contribution
from jamsos.legal.inputs import contribution_input

router = Router(tags=["calculations"])

_WHOLE_NUMBER = {
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": "^[0-9]+$"},
    ]
}


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


def _request_schema_extra(schema: dict[str, Any]) -> None:
    schema["required"] = ["segment", "period"]
    schema["additionalProperties"] = False


class ContributionRequest(BaseModel):
    """One person-month. ``segment`` and ``period`` always; then the segment's own fields.

    Numbers may be sent as JSON numbers or numeric strings. A field that does not fit the
    segment is refused (400 ``invalid_input``), as is an unknown field.
    """

    model_config = ConfigDict(extra="allow", json_schema_extra=_request_schema_extra)

    segment: Annotated[Any, WithJsonSchema(_enum([s.value for s in Segment]))] = Field(
        None, description="Participant segment", examples=["PU"]
    )
    period: Annotated[Any, WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$"})] = Field(
        None, description="Contribution month, YYYY-MM", examples=["2025-03"]
    )
    wage: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None,
        description="PU (required): monthly wage (basic wage + fixed allowances), whole rupiah",
        examples=[5000000],
    )
    income: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="BPU (required): declared monthly income, whole rupiah"
    )
    contract_value: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="JAKON (required): project contract value, whole rupiah"
    )
    placement_months: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="PMI (required): length of the work agreement abroad, 1 to 120 months"
    )
    risk_class: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="PU: JKK risk class 1 (very low) to 5 (very high); default 1"
    )
    employer_size: Annotated[Any, WithJsonSchema(_enum([s.value for s in EmployerSize]))] = Field(
        None, description="PU: employer size, which sets the mandatory programs; default large"
    )
    programs: Annotated[
        Any,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "array", "items": _enum([Program.JHT.value, Program.JP.value])},
                    {"type": "string", "description": "comma-separated, e.g. JHT,JP"},
                ]
            }
        ),
    ] = Field(
        None,
        description="PU and BPU: optional programs joined on top of the mandatory ones",
        examples=[["JHT"]],
    )
    industry: Annotated[Any, WithJsonSchema(_enum([i.value for i in Industry]))] = Field(
        None, description="PU: industry, for the PP 7/2025 JKK discount"
    )
    workers: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="PU: the employer's active workers, for the PP 7/2025 JKK discount"
    )
    jkp_eligible: Annotated[Any, WithJsonSchema({"type": "boolean"})] = Field(
        None, description="PU: the worker can join JKP (WNI, under 54, in JKN); default true"
    )


class LineOut(Schema):
    program: Annotated[str, WithJsonSchema(_enum([p.value for p in Program]))]
    payer: Annotated[str, WithJsonSchema(_enum([p.value for p in Payer]))]
    base_idr: int
    rate: str | None = Field(
        description='Decimal fraction as a string ("0.0024" is 0.24%); null for a flat amount'
    )
    amount_idr: int
    reference: str = Field(description="The regulation and article that set the figure")


class TotalsOut(Schema):
    employer_idr: int
    worker_idr: int
    participant_idr: int
    government_idr: int
    total_idr: int


class BreakdownOut(Schema):
    """The contributions line by line; ``recomposed`` lines are informative and in no total."""

    period: str
    segment: Annotated[str, WithJsonSchema(_enum([s.value for s in Segment]))]
    lines: list[LineOut]
    totals: TotalsOut


@router.post(
    "/calculations/contribution",
    response={200: BreakdownOut, 400: ErrorOut, 429: ErrorOut, 500: ErrorOut},
    summary="Contributions for one person-month",
    url_name="calculations-contribution",
)
def calculation_contribution(request: HttpRequest, payload: ContributionRequest) -> dict[str, Any]:
    """Every contribution the law asks for one person-month, by program and payer, each with its
    base, rate, amount and legal reference, and the totals per payer. The body is the same as
    ``jamsos calc contribution --json``.

    Errors (400): ``invalid_input`` when a value is refused (the field is named in ``fields``),
    ``validation_error`` when the body is not a JSON object. Open to everyone, limited per
    address (429 ``access.too_many_requests``, with ``Retry-After``).
    """
    data = {name: value for name, value in payload.model_dump().items() if value is not None}
    return contribution(contribution_input(data)).to_json()
