"""The public application form and the officer's rejection form (syntax only; the service
checks the rest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsos.membership.forms import ServiceForm, VillageField
from jamsos.membership.models import EmployerSizeChoice, Sector

RISK_CLASSES = [
    (1, _("1: very low")),
    (2, _("2: low")),
    (3, _("3: medium")),
    (4, _("4: high")),
    (5, _("5: very high")),
]


class ApplicationForm(ServiceForm):
    legal_name = forms.CharField(label=_("Legal name of the company"), max_length=200)
    npwp = forms.CharField(
        label=_("Company NPWP"), max_length=24, help_text=_("15 or 16 digits, dots allowed")
    )
    address = forms.CharField(label=_("Street address"), max_length=250, required=False)
    address_village = VillageField(label=_("Village (desa/kelurahan) of the address"))
    sector = forms.ChoiceField(label=_("Sector (KBLI section)"), choices=Sector.choices)
    risk_class = forms.TypedChoiceField(label=_("JKK risk class"), choices=RISK_CLASSES, coerce=int)
    size = forms.ChoiceField(label=_("Size"), choices=EmployerSizeChoice.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact mobile number"), max_length=20)
    pic_nik = forms.CharField(label=_("NIK of the person in charge"), max_length=24)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )
