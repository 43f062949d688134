"""Words for the benefit calculator's codes (programs' cases, benefits, levels), in id and en.

Shared by ``jamsos calc benefit``, the "Simulasi manfaat" page and the API documentation. The
reasons and notes are worded by the legal engine (:mod:`jamsos.legal.messages`).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jamsos.legal.benefits import BenefitLine, BenefitResult
from jamsos.legal.messages import render_benefit_note, render_reason

CASE_LABELS: dict[str, Promise] = {
    "death": _("Death"),
    "temporary_disability": _("Temporary incapacity to work (STMB)"),
    "total_permanent_disability": _("Total permanent disability"),
    "partial_disability": _("Partial permanent disability"),
    "full": _("Full claim"),
    "partial_10": _("Partial claim 10%"),
    "partial_30": _("Partial claim 30% (housing)"),
    "old_age": _("Old-age pension"),
    "disability": _("Disability pension"),
    "job_loss": _("Job loss"),
}

BENEFIT_LABELS: dict[str, Promise] = {
    "lump_sum": _("Lump sum"),
    "periodic": _("Periodic benefit (paid at once)"),
    "funeral": _("Funeral costs"),
    "scholarship": _("Scholarship"),
    "wage_replacement": _("Wage replacement"),
    "monthly_pension": _("Monthly pension"),
    "cash_benefit": _("Cash benefit"),
    "jht_balance": _("JHT balance paid"),
    "tax": _("Income tax withheld (PPh 21)"),
}

LEVEL_LABELS: dict[str, Promise] = {
    "TK": _("Kindergarten (TK)"),
    "SD": _("Primary school (SD)"),
    "SMP": _("Junior secondary (SMP)"),
    "SMA": _("Senior secondary (SMA)"),
    "PT": _("University (PT)"),
}

SURVIVOR_LABELS: dict[str, Promise] = {
    "spouse": _("Widow or widower"),
    "children": _("Children"),
    "parent": _("Parent"),
}

CLAIM_REASON_LABELS: dict[str, Promise] = {
    "age_56": _("Reaching age 56"),
    "death": _("Death"),
    "total_permanent_disability": _("Total permanent disability"),
    "left_indonesia": _("Leaving Indonesia for good"),
    "stopped_work": _("Stopped working (resignation or dismissal)"),
}

CONFIDENCE_LABELS: dict[str, Promise] = {
    "high": _("high"),
    "medium": _("medium"),
    "low": _("low"),
}


def line_label(line: BenefitLine) -> str:
    """The benefit's name, with the child's level or the share shown in ``detail``."""
    text = str(BENEFIT_LABELS.get(line.benefit, line.benefit))
    if line.detail in LEVEL_LABELS:
        return f"{text}: {LEVEL_LABELS[line.detail]}"
    if line.detail in SURVIVOR_LABELS:
        return f"{text}: {SURVIVOR_LABELS[line.detail]}"
    if line.detail:
        return f"{text} ({line.detail})"
    return text


def reason_texts(result: BenefitResult, language: str) -> list[str]:
    return [render_reason(key, language) for key in result.reasons]


def note_texts(result: BenefitResult, language: str) -> list[str]:
    return [render_benefit_note(key, language) for key in result.notes]
