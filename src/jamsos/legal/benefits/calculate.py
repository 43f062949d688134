"""The benefit calculator: one claim in, its benefits line by line out.

Pure functions over the dated parameters in ``parameters/benefits/`` (and
``jht/development_return.yaml``). The request states a history; the calculator takes it as given
and applies the law in force on the request's date. A condition the request leaves unstated
(``None``) is taken as met, and the result says so in its notes.

Amounts are gross whole rupiah, rounded half up; tax withheld is a negative ``tax`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jamsos.legal.benefits.types import (
    CASES,
    JHT_REASONS,
    SCHOOL_LEVELS,
    SEGMENTS,
    SURVIVORS,
    BenefitLine,
    BenefitRequest,
    BenefitResult,
)
from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import rate_ppm
from jamsos.legal.params import RATE_SCALE, Parameters, ParamValue, parameters

#: The first day the benefit rules loaded cover (PP 44/2015, 45/2015, 46/2015 in force).
FIRST_DATE = date(2015, 7, 1)
#: The largest amount accepted (Rp 1 trillion): beyond any real wage or balance.
MAX_AMOUNT_IDR = 1_000_000_000_000
#: The largest number of months accepted (100 years).
MAX_MONTHS = 1200
_CONFIDENCE_ORDER = ("low", "medium", "high")
_HUNDRED = Decimal(100)

P_JKM_DEATH = "benefits.jkm.death"
P_SCHOLARSHIP_RULES = "benefits.scholarship.rules"
P_SCHOLARSHIP_FLAT = "benefits.scholarship.flat"
P_SCHOLARSHIP_LEVELS = "benefits.scholarship.levels"
P_JKK_DEATH = "benefits.jkk.death"
P_JKK_TPD = "benefits.jkk.total_permanent_disability"
P_JKK_PARTIAL = "benefits.jkk.partial_disability"
P_JKK_TABLE = "benefits.jkk.disability_table"
P_JKK_STMB = "benefits.jkk.temporary_disability"
P_JKK_CARE = "benefits.jkk.care_limits"
P_JHT_CLAIMS = "benefits.jht.claims"
P_JHT_TAX = "benefits.jht.lump_sum_tax"
P_JHT_RETURN = "jht.development_return"
P_JP_AGE = "benefits.jp.pension_age"
P_JP_FORMULA = "benefits.jp.formula"
P_JP_LIMITS = "benefits.jp.benefit_limits"
P_JP_SHARES = "benefits.jp.survivor_shares"
P_JKP_CASH = "benefits.jkp.cash_benefit"
P_JKP_CONDITIONS = "benefits.jkp.claim_conditions"


# --- small exact helpers -----------------------------------------------------------------------


def round_half_up(value: Decimal) -> int:
    """A non-negative exact amount rounded half up to the rupiah."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _lowest(*confidences: str) -> str:
    return min(confidences, key=_CONFIDENCE_ORDER.index, default="high")


def _line(
    benefit: str,
    value: ParamValue,
    *,
    amount: int | None,
    per_month: int | None = None,
    months: int | None = None,
    confidence: str | None = None,
    reference: str | None = None,
    detail: str = "",
) -> BenefitLine:
    return BenefitLine(
        benefit=benefit,
        amount_idr=amount,
        per_month_idr=per_month,
        months=months,
        reference=reference or value.reference_text,
        parameter=value.name,
        confidence=confidence or value.confidence,
        detail=detail,
    )


@dataclass
class _Draft:
    """The result being built: lines, reasons and notes in order."""

    request: BenefitRequest
    params: Parameters
    lines: list[BenefitLine]
    reasons: list[str]
    notes: list[str]

    def get(self, name: str) -> ParamValue:
        return self.params.get(name, self.request.date)

    def note(self, key: str) -> None:
        if key not in self.notes:
            self.notes.append(key)

    def refuse(self, key: str) -> None:
        if key not in self.reasons:
            self.reasons.append(key)


# --- checking the request ----------------------------------------------------------------------


def _check_count(field: str, value: int | None, *, minimum: int = 0) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise LegalInputError(field, "not_whole_number", value=value)
    if value < minimum or value > MAX_MONTHS:
        raise LegalInputError(
            field, "out_of_range", value=value, minimum=minimum, maximum=MAX_MONTHS
        )


def _check_amount(field: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise LegalInputError(field, "not_integer", value=value)
    if value < 0:
        raise LegalInputError(field, "negative", value=value)
    if value == 0:
        raise LegalInputError(field, "not_positive", value=value)
    if value > MAX_AMOUNT_IDR:
        raise LegalInputError(field, "too_large", value=value, maximum=MAX_AMOUNT_IDR)


def _check_percent(field: str, value: Decimal | None, *, zero: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise LegalInputError(field, "not_percent", value=value)
    value = Decimal(value)
    if not value.is_finite():
        raise LegalInputError(field, "not_percent", value=value)
    if value < 0 or value > _HUNDRED or (value == 0 and not zero):
        raise LegalInputError(field, "not_percent", value=value)
    if rate_ppm_ok(value / _HUNDRED) is False:
        raise LegalInputError(field, "not_percent", value=value)


def rate_ppm_ok(rate: Decimal) -> bool:
    scaled = rate * RATE_SCALE
    return bool(scaled == scaled.to_integral_value())


def _required(request: BenefitRequest, field: str, value: Any) -> None:
    if value is None:
        raise LegalInputError(
            field, "required_for_case", program=request.program, case=request.case
        )


def check_request(request: BenefitRequest, params: Parameters | None = None) -> None:
    """Refuse input the law cannot be applied to, naming the public field."""
    params = params or parameters()
    if request.program not in CASES:
        raise LegalInputError(
            "program", "unknown_choice", value=request.program, choices=", ".join(CASES)
        )
    if request.case not in CASES[request.program]:
        raise LegalInputError(
            "case", "unknown_choice", value=request.case, choices=", ".join(CASES[request.program])
        )
    if request.segment not in SEGMENTS:
        raise LegalInputError(
            "segment", "unknown_choice", value=request.segment, choices=", ".join(SEGMENTS)
        )
    if not isinstance(request.date, date):
        raise LegalInputError("date", "bad_date", value=request.date)
    if request.date < FIRST_DATE:
        raise LegalInputError("date", "date_before_law", value=request.date, first=FIRST_DATE)
    if request.date > params.known_until:
        raise LegalInputError(
            "date", "period_after_parameters", value=request.date, last=params.known_until
        )
    _check_amount("wage", request.wage_idr)
    _check_amount("balance", request.balance_idr)
    _check_amount("average_wage", request.average_wage_idr)
    _check_count("contribution_months", request.contribution_months)
    _check_count("months_unable", request.months_unable, minimum=1)
    _check_count("jkp_claims_before", request.jkp_claims_before)
    _check_count("months_since_job_loss", request.months_since_job_loss)
    _check_count("consecutive_months", request.consecutive_months)
    _check_count("membership_months", request.membership_months)
    _check_count("months_since_stop", request.months_since_stop)
    _check_count("age", request.age)
    _check_percent("disability_percent", request.disability_percent)
    _check_percent("functional_loss_percent", request.functional_loss_percent)
    _check_percent("contribution_density_percent", request.contribution_density_percent, zero=True)
    for level in request.children:
        if level not in SCHOOL_LEVELS:
            raise LegalInputError(
                "children", "unknown_choice", value=level, choices=", ".join(SCHOOL_LEVELS)
            )
    if request.claim_reason is not None and request.claim_reason not in JHT_REASONS:
        raise LegalInputError(
            "claim_reason",
            "unknown_choice",
            value=request.claim_reason,
            choices=", ".join(JHT_REASONS),
        )
    if request.survivor not in SURVIVORS:
        raise LegalInputError(
            "survivor", "unknown_choice", value=request.survivor, choices=", ".join(SURVIVORS)
        )
    program, case = request.program, request.case
    if program in ("JKK", "JKP"):
        _required(request, "wage", request.wage_idr)
    if program == "JHT":
        _required(request, "balance", request.balance_idr)
    if program == "JP":
        _required(request, "contribution_months", request.contribution_months)
    if (program, case) == ("JKK", "temporary_disability"):
        _required(request, "months_unable", request.months_unable)
    if (program, case) == ("JKK", "partial_disability"):
        if request.disability_percent is not None and request.disability_row is not None:
            raise LegalInputError("disability_percent", "one_of_two", other="disability_row")
        if request.disability_row is None:
            _required(request, "disability_percent", request.disability_percent)
        else:
            table = params.get(P_JKK_TABLE, request.date)
            if request.disability_row not in table.value:
                raise LegalInputError(
                    "disability_row",
                    "unknown_choice",
                    value=request.disability_row,
                    choices=", ".join(table.value),
                )


# --- scholarship (JKM and JKK) -----------------------------------------------------------------


def _level_years(levels: dict[str, int], level: str) -> list[tuple[str, int, int]]:
    """(level, per year, years) for every level left on the path from ``level``."""
    path = [
        ("tk_sd", levels["tk_sd_per_year"], levels["tk_sd_years"]),
        ("smp", levels["smp_per_year"], levels["smp_years"]),
        ("sma", levels["sma_per_year"], levels["sma_years"]),
        ("pt", levels["pt_per_year"], levels["pt_years"]),
    ]
    start = {"TK": 0, "SD": 0, "SMP": 1, "SMA": 2, "PT": 3}[level]
    return path[start:]


def scholarship_entitlement(level: str, on: date) -> int:
    """The scholarship left for one child now at ``level``: every year of the path still ahead
    (PP 82/2019). Raises :class:`ParameterNotFound` before 2 Dec 2019 (a flat amount then)."""
    levels = parameters().get(P_SCHOLARSHIP_LEVELS, on).value
    return sum(per_year * years for _, per_year, years in _level_years(levels, level))


def _scholarship(draft: _Draft, program: str) -> None:
    request = draft.request
    if not request.children:
        return
    rules = draft.get(P_SCHOLARSHIP_RULES)
    key = "jkm_min_contribution_months" if program == "JKM" else "jkk_min_contribution_months"
    minimum = rules.value[key]
    if minimum:
        if request.contribution_months is None:
            draft.note("conditions_taken_as_met")
        elif request.contribution_months < minimum:
            draft.note("scholarship_contribution_months")
            return
    children = request.children
    if len(children) > rules.value["max_children"]:
        draft.note("scholarship_children_limit")
        children = children[: rules.value["max_children"]]
    flat = draft.get(P_SCHOLARSHIP_FLAT)
    if flat.value is not None:
        draft.lines.append(
            _line(
                "scholarship",
                flat,
                amount=flat.value,
                confidence=_lowest(flat.confidence, rules.confidence),
            )
        )
        return
    levels = draft.get(P_SCHOLARSHIP_LEVELS)
    for level in children:
        amount = sum(per_year * years for _, per_year, years in _level_years(levels.value, level))
        draft.lines.append(
            _line(
                "scholarship",
                levels,
                amount=amount,
                confidence=_lowest(levels.confidence, rules.confidence),
                detail=level,
            )
        )
    draft.note("scholarship_yearly")


def _periodic(draft: _Draft, value: ParamValue) -> None:
    monthly, months = value.value["periodic_monthly"], value.value["periodic_months"]
    draft.lines.append(
        _line("periodic", value, amount=monthly * months, per_month=monthly, months=months)
    )


# --- JKM ---------------------------------------------------------------------------------------


def _jkm_death(draft: _Draft) -> None:
    death = draft.get(P_JKM_DEATH)
    draft.lines.append(_line("lump_sum", death, amount=death.value["lump_sum"]))
    _periodic(draft, death)
    draft.lines.append(_line("funeral", death, amount=death.value["funeral"]))
    _scholarship(draft, "JKM")


# --- JKK ---------------------------------------------------------------------------------------


def _wage(draft: _Draft) -> int:
    wage = draft.request.wage_idr
    assert wage is not None  # checked by check_request
    return wage


def _jkk_death(draft: _Draft) -> None:
    death = draft.get(P_JKK_DEATH)
    lump = death.value["lump_sum_wage_months"] * _wage(draft)
    jkm = draft.get(P_JKM_DEATH)
    if draft.request.segment == "BPU" and lump < jkm.value["lump_sum"]:
        # BPU: the death lump sum is never below JKM's.
        draft.lines.append(
            _line(
                "lump_sum",
                death,
                amount=jkm.value["lump_sum"],
                confidence=_lowest(death.confidence, jkm.confidence),
                reference=f"{death.reference_text}; {jkm.reference_text}",
            )
        )
    else:
        draft.lines.append(_line("lump_sum", death, amount=lump))
    _periodic(draft, death)
    draft.lines.append(_line("funeral", death, amount=death.value["funeral"]))
    _scholarship(draft, "JKK")


def _jkk_total_permanent(draft: _Draft) -> None:
    tpd = draft.get(P_JKK_TPD)
    draft.lines.append(
        _line("lump_sum", tpd, amount=tpd.value["lump_sum_wage_months"] * _wage(draft))
    )
    _periodic(draft, tpd)
    _scholarship(draft, "JKK")


def _jkk_partial(draft: _Draft) -> None:
    request = draft.request
    factor = draft.get(P_JKK_PARTIAL)
    confidence = factor.confidence
    if request.disability_row is not None:
        table = draft.get(P_JKK_TABLE)
        share = Decimal(table.value[request.disability_row])
        confidence = _lowest(confidence, table.confidence)
        reference = f"{factor.reference_text}; {table.reference_text}"
    else:
        assert request.disability_percent is not None
        share = request.disability_percent / _HUNDRED
        reference = factor.reference_text
    if request.functional_loss_percent is not None:
        share = share * request.functional_loss_percent / _HUNDRED
    amount = round_half_up(share * factor.value * _wage(draft))
    draft.lines.append(
        _line("lump_sum", factor, amount=amount, confidence=confidence, reference=reference)
    )


def _jkk_temporary(draft: _Draft) -> None:
    stmb = draft.get(P_JKK_STMB)
    wage, left = _wage(draft), draft.request.months_unable
    assert left is not None
    rules = stmb.value
    for months_cap, rate in (
        (rules["first_months"], rules["first_rate"]),
        (rules["second_months"], rules["second_rate"]),
        (None, rules["rest_rate"]),
    ):
        months = left if months_cap is None else min(left, months_cap)
        left -= months
        if months <= 0:
            continue
        per_month = round_half_up(Decimal(rate) * wage)
        draft.lines.append(
            _line(
                "wage_replacement",
                stmb,
                amount=per_month * months,
                per_month=per_month,
                months=months,
                detail=f"{Decimal(rate) * 100:.0f}%",
            )
        )


def jkk_care_limits(on: date) -> dict[str, int]:
    """JKK limits on transport and homecare in force on ``on`` (PP 82/2019)."""
    return dict(parameters().get(P_JKK_CARE, on).value)


# --- JHT ---------------------------------------------------------------------------------------


def jht_lump_sum_tax(amount_idr: int, on: date) -> tuple[int, ParamValue]:
    """Final PPh 21 on a JHT lump sum (PP 68/2009): rate_below up to the threshold, rate_above
    on the part above it, rounded half up."""
    tax = parameters().get(P_JHT_TAX, on)
    threshold = tax.value["threshold"]
    below = min(amount_idr, threshold)
    above = max(amount_idr - threshold, 0)
    withheld = round_half_up(
        Decimal(tax.value["rate_below"]) * below + Decimal(tax.value["rate_above"]) * above
    )
    return withheld, tax


@dataclass(frozen=True)
class YearlyReturn:
    """The JHT development return declared for one year; ``rate`` None when not found."""

    year: int
    rate: Decimal | None
    reference: str
    confidence: str
    note: str

    @property
    def known(self) -> bool:
        return self.rate is not None


def jht_yearly_return(year: int) -> YearlyReturn:
    """The declared JHT return for ``year``. A year with no declared figure says so (``rate``
    None, ``known`` False): it is never credited as 0."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise LegalInputError("year", "out_of_range", value=year, minimum=1900, maximum=9999)
    found = parameters().find(P_JHT_RETURN, date(year, 1, 1))
    if found is None:
        return YearlyReturn(year, None, "", "low", "before the first year loaded")
    if date(year, 1, 1) > parameters().known_until:
        return YearlyReturn(year, None, found.reference_text, "low", "not declared yet")
    rate = None if found.value is None else Decimal(found.value)
    return YearlyReturn(year, rate, found.reference_text, found.confidence, found.note)


def _jht_pay(draft: _Draft, amount: int, claims: ParamValue) -> None:
    draft.lines.append(_line("jht_balance", claims, amount=amount))
    withheld, tax = jht_lump_sum_tax(amount, draft.request.date)
    if withheld:
        draft.lines.append(_line("tax", tax, amount=-withheld))


def _jht_full(draft: _Draft) -> None:
    request = draft.request
    claims = draft.get(P_JHT_CLAIMS)
    reason = request.claim_reason
    if reason is None:
        draft.note("conditions_taken_as_met")
    elif reason == "age_56" and request.age is not None:
        if request.age < claims.value["full_claim_age"]:
            draft.refuse("jht_age_not_reached")
    elif (
        reason == "stopped_work"
        and request.months_since_stop is not None
        and request.months_since_stop < claims.value["stop_wait_months"]
    ):
        draft.refuse("jht_waiting_period")
    if draft.reasons:
        return
    assert request.balance_idr is not None
    _jht_pay(draft, request.balance_idr, claims)


def _jht_partial(draft: _Draft) -> None:
    request = draft.request
    claims = draft.get(P_JHT_CLAIMS)
    membership = (
        request.membership_months
        if request.membership_months is not None
        else request.contribution_months
    )
    if membership is None:
        draft.note("conditions_taken_as_met")
    elif membership < claims.value["partial_min_membership_months"]:
        draft.refuse("jht_partial_membership")
    if request.jht_partial_claimed:
        draft.refuse("jht_partial_once")
    if draft.reasons:
        return
    assert request.balance_idr is not None
    amount = round_half_up(Decimal(claims.value[request.case]) * request.balance_idr)
    _jht_pay(draft, amount, claims)


# --- JP ----------------------------------------------------------------------------------------


def pension_age(year: int) -> int:
    """JP pension age for a calendar year (PP 45/2015 Pasal 15): 56, 57 from 2019, one more
    every 3 years, 65 from 2043."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise LegalInputError("year", "not_whole_number", value=year)
    if not FIRST_DATE.year <= year <= 9999:
        raise LegalInputError(
            "year", "out_of_range", value=year, minimum=FIRST_DATE.year, maximum=9999
        )
    return int(parameters().get(P_JP_AGE, date(year, 12, 31)).value)


def jp_first_year_pension(
    *, contribution_months: int, average_wage_idr: int, accrual_rate: Decimal
) -> int:
    """accrual x (months / 12) x average indexed monthly wage, rounded half up (PP 45/2015
    Pasal 17). The bulk path computes the same in integers."""
    numerator = average_wage_idr * contribution_months * rate_ppm(accrual_rate)
    denominator = 12 * RATE_SCALE
    return (numerator + denominator // 2) // denominator


def jp_limited(amount_idr: int, on: date) -> tuple[int, ParamValue, bool]:
    """``amount`` within the published minimum and maximum of the benefit year in force on
    ``on``; the flag says whether both limits were known."""
    limits = parameters().get(P_JP_LIMITS, on)
    minimum, maximum = limits.value["minimum"], limits.value["maximum"]
    if minimum is not None:
        amount_idr = max(amount_idr, minimum)
    if maximum is not None:
        amount_idr = min(amount_idr, maximum)
    return amount_idr, limits, minimum is not None and maximum is not None


def _jp_lump_sum(draft: _Draft, formula: ParamValue) -> None:
    request = draft.request
    _required(request, "balance", request.balance_idr)
    assert request.balance_idr is not None
    draft.note("jp_lump_sum")
    draft.lines.append(
        _line(
            "lump_sum",
            formula,
            amount=request.balance_idr,
            reference="Permenaker 29/2015 Pasal 14",
            confidence="high",
        )
    )


def _jp_pension(draft: _Draft, formula: ParamValue, months: int, share: ParamValue | None) -> None:
    request = draft.request
    _required(request, "average_wage", request.average_wage_idr)
    assert request.average_wage_idr is not None
    base = jp_first_year_pension(
        contribution_months=months,
        average_wage_idr=request.average_wage_idr,
        accrual_rate=Decimal(formula.value["accrual_rate"]),
    )
    amount, limits, known = jp_limited(base, request.date)
    confidence = _lowest(formula.confidence, limits.confidence)
    if not known:
        draft.note("jp_limits_unknown")
        confidence = "low"
    reference = f"{formula.reference_text}; PP 45/2015 Pasal 18"
    if share is not None:
        amount = round_half_up(Decimal(share.value[request.survivor]) * amount)
        confidence = _lowest(confidence, share.confidence)
        reference = f"{reference}; {share.reference_text}"
    draft.lines.append(
        _line(
            "monthly_pension",
            formula,
            amount=None,
            per_month=amount,
            confidence=confidence,
            reference=reference,
            detail=request.survivor if share is not None else "",
        )
    )
    draft.note("jp_indexed_yearly")
    draft.note("jp_tax_not_computed")


def _jp_conditions_met(draft: _Draft, formula: ParamValue, min_membership: int) -> bool:
    request = draft.request
    membership = (
        request.membership_months
        if request.membership_months is not None
        else request.contribution_months
    )
    density = request.contribution_density_percent
    if density is None:
        draft.note("conditions_taken_as_met")
    elif density / _HUNDRED < Decimal(formula.value["min_density"]):
        return False
    return membership is not None and membership >= min_membership


def _jp(draft: _Draft) -> None:
    request = draft.request
    if request.segment != "PU":
        draft.refuse("program_not_for_segment")
        return
    formula = draft.get(P_JP_FORMULA)
    months = request.contribution_months
    assert months is not None
    full = formula.value["full_months"]
    if request.case == "old_age":
        if request.age is None:
            draft.note("conditions_taken_as_met")
        elif request.age < pension_age(request.date.year):
            draft.refuse("jp_age_not_reached")
            return
        if months >= full:
            _jp_pension(draft, formula, months, None)
        else:
            _jp_lump_sum(draft, formula)
        return
    if request.case == "disability":
        if request.age is not None and request.age >= pension_age(request.date.year):
            draft.refuse("jp_disability_after_pension_age")
            return
        if _jp_conditions_met(draft, formula, formula.value["disability_min_membership_months"]):
            if months < full:
                draft.note("jp_counted_15_years")
            _jp_pension(draft, formula, max(months, full), None)
        else:
            draft.note("jp_disability_conditions")
            _jp_lump_sum(draft, formula)
        return
    shares = draft.get(P_JP_SHARES)
    if months >= full:
        _jp_pension(draft, formula, months, shares)
    elif _jp_conditions_met(draft, formula, formula.value["survivor_min_membership_months"]):
        draft.note("jp_counted_15_years")
        _jp_pension(draft, formula, full, shares)
    else:
        _jp_lump_sum(draft, formula)


# --- JKP ---------------------------------------------------------------------------------------


def _jkp(draft: _Draft) -> None:
    request = draft.request
    cash = draft.params.find(P_JKP_CASH, request.date)
    conditions = draft.params.find(P_JKP_CONDITIONS, request.date)
    if cash is None or conditions is None:
        draft.refuse("program_not_in_force")
        return
    if request.segment != "PU":
        draft.refuse("program_not_for_segment")
        return
    rule = conditions.value
    stated = (
        request.contribution_months,
        request.consecutive_months if rule["min_consecutive_months"] else 0,
        request.months_since_job_loss,
        request.jkp_claims_before,
    )
    if any(value is None for value in stated):
        draft.note("conditions_taken_as_met")
    checks = (
        ("jkp_contribution_months", request.contribution_months, rule["min_contribution_months"]),
        ("jkp_consecutive_months", request.consecutive_months, rule["min_consecutive_months"]),
    )
    for reason, stated_months, minimum in checks:
        if stated_months is not None and stated_months < minimum:
            draft.refuse(reason)
    since = request.months_since_job_loss
    if since is not None and since > rule["claim_deadline_months"]:
        draft.refuse("jkp_claim_deadline")
    before = request.jkp_claims_before
    if before is not None and before >= rule["max_claims"]:
        draft.refuse("jkp_max_claims")
    if draft.reasons:
        return
    base = min(_wage(draft), cash.value["wage_cap"])
    for rate, months in (
        (cash.value["first_rate"], cash.value["first_months"]),
        (cash.value["second_rate"], cash.value["second_months"]),
    ):
        if not months or not rate:
            continue
        per_month = round_half_up(Decimal(rate) * base)
        draft.lines.append(
            _line(
                "cash_benefit",
                cash,
                amount=per_month * months,
                per_month=per_month,
                months=months,
                detail=f"{Decimal(rate) * 100:.0f}%",
            )
        )


# --- the calculator ----------------------------------------------------------------------------


def _normalised(request: BenefitRequest) -> BenefitRequest:
    """A datetime becomes its date, whole-number percents Decimals, a list of children a tuple."""
    changes: dict[str, Any] = {}
    if isinstance(request.date, datetime):
        changes["date"] = request.date.date()
    for name in ("disability_percent", "functional_loss_percent", "contribution_density_percent"):
        value = getattr(request, name)
        if isinstance(value, int) and not isinstance(value, bool):
            changes[name] = Decimal(value)
    if not isinstance(request.children, tuple):
        changes["children"] = tuple(request.children)
    return replace(request, **changes) if changes else request


_CASE_RULES = {
    ("JKM", "death"): _jkm_death,
    ("JKK", "death"): _jkk_death,
    ("JKK", "temporary_disability"): _jkk_temporary,
    ("JKK", "total_permanent_disability"): _jkk_total_permanent,
    ("JKK", "partial_disability"): _jkk_partial,
    ("JHT", "full"): _jht_full,
    ("JHT", "partial_10"): _jht_partial,
    ("JHT", "partial_30"): _jht_partial,
    ("JP", "old_age"): _jp,
    ("JP", "disability"): _jp,
    ("JP", "death"): _jp,
    ("JKP", "job_loss"): _jkp,
}


def benefit_calculate(request: BenefitRequest) -> BenefitResult:
    """The benefits of one claim under the law in force on ``request.date``.

    Raises :class:`LegalInputError` (naming the field) on input the law cannot be applied to.
    Not being entitled is not an error: the result has ``eligible`` False and its reasons.
    """
    params = parameters()
    request = _normalised(request)
    check_request(request, params)
    draft = _Draft(request, params, [], [], [])
    _CASE_RULES[(request.program, request.case)](draft)
    if request.program in ("JKK", "JKM") and draft.lines:
        draft.note("jkk_tax_not_found")
    eligible = not draft.reasons
    lines = tuple(draft.lines) if eligible else ()
    if any(line.confidence != "high" for line in lines):
        draft.note("low_confidence_figures")
    total = sum(line.amount_idr for line in lines if line.amount_idr is not None)
    return BenefitResult(
        program=request.program,
        case=request.case,
        date=request.date,
        eligible=eligible,
        reasons=tuple(draft.reasons),
        lines=lines,
        total_idr=total if eligible else 0,
        notes=tuple(draft.notes),
    )
