"""Invoice lines from the slot registry: the capped base and the parameters kept by the run, the
explanation on the page and in the API, and a slot added to the registry reaching the run, the
ledger, the pages, the PDF and the API without a change in billing (docs/adding-a-program-line.md).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.db.models import Sum
from django.test import Client

from jamsos.access.models import Role
from jamsos.billing import lines as slot_lines
from jamsos.billing.api.reads import line_schema
from jamsos.billing.models import Account, InvoiceItem, InvoiceLine, Posting
from jamsos.billing.services import documents
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.run import billing_run
from jamsos.billing.tests.conftest import World
from jamsos.legal import ContributionInput, Payer, Period, Program, Segment, contribution
from jamsos.legal.slots import (
    BaseKind,
    Slot,
    SlotRule,
    parameters_reference,
    registry,
    using,
)
from jamsos.membership.services.accounts import user_access_grant

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 4, 1)
JP_CAP_2025 = 10_547_400

#: A JKM top-up on the capped wage, kept in the existing JKM column.
TOP_UP = Slot(
    key="jkm_top_up",
    program=Program.JKM,
    payer=Payer.EMPLOYER,
    label_id="JKM tambahan",
    label_en="JKM top-up",
    account="4100",
    line_column="jkm_idr",
    rules=(SlotRule(Segment.PU, BaseKind.JP_WAGE, "pu.jkm_rate", cap="pu.jp_wage_cap"),),
)
#: A JP line with a column of its own (a migration would add ``jp_top_up_idr``).
NEW_COLUMN = Slot(
    key="jp_top_up",
    program=Program.JP,
    payer=Payer.EMPLOYER,
    label_id="JP tambahan",
    label_en="JP top-up",
    account="4100",
    line_column="jp_top_up_idr",
    rules=(SlotRule(Segment.PU, BaseKind.WAGE, "pu.jkm_rate"),),
)


def _admin() -> Client:
    client = Client()
    client.force_login(user_access_grant(username="slots-admin", role=Role.ADMIN).user)
    return client


def test_run_keeps_the_capped_base_and_the_parameters(world: World) -> None:
    billing_run("2025-03", as_of=AS_OF)
    ref = parameters_reference(Period(2025, 3).legal_date)
    high = InvoiceLine.objects.get(membership=world.worker_b)  # Rp 12,000,000, over the JP cap
    low = InvoiceLine.objects.get(membership=world.worker_a)  # Rp 5,000,000
    bpu = InvoiceLine.objects.get(membership=world.bpu)
    assert (high.base_idr, high.capped_base_idr) == (12_000_000, JP_CAP_2025)
    assert (low.base_idr, low.capped_base_idr) == (5_000_000, 5_000_000)
    assert bpu.capped_base_idr == 1_000_000  # the declared-income bracket
    assert {high.parameters_ref, low.parameters_ref, bpu.parameters_ref} == {ref}
    assert high.jp_employer_idr == 210_948  # 2% x the cap, half up

    why = {e.slot: e for e in slot_lines.line_explanations(high, "id")}
    assert why["jp_employer"].base_idr == JP_CAP_2025
    assert why["jp_employer"].rate == "0.02"
    assert why["jp_employer"].references[0].startswith("PP 45/2015")
    assert "2% × upah dibatasi Rp10.547.400" in why["jp_employer"].text
    assert "batas upah 2025 Rp10.547.400, upah Rp12.000.000" in why["jp_employer"].text
    assert why["jkp_government"].amount_idr == high.jkp_government_idr
    english = {e.slot: e for e in slot_lines.line_explanations(high, "en")}
    assert "2% × capped wage Rp10,547,400" in english["jp_employer"].text
    assert english["jp_employer"].label == "JP employer share"


def test_page_and_api_explain_the_lines(world: World) -> None:
    billing_run("2025-03", as_of=AS_OF)
    number = InvoiceLine.objects.get(membership=world.worker_b).invoice.number
    client = _admin()
    page = client.get(f"/iuran/tagihan/{number}/").content.decode()
    assert "Cara menghitung jumlah ini" in page
    assert "JP bagian pemberi kerja: 2% × upah dibatasi Rp10.547.400" in page
    assert "PP 45/2015" in page
    body = client.get(f"/api/v1/billing/invoices/{number}").json()
    line = next(x for x in body["lines"] if x["base_idr"] == 12_000_000)
    assert line["capped_base_idr"] == JP_CAP_2025
    assert line["parameters_ref"].startswith("2025-03-31@")
    assert line["jkp_government_idr"] > 0
    jp = next(e for e in line["explanations"] if e["slot"] == "jp_employer")
    assert (jp["base_idr"], jp["rate"], jp["amount_idr"]) == (JP_CAP_2025, "0.02", 210_948)
    assert any("Pasal 29" in r for r in jp["references"])


def test_a_registered_slot_is_billed_and_posted(world: World) -> None:
    with using(registry().with_slot(TOP_UP, after="jkm_employer")):
        run = billing_run("2025-03", as_of=AS_OF)
        expected = contribution(
            ContributionInput(segment=Segment.PU, period=Period(2025, 3), wage_idr=12_000_000)
        ).amounts_by_slot()
        line = InvoiceLine.objects.get(membership=world.worker_b)
        explained = {e.slot: e for e in slot_lines.line_explanations(line)}
        billed = {s.key for s in registry().slots if s.billed}
    top_up = (JP_CAP_2025 * 3 + 500) // 1000  # 0.30% of the capped wage
    assert expected["jkm_top_up"] == top_up
    assert line.jkm_idr == expected["jkm_employer"] + top_up
    assert line.total_idr == sum(v for k, v in expected.items() if k in billed)
    jkm_item = InvoiceItem.objects.get(invoice=line.invoice, program="JKM", segment="PU")
    pu_jkm = InvoiceLine.objects.filter(invoice=line.invoice, segment="PU").aggregate(
        s=Sum("jkm_idr")
    )
    assert jkm_item.amount_idr == pu_jkm["s"]
    income = Posting.objects.filter(entry__run=run, account=Account.CONTRIBUTION_INCOME.value)
    assert income.aggregate(s=Sum("credit_idr"))["s"] == run.totals["contributions"]
    assert ledger_check().ok
    # Two PU slots in one column: explained together, each named.
    assert explained["jkm_idr"].amount_idr == line.jkm_idr
    assert "JKM dibayar pemberi kerja, JKM tambahan" in explained["jkm_idr"].text


def test_a_slot_with_its_own_column_reaches_pages_pdf_api_and_ledger() -> None:
    extended = registry().with_slot(NEW_COLUMN, after="jp_worker")
    with using(extended):
        assert slot_lines.line_columns()["jp_top_up_idr"] == ("jp_top_up",)
        assert "jp_top_up_idr" in slot_lines.billed_columns()
        jp = next(c for c in slot_lines.program_columns() if c.code == "JP")
        assert jp.columns == ("jp_employer_idr", "jp_worker_idr", "jp_top_up_idr")
        line = SimpleNamespace(jp_employer_idr=100, jp_worker_idr=50, jp_top_up_idr=7)
        assert jp.amount(line) == 157  # the page's and the PDF's JP column
        assert [c.code for c, _w in documents.line_columns()] == [
            "JKK",
            "JKM",
            "JHT",
            "JP",
            "JKK+JKM",
        ]
        assert sum(w for _c, w in documents.line_columns()) == documents.PROGRAM_COLUMNS_MM
        assert "jp_top_up_idr" in slot_lines.income_accounts()["4100"]
        assert "jp_top_up_idr" in line_schema(extended).model_fields
        assert "jp_top_up_idr" in slot_lines.line_fields()
        assert (
            "JP",
            4,
            ("jp_employer_idr", "jp_worker_idr", "jp_top_up_idr"),
        ) in slot_lines.items()
    assert "jp_top_up_idr" not in line_schema().model_fields
    assert "jp_top_up_idr" not in slot_lines.line_columns()


def test_every_account_of_the_registry_is_a_ledger_account() -> None:
    assert set(slot_lines.income_accounts()) <= set(Account.values)
    assert set(slot_lines.line_columns()) <= {f.name for f in InvoiceLine._meta.get_fields()}
    # The worker's JHT account is credited with the JHT columns (services/settlement.py).
    assert slot_lines.program_line_columns("JHT") == ("jht_employer_idr", "jht_worker_idr")
    assert slot_lines.program_line_columns("JKP") == ()  # kept, never billed
