"""A payment reads each spelling of a virtual account as one account or refuses it, on every
path: the service, the API, the command line and the bank statement file. Fullwidth digits,
spaces and zero-width characters are the payer's account; a digit of another script is refused
with the account's message in both languages, never looked up as another number."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jamsos.billing.errors import StatementHasErrors, VirtualAccountInvalid
from jamsos.billing.models import Payer, Payment
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.statements import statement_post
from jamsos.billing.tests.test_payments_api import BASE, body
from jamsos.billing.tests.test_payments_api import officer as officer
from jamsos.billing.tests.test_payments_api import payer as payer
from jamsos.core.tests.identifier_variants import variants

pytestmark = pytest.mark.django_db

NAMES = sorted(variants("8810000000000011"))
WORDS = {"id": "harus 16 angka 0–9", "en": "must be 16 digits 0–9"}


@pytest.mark.parametrize("name", NAMES)
def test_service(payer: Payer, name):
    spelling, same = variants(payer.virtual_account)[name]
    if same:
        posted = payment_post(
            virtual_account=spelling,
            amount_idr=1000,
            bank_ref="R-1",
            paid_on=date(2025, 4, 10),
            channel="api",
        )
        assert posted.created
        assert Payment.objects.get().payer_id == payer.pk
    else:
        with pytest.raises(VirtualAccountInvalid) as caught:
            payment_post(
                virtual_account=spelling,
                amount_idr=1000,
                bank_ref="R-1",
                paid_on=date(2025, 4, 10),
                channel="api",
            )
        assert caught.value.field == "virtual_account"
        for language, words in WORDS.items():
            assert words in caught.value.message_in(language)
        assert not Payment.objects.exists()


@pytest.mark.parametrize("name", NAMES)
def test_api(officer, payer: Payer, name):
    spelling, same = variants(payer.virtual_account)[name]
    response = officer.post(
        f"{BASE}/payments?lang=en",
        body(payer, virtual_account=spelling),
        content_type="application/json",
    )
    if same:
        assert response.status_code == 201, response.content
        assert Payment.objects.get().payer_id == payer.pk
    else:
        assert response.status_code == 400, response.content
        answer = response.json()
        assert answer["code"] == "billing.virtual_account_invalid"
        assert list(answer["fields"]) == ["virtual_account"]
        assert WORDS["en"] in answer["message"]
        assert not Payment.objects.exists()


@pytest.mark.parametrize("name", NAMES)
def test_cli(payer: Payer, name):
    spelling, same = variants(payer.virtual_account)[name]
    args = ["--va", spelling, "--amount", "1.000", "--ref", "C-1", "--date", "2025-04-10"]
    if same:
        call_command("billing", "pay", *args, stdout=StringIO())
        assert Payment.objects.get().payer_id == payer.pk
    else:
        with pytest.raises(CommandError) as caught:
            call_command("billing", "pay", *args, "--lang", "en")
        assert WORDS["en"] in str(caught.value)
        assert not Payment.objects.exists()


def test_statement_file(payer: Payer):
    header = "bank_ref,virtual_account,amount,currency,paid_on,payer_name,description"
    spelled = sorted(variants(payer.virtual_account).items())
    lines = [
        f"S-{i},{spelling},100,IDR,2025-04-10,," for i, (_, (spelling, _)) in enumerate(spelled)
    ]
    content = ("\n".join([header, *lines]) + "\n").encode()
    refused = {i + 2 for i, (_, (_, same)) in enumerate(spelled) if not same}
    with pytest.raises(StatementHasErrors) as caught:
        statement_post(content, name="mixed.csv")
    assert {(e.line, e.field, e.code) for e in caught.value.lines} == {
        (line, "virtual_account", "billing.virtual_account_invalid") for line in refused
    }
    good = [line for i, line in enumerate(lines) if i + 2 not in refused]
    result = statement_post(("\n".join([header, *good]) + "\n").encode(), name="good.csv")
    assert result.posted == len(good)
    assert set(Payment.objects.values_list("payer_id", flat=True)) == {payer.pk}


def test_statement_upload_over_the_api(officer, payer: Payer):
    header = "bank_ref,virtual_account,amount,currency,paid_on,payer_name,description"
    bengali = payer.virtual_account[:-1] + "১"
    content = f"{header}\nS-1,{bengali},100,IDR,2025-04-10,,\n".encode()
    response = officer.post(f"{BASE}/statements", {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 400, response.content
    assert not Payment.objects.exists()
