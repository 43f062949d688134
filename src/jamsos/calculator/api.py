"""Calculations under the law: ``POST /api/v1/calculations/contribution`` and ``.../benefit``.

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
from jamsos.legal.benefits import (
    BENEFITS,
    CASES,
    JHT_REASONS,
    SCHOOL_LEVELS,
    SURVIVORS,
    benefit_calculate,
    benefit_input,
)
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
    response={200: BreakdownOut, 400: ErrorOut, 500: ErrorOut},
    summary="Contributions for one person-month",
    url_name="calculations-contribution",
)
def calculation_contribution(request: HttpRequest, payload: ContributionRequest) -> dict[str, Any]:
    """Every contribution the law asks for one person-month, by program and payer, each with its
    base, rate, amount and legal reference, and the totals per payer. The body is the same as
    ``jamsos calc contribution --json``.

    Errors (400): ``invalid_input`` when a value is refused (the field is named in ``fields``),
    ``validation_error`` when the body is not a JSON object.
    """
    data = {name: value for name, value in payload.model_dump().items() if value is not None}
    return contribution(contribution_input(data)).to_json()


# --- benefits ----------------------------------------------------------------------------------


def _benefit_schema_extra(schema: dict[str, Any]) -> None:
    schema["required"] = ["program", "case", "date"]
    schema["additionalProperties"] = False


_PERCENT = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 100},
        {"type": "string", "pattern": r"^[0-9]+([.,][0-9]+)?$"},
    ]
}
_COUNT = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": "^[0-9]+$"},
    ]
}


class BenefitRequestIn(BaseModel):
    """One claim to simulate under the law in force on ``date`` (the date of the death, accident,
    job loss or claim). The stated history is taken as given; a condition left out is taken as
    met. Numbers may be JSON numbers or numeric strings; an unknown field is refused."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_benefit_schema_extra)

    program: Annotated[Any, WithJsonSchema(_enum(list(CASES)))] = Field(
        None, description="Program", examples=["JKM"]
    )
    case: Annotated[
        Any, WithJsonSchema(_enum(sorted({c for cases in CASES.values() for c in cases})))
    ] = Field(
        None,
        description="JKM death; JKK death, temporary_disability, total_permanent_disability, "
        "partial_disability; JHT full, partial_10, partial_30; JP old_age, disability, death; "
        "JKP job_loss",
        examples=["death"],
    )
    date: Annotated[Any, WithJsonSchema({"type": "string", "format": "date"})] = Field(
        None, description="Date of the event or claim, YYYY-MM-DD", examples=["2025-03-10"]
    )
    segment: Annotated[Any, WithJsonSchema(_enum(["PU", "BPU"]))] = Field(
        None, description="PU wage earner (default) or BPU self-employed"
    )
    wage: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="Monthly wage (PU) or declared income (BPU), whole rupiah (JKK, JKP)"
    )
    contribution_months: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="Months of contributions paid (masa iur)"
    )
    months_unable: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="JKK temporary disability: months unable to work"
    )
    disability_percent: Annotated[Any, WithJsonSchema(_PERCENT)] = Field(
        None, description="JKK partial disability: the table percent, 0-100"
    )
    disability_row: Annotated[Any, WithJsonSchema({"type": "string"})] = Field(
        None, description="JKK partial disability: a row of the disability table"
    )
    functional_loss_percent: Annotated[Any, WithJsonSchema(_PERCENT)] = Field(
        None, description="JKK functional disability: percent of function lost, 0-100"
    )
    children: Annotated[
        Any, WithJsonSchema({"type": "array", "items": _enum(list(SCHOOL_LEVELS))})
    ] = Field(None, description="Each child's school level now (scholarship)", examples=[["SD"]])
    balance: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="JHT balance, or the JP balance paid as a lump sum"
    )
    average_wage: Annotated[Any, WithJsonSchema(_WHOLE_NUMBER)] = Field(
        None, description="JP: average indexed monthly wage"
    )
    membership_months: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="Months of membership (JHT partial claim, JP)"
    )
    contribution_density_percent: Annotated[Any, WithJsonSchema(_PERCENT)] = Field(
        None, description="JP: share of membership months paid, 0-100"
    )
    claim_reason: Annotated[Any, WithJsonSchema(_enum(list(JHT_REASONS)))] = Field(
        None, description="JHT full claim: why"
    )
    months_since_stop: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="JHT: whole months since work stopped"
    )
    jht_partial_claimed: Annotated[Any, WithJsonSchema({"type": "boolean"})] = Field(
        None, description="JHT: a partial claim was already paid"
    )
    age: Annotated[Any, WithJsonSchema(_COUNT)] = Field(None, description="Age on the date")
    survivor: Annotated[Any, WithJsonSchema(_enum(list(SURVIVORS)))] = Field(
        None, description="JP death: who receives the survivor pension (default spouse)"
    )
    months_since_job_loss: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="JKP: whole months since the job loss"
    )
    consecutive_months: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="JKP (PP 37/2021): consecutive months paid before the job loss"
    )
    jkp_claims_before: Annotated[Any, WithJsonSchema(_COUNT)] = Field(
        None, description="JKP: claims already paid"
    )


class BenefitLineOut(Schema):
    benefit: Annotated[str, WithJsonSchema(_enum(list(BENEFITS)))]
    amount_idr: int | None = Field(
        description="The whole amount of the line; null for a pension paid for life; negative "
        "for tax withheld"
    )
    per_month_idr: int | None
    months: int | None
    reference: str = Field(description="The regulation that sets the figure")


class BenefitOut(Schema):
    """The benefits line by line; ``total_idr`` sums the non-null amounts (0 when not
    eligible). ``reasons`` are stable keys saying why nothing is paid."""

    program: str
    case: str
    date: str
    eligible: bool
    reasons: list[str]
    lines: list[BenefitLineOut]
    total_idr: int


@router.post(
    "/calculations/benefit",
    response={200: BenefitOut, 400: ErrorOut, 500: ErrorOut},
    summary="Benefits of one claim",
    url_name="calculations-benefit",
)
def calculation_benefit(request: HttpRequest, payload: BenefitRequestIn) -> dict[str, Any]:
    """The benefits of one claim under the law in force on ``date``, each line with its
    regulation. The body is the same as ``jamsos calc benefit --json``. Not being entitled is a
    200 with ``eligible`` false and the reasons.

    Errors (400): ``invalid_input`` when a value is refused (the field is named in ``fields``),
    ``validation_error`` when the body is not a JSON object.
    """
    data = {name: value for name, value in payload.model_dump().items() if value is not None}
    return benefit_calculate(benefit_input(data)).as_dict()
