"""A refusal or a repeated answer never tells a caller about a payment outside its scope
(docs/security.md): a bank reference clash names the other payment only to a caller who may
see it, and a bank statement file posted before is answered only to a caller who may see its
payments."""

from __future__ import annotations

import pytest

from jamsos.billing.errors import BankRefConflict, StatementHasErrors
from jamsos.billing.models import Payer, StatementFile
from jamsos.billing.services.statements import statement_post
from jamsos.billing.tests.test_payments_scope_bounds import (
    ADMIN,
    BASE,
    _csv,
    body,
    far,
    home,
    officer,
    officer_scope,
    other_office,
    post,
)

__all__ = ["far", "home", "officer", "other_office"]  # fixtures used by name

pytestmark = pytest.mark.django_db


def _far_payment(far: Payer) -> None:
    post(virtual_account=far.virtual_account, bank_ref="KLASH-1", amount_idr=7_654_321, by=ADMIN)


def test_api_clash_with_another_offices_payment_names_nothing_of_it(officer, home, far):
    # given: another office's payer paid under a bank reference
    _far_payment(far)
    # when: a branch officer posts its own payer's payment under the same reference
    response = officer.post(
        f"{BASE}/payments", body(home, bank_ref="KLASH-1"), content_type="application/json"
    )
    # then: 409 on the reference, and nothing of the other payment (its VA, its amount)
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "billing.bank_ref_conflict"
    text = response.content.decode()
    assert far.virtual_account not in text
    assert "7654321" not in text
    assert "7.654.321" not in text
    assert "KLASH-1" in text


def test_api_clash_with_own_offices_payment_still_names_it(officer, home):
    post(virtual_account=home.virtual_account, bank_ref="KLASH-2", amount_idr=4321, by=ADMIN)
    response = officer.post(
        f"{BASE}/payments", body(home, bank_ref="KLASH-2"), content_type="application/json"
    )
    assert response.status_code == 409
    assert home.virtual_account in response.json()["message"]


def test_service_clash_out_of_scope_even_when_the_va_is_out_of_scope_too(world, home, far):
    _far_payment(far)
    with pytest.raises(BankRefConflict) as caught:
        post(virtual_account=far.virtual_account, bank_ref="KLASH-1", by=officer_scope(world))
    for language in ("id", "en"):
        message = caught.value.message_in(language)
        assert far.virtual_account not in message
        assert "7654321" not in message
        assert "7.654.321" not in message
    # an administrator sees everything, the other payment's details included
    with pytest.raises(BankRefConflict) as seen:
        post(virtual_account=home.virtual_account, bank_ref="KLASH-1", by=ADMIN)
    assert far.virtual_account in seen.value.message_in("en")


def test_statement_line_clash_with_another_offices_payment_names_nothing_of_it(world, home, far):
    _far_payment(far)
    content = _csv(f"KLASH-1;{home.virtual_account};900;IDR;2025-04-10")
    with pytest.raises(StatementHasErrors) as caught:
        statement_post(content, name="s.csv", by=officer_scope(world))
    [line] = caught.value.lines
    assert line.code == "billing.bank_ref_conflict"
    assert far.virtual_account not in line.message_id + line.message_en
    assert "7654321" not in line.message_en
    assert "7.654.321" not in line.message_id


def test_repeated_statement_of_another_office_is_not_answered_from_the_earlier_record(
    world, home, far
):
    # given: another office's statement file, posted by an administrator
    content = _csv(f"F-9;{far.virtual_account};700;IDR;2025-04-10")
    earlier = statement_post(content, name="kaltara-april.csv", by=ADMIN)
    assert earlier.posted == 1
    # when: a branch officer of the other office sends the same file
    with pytest.raises(StatementHasErrors) as caught:
        statement_post(content, name="lagi.csv", by=officer_scope(world))
    # then: it is checked as any file of theirs: the VA is unknown to them; no earlier record
    assert [(e.line, e.code) for e in caught.value.lines] == [
        (2, "billing.virtual_account_unknown")
    ]
    assert StatementFile.objects.count() == 1


def test_repeated_statement_api_of_another_office_is_400_without_its_record(officer, far):
    content = _csv(f"F-9;{far.virtual_account};700;IDR;2025-04-10")
    statement_post(content, name="kaltara-april.csv", by=ADMIN)
    response = officer.post(f"{BASE}/statements", {"file": _upload(content)}, format="multipart")
    assert response.status_code == 400, response.content
    assert "kaltara-april" not in response.content.decode()


def test_repeated_statement_of_own_office_answers_the_earlier_record(world, home):
    content = _csv(f"H-9;{home.virtual_account};900;IDR;2025-04-10")
    statement_post(content, name="bandung-april.csv", by=ADMIN)
    again = statement_post(content, name="lagi.csv", by=officer_scope(world))
    assert again.repeated
    assert again.statement is not None
    assert again.statement.name == "bandung-april.csv"


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lagi.csv", content, content_type="text/csv")
