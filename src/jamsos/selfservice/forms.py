"""The workers' forms: proving who one is, the code and password, signing in, months to pay."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

BIG = {"autocomplete": "off", "class": "input-large"}


class IdentityForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        widget=forms.TextInput(attrs={**BIG, "inputmode": "numeric"}),
        help_text=_("16 digits, as on your identity card (KTP)."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kpj = forms.CharField(
        label=_("KPJ or partner reference"),
        max_length=40,
        widget=forms.TextInput(attrs=BIG),
        help_text=_(
            "The 11-digit number on your membership card, or the reference the partner who "
            "registered you gave you."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=[("phone", _("SMS or WhatsApp to my phone")), ("email", _("E-mail"))],
        initial="phone",
        widget=forms.RadioSelect,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "input-large"}
        ),
    )
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("NIK or KPJ"),
        max_length=40,
        widget=forms.TextInput(attrs={**BIG, "inputmode": "numeric", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class MonthsForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Months to pay"), coerce=int, choices=())

    def __init__(self, *args: object, offered: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["months"].choices = [(n, str(n)) for n in range(1, max(offered, 1) + 1)]  # type: ignore[attr-defined]
