"""The claim forms (labels in English msgids, shown in Bahasa Indonesia first)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsos.claims.rules import BANKS, CASES, DOCUMENT_NAMES, HEIRS, JHT_GROUNDS

PROGRAM_CHOICES = [(p, p) for p in CASES]
CASE_CHOICES = [(c, c) for cases in CASES.values() for c in cases]


class ClaimForm(forms.Form):
    nik = forms.CharField(label=_("NIK of the insured person"), max_length=40)
    program = forms.ChoiceField(label=_("Program"), choices=PROGRAM_CHOICES)
    case = forms.ChoiceField(label=_("Case"), choices=CASE_CHOICES)
    ground = forms.ChoiceField(
        label=_("Ground (full JHT)"),
        required=False,
        choices=[("", "—"), *((g, g) for g in JHT_GROUNDS)],
    )
    event_date = forms.CharField(
        label=_("Event date"),
        help_text=_("Death, accident, job loss or stop date: YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    claimant_name = forms.CharField(label=_("Claimant's name"), required=False, max_length=120)
    relationship = forms.ChoiceField(
        label=_("Heir's relationship"),
        required=False,
        choices=[("", "—"), *((h, h) for h in HEIRS)],
    )
    no_higher_heir = forms.BooleanField(
        label=_("I declare that no heir of an earlier rank exists"), required=False
    )
    months_unable = forms.IntegerField(
        label=_("Months unable to work"), required=False, min_value=0
    )
    disability_percent = forms.IntegerField(
        label=_("Disability percentage"), required=False, min_value=0, max_value=100
    )
    children = forms.CharField(
        label=_("Children's school levels"),
        required=False,
        max_length=40,
        help_text=_("For a scholarship: each child's level, e.g. SD, SMP (TK, SD, SMP, SMA, PT)"),
    )
    accident_at = forms.DateTimeField(
        label=_("Time of the accident (employer report)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    report_text = forms.CharField(
        label=_("What happened (employer report)"), required=False, widget=forms.Textarea
    )
    bank_code = forms.ChoiceField(
        label=_("Bank"),
        required=False,
        choices=[("", "—"), *((c, f"{c} {n}") for c, (n, _l) in BANKS.items())],
    )
    account_number = forms.CharField(label=_("Account number"), required=False, max_length=40)
    account_name = forms.CharField(label=_("Account holder"), required=False, max_length=120)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document kind"), choices=[(k, v["id"]) for k, v in DOCUMENT_NAMES.items()]
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Medical outcome (stage II report)"), widget=forms.Textarea)
