"""Forms of the registry pages: syntax only (required, dates, whole rupiah, a village).

Whether a NIK agrees with the birth date, a wage can be reported for a month or a membership can
end on a date is decided by the membership services; the views put each refusal next to the
field it names (:meth:`ServiceForm.add_service_error`), in the page's language.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jamsos.access.models import AuditAction
from jamsos.core.errors import ApplicationError, refusal_on_form
from jamsos.legal.periods import Period
from jamsos.membership.models import Ecosystem, EndReason, Sex, SponsorKind
from jamsos.registry.codes import looks_like_code, normalise_code
from jamsos.registry.models import Level, Region
from jamsos.registry.selectors import region_list_with_paths, region_search

#: Service field names that a form calls differently.
SERVICE_FIELD_ALIASES = {"sponsor": "sponsor_name", "employer": "npp"}

SEX_CHOICES = [(Sex.MALE.value, _("Male")), (Sex.FEMALE.value, _("Female"))]

ECOSYSTEM_CHOICES = [
    (Ecosystem.NONE.value, _("None")),
    (Ecosystem.PASAR.value, _("Market (pasar)")),
    (Ecosystem.DESA_KELURAHAN.value, _("Village or urban village (desa/kelurahan)")),
    (Ecosystem.E_COMMERCE.value, _("E-commerce")),
    (Ecosystem.UMKM.value, _("Micro, small and medium business (UMKM)")),
    (Ecosystem.RENTAN.value, _("Vulnerable workers")),
]

SPONSOR_KIND_CHOICES = [
    ("", _("No sponsor: the member pays")),
    (SponsorKind.REGIONAL_BUDGET.value, _("Regional budget (APBD)")),
    (SponsorKind.CSR.value, _("Company social responsibility (CSR)")),
    (SponsorKind.ZAKAT.value, _("Zakat or infaq (BAZNAS)")),
]

END_REASON_CHOICES = [
    (EndReason.RESIGNATION.value, _("Resignation")),
    (EndReason.PHK.value, _("Dismissal (PHK)")),
    (EndReason.DEATH.value, _("Death")),
    (EndReason.RETIREMENT.value, _("Retirement")),
    (EndReason.TERM_ENDED.value, _("Contract, project or placement ended")),
    (EndReason.OTHER.value, _("Other")),
]

AUDIT_ACTION_CHOICES = [
    ("", _("All actions")),
    (AuditAction.VIEW_FULL.value, _("Full view")),
    (AuditAction.CREATE.value, _("Create")),
    (AuditAction.UPDATE.value, _("Update")),
    (AuditAction.END.value, _("End")),
    (AuditAction.EXPORT.value, _("Export")),
    (AuditAction.IMPORT.value, _("Import")),
    (AuditAction.ACCESS_GRANTED.value, _("Access granted")),
    (AuditAction.DENIED.value, _("Denied")),
    (AuditAction.SIGN_IN.value, _("Sign-in")),
    (AuditAction.SIGN_IN_FAILED.value, _("Failed sign-in")),
    (AuditAction.LOCKED_OUT.value, _("Sign-in locked")),
]

_RUPIAH_NOISE = re.compile(r"(?i)^\s*rp\.?\s*|[\s.,]")
_DIGITS_ONLY = re.compile(r"[\s.\-]")


class DateInput(forms.DateInput):
    """A browser date picker; the value is always written YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RupiahField(forms.CharField):
    """Whole rupiah, written ``5000000``, ``5.000.000``, ``5,000,000`` or ``Rp 5.000.000``."""

    default_error_messages = {
        "invalid": _("Write a whole number of rupiah, for example 5000000 or 5.000.000."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        digits = _RUPIAH_NOISE.sub("", text)
        if not digits.isdigit() or len(digits) > 15:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(digits)


class VillageField(forms.CharField):
    """A village (desa/kelurahan) of the current region edition, by code or by a unique name.

    The page's script fills in the code from the region search; without the script a code such
    as ``32.04.05.2001`` (dots optional) works, and so does a name that matches one village only.
    """

    default_error_messages = {
        "not_found": _("No village has the code %(code)s in the current region list."),
        "not_village": _(
            "%(code)s %(name)s is not a village (desa/kelurahan): give a 10-digit code."
        ),
        "no_match": _("No village is named “%(text)s”. Type its code, e.g. 32.04.05.2001."),
        "ambiguous": _("Several villages match “%(text)s”; give the code of one: %(choices)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "off", "placeholder": "32.04.05.2001", "data-village-input": ""}
        )

    def clean(self, value: Any) -> Region | None:  # type: ignore[override]
        text = super().clean(value)
        if text in self.empty_values:
            return None
        if looks_like_code(text):
            code = normalise_code(text)
            region = (
                Region.objects.filter(edition__is_current=True, code=code)
                .select_related("edition")
                .first()
            )
            if region is None:
                raise forms.ValidationError(
                    self.error_messages["not_found"], code="not_found", params={"code": code}
                )
            if region.level != Level.VILLAGE:
                raise forms.ValidationError(
                    self.error_messages["not_village"],
                    code="not_village",
                    params={"code": region.code, "name": region.name},
                )
            return region
        hits = region_search(text, level=Level.VILLAGE, limit=6)
        if not hits:
            raise forms.ValidationError(
                self.error_messages["no_match"], code="no_match", params={"text": text}
            )
        if len(hits) > 1:
            choices = "; ".join(
                f"{hit.code} {', '.join(reversed(hit.path_names[-3:]))}"  # type: ignore[attr-defined]
                for hit in hits[:5]
            )
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "choices": choices},
            )
        return hits[0]


def village_label(region: Region | None) -> str:
    """``Cileunyi Kulon, Cileunyi, Kabupaten Bandung, Jawa Barat`` (village first)."""
    if region is None:
        return ""
    [with_path] = region_list_with_paths([region])
    return ", ".join(reversed(with_path.path_names))  # type: ignore[attr-defined]


class ServiceForm(forms.Form):
    """A form that puts a service's refusal next to the field it names."""

    def add_service_error(self, error: ApplicationError) -> None:
        refusal_on_form(self, error, SERVICE_FIELD_ALIASES)

    def add_message(self, field: str, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


# --- people --------------------------------------------------------------------------------------


class PersonFieldsForm(ServiceForm):
    """A person's identity: NIK, name, birth date, sex, phone and village of residence."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 digits, as on the identity card (KTP)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    sex = forms.ChoiceField(
        label=_("Sex"), choices=SEX_CHOICES, required=False, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=24,
        required=False,
        help_text=_("Optional, e.g. 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    domicile = VillageField(
        label=_("Village of residence"),
        required=False,
        help_text=_("Village code (e.g. 32.04.05.2001) or name."),
    )

    #: Fields a new person needs (the NIK alone finds an existing one).
    new_person_fields = ("name", "birth_date", "sex", "domicile")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.new_person_fields:
            self.fields[name].show_required = True  # type: ignore[attr-defined]

    def clean_nik(self) -> str:
        return _DIGITS_ONLY.sub("", self.cleaned_data["nik"])

    def wants_new_person(self) -> bool:
        return True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.wants_new_person():
            for name in self.new_person_fields:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    def person_row(self) -> dict[str, Any]:
        """The person's data as ``validate_people`` reads it."""
        data = self.cleaned_data
        return {
            "nik": data.get("nik", ""),
            "name": data.get("name", ""),
            "birth_date": data.get("birth_date"),
            "sex": data.get("sex", ""),
            "phone": data.get("phone") or None,
        }


class ExistingOrNewPersonForm(PersonFieldsForm):
    """Staff forms: a person already registered (by NIK) or a new one."""

    NEW, EXISTING = "new", "existing"
    person_mode = forms.ChoiceField(
        label=_("Person"),
        choices=[
            (NEW, _("New person: fill in their data")),
            (EXISTING, _("Already registered: the NIK is enough")),
        ],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    field_order = ["person_mode", "nik", "name", "birth_date", "sex", "phone", "domicile"]

    def wants_new_person(self) -> bool:
        return self.cleaned_data.get("person_mode", self.NEW) != self.EXISTING


class PersonEditForm(ServiceForm):
    """Corrections of a person's name, phone and village (NIK, birth date and sex are fixed)."""

    name = forms.CharField(label=_("Full name"), max_length=120)
    phone = forms.CharField(
        label=_("New mobile phone"),
        max_length=24,
        required=False,
        help_text=_("Leave empty to keep the number on file."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    clear_phone = forms.BooleanField(label=_("Remove the phone number on file"), required=False)
    domicile = VillageField(
        label=_("Village of residence"), help_text=_("Village code (e.g. 32.04.05.2001) or name.")
    )


class PersonPhoneForm(ServiceForm):
    """A worker's correction of their own phone (the name and village follow the KTP)."""

    phone = PersonEditForm.base_fields["phone"]
    clear_phone = PersonEditForm.base_fields["clear_phone"]


# --- registration --------------------------------------------------------------------------------


class PuRegisterForm(ExistingOrNewPersonForm):
    """A wage earner (PU) with an employer."""

    npp = forms.CharField(
        label=_("Employer (NPP)"),
        max_length=20,
        help_text=_("The employer's 10-digit registration number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    wage = RupiahField(
        label=_("Monthly wage (Rp)"),
        help_text=_("Basic wage plus fixed allowances, in whole rupiah."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    jht = forms.BooleanField(label=_("Old-age savings (JHT)"), required=False)
    jp = forms.BooleanField(label=_("Pension (JP)"), required=False)
    field_order = ["npp", *ExistingOrNewPersonForm.field_order]

    def clean_npp(self) -> str:
        return _DIGITS_ONLY.sub("", self.cleaned_data["npp"])

    def programs(self) -> list[str]:
        data = self.cleaned_data
        return [code for code, key in (("JHT", "jht"), ("JP", "jp")) if data.get(key)]


class BpuFieldsMixin(forms.Form):
    declared_income = RupiahField(
        label=_("Monthly income (Rp)"),
        help_text=_("What the member earns in a month; it sets the contribution tier."),
    )
    jht = forms.BooleanField(
        label=_("Also join old-age savings (JHT)"),
        required=False,
        help_text=_("Work accident (JKK) and death (JKM) are always included."),
    )

    def programs(self) -> list[str]:
        return ["JHT"] if self.cleaned_data.get("jht") else []


class BpuRegisterForm(ExistingOrNewPersonForm, BpuFieldsMixin):
    """A self-employed or informal worker (BPU), registered by an officer or a partner."""

    ecosystem = forms.ChoiceField(
        label=_("Where the member was reached"), choices=ECOSYSTEM_CHOICES, required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    sponsor_kind = forms.ChoiceField(
        label=_("Sponsor"), choices=SPONSOR_KIND_CHOICES, required=False
    )
    sponsor_name = forms.CharField(
        label=_("Sponsor's name"),
        max_length=200,
        required=False,
        help_text=_("E.g. Pemerintah Kabupaten Bandung, when a sponsor pays."),
    )
    sponsor_ref = forms.CharField(
        label=_("Sponsor's reference"),
        max_length=64,
        required=False,
        help_text=_("Optional: the agreement or decree number."),
    )
    field_order = [
        *ExistingOrNewPersonForm.field_order,
        "declared_income",
        "ecosystem",
        "jht",
        "start_date",
        "sponsor_kind",
        "sponsor_name",
        "sponsor_ref",
    ]


class BpuSelfRegisterForm(PersonFieldsForm, BpuFieldsMixin):
    """The public form: a worker registers themselves as BPU, starting today."""

    agree = forms.BooleanField(
        label=_("I declare that this data is mine and true."),
        error_messages={"required": _("Tick this box to register.")},
    )
    field_order = [
        "nik",
        "name",
        "birth_date",
        "sex",
        "phone",
        "domicile",
        "declared_income",
        "jht",
        "agree",
    ]


# --- memberships ---------------------------------------------------------------------------------


class MembershipEndForm(ServiceForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=END_REASON_CHOICES)
    end_date = forms.DateField(
        label=_("Last day of membership"),
        widget=DateInput(),
        help_text=_("The day the work relationship ended, or the day of death."),
    )


class PeriodField(forms.CharField):
    default_error_messages = {
        "invalid": _("Write the month as YYYY-MM, for example 2025-03."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "maxlength": "7"}))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "2025-03")

    def to_python(self, value: Any) -> Period | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return Period.parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class WageReportForm(ServiceForm):
    period = PeriodField(label=_("Contribution month"))
    wage = RupiahField(
        label=_("Wage for the month (Rp)"),
        help_text=_("Basic wage plus fixed allowances, in whole rupiah."),
    )


# --- signing in ----------------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or the password is wrong. Upper and lower case letters count."
        ),
        "inactive": _("This account is switched off. Ask an administrator."),
    }


# --- search and audit ----------------------------------------------------------------------------


class WorkerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("NIK, KPJ or name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Action"), choices=AUDIT_ACTION_CHOICES, required=False)
    target = forms.CharField(
        label=_("Record"),
        max_length=100,
        required=False,
        help_text=_("NIK, KPJ, NPP, or words of the record's label."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start: date | None = cleaned.get("date_from")
        end: date | None = cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


# --- construction projects (Jakon) and migrant workers (PMI) --------------------------------------


class ProjectRegisterForm(ServiceForm):
    """A contractor's construction contract (SPK), billed on its contract value by band."""

    npp = PuRegisterForm.base_fields["npp"]
    name = forms.CharField(label=_("Project name"), max_length=200)
    contract_value = RupiahField(
        label=_("Contract value (Rp)"),
        help_text=_("The SPK's value in whole rupiah; JKK and JKM are billed on it by band."),
    )
    village = VillageField(
        label=_("Village of the site"), help_text=_("Village code (e.g. 32.04.05.2001) or name.")
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())

    def clean_npp(self) -> str:
        return _DIGITS_ONLY.sub("", self.cleaned_data["npp"])


class PmiRegisterForm(ExistingOrNewPersonForm):
    """A migrant worker's placement abroad, registered before departure."""

    destination_country = forms.CharField(
        label=_("Destination country"),
        min_length=2,
        max_length=2,
        help_text=_("Two-letter country code, e.g. MY (Malaysia), HK (Hong Kong), TW (Taiwan)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    placement_months = forms.IntegerField(
        label=_("Placement months"),
        min_value=1,
        max_value=120,
        help_text=_("The work agreement's length; it sets the protection package."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    start_date = forms.DateField(
        label=_("Protection starts"),
        help_text=_("Before departure: pre-placement protection starts on this day."),
        widget=DateInput(),
    )
