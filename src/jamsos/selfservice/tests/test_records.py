"""What a signed-in worker sees of their records: contributions month by month with the
months missing and owed, the JHT account by year (a year with no declared return says so, no
opening balance is said), JP months and pension age, JKP today, claims, the card with its
verification QR, the statement PDF, and the opening-balance import."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime
from html import unescape
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.test.utils import override_settings

from jamsos.access.models import AuditEvent, Role
from jamsos.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    JhtEntry,
    JhtKind,
    Payer,
)
from jamsos.claims.models import Claim
from jamsos.claims.tests.conftest import paid_months
from jamsos.membership.models import Membership, Status
from jamsos.membership.services import pu_worker_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.selfservice.models import OpeningBalance
from jamsos.selfservice.overview import pension_age_of, worker_overview
from jamsos.selfservice.verification import (
    SALT,
    card_token,
    mask_kpj,
    mask_name,
    membership_of_token,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 3)  # the clock of conftest.py


class World:
    def __init__(self, membership: Membership, user, admin) -> None:
        self.membership = membership
        self.person = membership.person
        self.user = user
        self.admin = admin

    def client(self) -> Client:
        client = Client()
        client.force_login(self.user)
        return client


def unpaid_month(membership: Membership, period: str, due: date) -> None:
    payer = Payer.objects.get(employer=membership.employer)
    invoice = Invoice.objects.create(
        number=f"U-{membership.pk}-{period}",
        payer=payer,
        period=period,
        kind=InvoiceKind.CORRECTION,
        issued_on=due,
        due_date=due,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        membership=membership,
        person_id_copy=membership.person_id,
        period=period,
        segment="PU",
        base_idr=4_000_000,
        jkk_idr=9_600,
        jht_employer_idr=148_000,
        jht_worker_idr=80_000,
        total_idr=237_600,
    )


@pytest.fixture
def world(regions) -> World:
    employer = employer_create(
        village=regions.cileunyi_kulon, size="large", risk_class=1, legal_name="PT Maju Bersama"
    )
    membership = pu_worker_register(
        employer=employer,
        person=person_create(
            domicile=regions.cileunyi_wetan, birth_date=date(1995, 8, 1), name="Agus Pratama"
        ),
        wage_idr=4_000_000,
        start_date=date(2025, 1, 1),
        today=date(2025, 1, 2),
    )
    paid_months(membership, date(2025, 1, 1), 12, 4_000_000)  # 2025-01 .. 2025-12, JP only
    unpaid_month(membership, "2026-01", date(2026, 2, 16))  # billed, past due: owed
    # 2026-02: not billed at all: a month missing
    for booked, amount, kind in (
        (date(2019, 5, 15), 1_000_000, JhtKind.CONTRIBUTION),
        (date(2019, 12, 31), 40_000, JhtKind.RETURN),
        (date(2025, 6, 15), 500_000, JhtKind.CONTRIBUTION),
    ):
        JhtEntry.objects.create(
            person=membership.person,
            kind=kind,
            period=f"{booked:%Y-%m}",
            amount_idr=amount,
            booked_on=booked,
        )
    user = user_access_grant(username="agus", role=Role.WORKER, person=membership.person).user
    admin = user_access_grant(username="admin1", role=Role.ADMIN).user
    return World(membership, user, admin)


def text(response) -> str:
    return unescape(response.content.decode())


# --- the records ------------------------------------------------------------------------------


def test_months_by_program_with_gaps_and_arrears(world):
    o = worker_overview(world.person, TODAY)
    assert [r.period for r in o.months][:3] == ["2026-01", "2025-12", "2025-11"]
    assert len(o.months) == 13
    assert o.months[0].paid_on is None
    assert o.months[0].overdue
    assert o.months[0].amounts["JHT"] == 228_000
    assert o.months[1].amounts["JP"] == 120_000
    assert o.program_totals["JP"] == 12 * 120_000
    assert o.program_totals["JHT"] == 0  # the owed month is not counted as paid
    assert o.gaps == [(world.membership.kpj, "2026-02")]
    assert o.arrears_idr == 237_600


def test_jht_by_year_says_which_returns_are_not_known_and_no_opening_balance(world):
    o = worker_overview(world.person, TODAY)
    assert o.opening is None
    assert [(y.year, y.closing_idr) for y in o.jht_years] == [(2019, 1_040_000), (2025, 1_540_000)]
    assert o.jht_years[0].rate.known
    assert o.jht_years[0].returns_idr == 40_000
    assert not o.jht_years[1].rate.known
    assert o.jht_balance_idr == 1_540_000


def test_an_opening_balance_starts_the_account_and_earlier_entries_are_inside_it(world):
    OpeningBalance.objects.create(
        person=world.person,
        balance_idr=2_000_000,
        as_of=date(2020, 12, 31),
        source="Laporan saldo BPJS 2020",
        imported_at=datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")),
    )
    o = worker_overview(world.person, TODAY)
    assert [y.year for y in o.jht_years] == [2025]
    assert o.jht_balance_idr == 2_500_000


def test_pension_age_by_birth_year():
    assert pension_age_of(date(1995, 8, 1)) == (65, 2060)
    assert pension_age_of(date(1966, 2, 10)) == (58, 2024)
    assert pension_age_of(date(1962, 1, 1)) == (56, 2018)
    assert pension_age_of(date(1963, 1, 1)) == (57, 2020)
    assert pension_age_of(date(1950, 1, 1)) == (56, 2006)


def test_jp_months_and_jkp_today(world):
    o = worker_overview(world.person, TODAY)
    assert o.pension is not None
    assert o.pension.contribution_months == 12
    assert o.jkp is not None
    assert o.jkp.covered
    assert o.jkp.window_months == 24
    assert o.jkp.months_in_window == 12
    assert o.jkp.eligible
    InvoiceLine.objects.filter(membership=world.membership, period="2025-12").update(paid_on=None)
    o = worker_overview(world.person, TODAY)
    assert o.jkp.months_in_window == 11
    assert not o.jkp.eligible


# --- the page ---------------------------------------------------------------------------------


def test_the_page_in_indonesian_labels_every_cell_and_lists_the_claims(world):
    Claim.objects.create(
        number="KLM-2026-000001",
        person=world.person,
        membership=world.membership,
        program="JHT",
        case="partial_10",
        event_date=date(2026, 2, 1),
        channel="self",
        claimant_name="Agus Pratama",
        submitted_at=datetime(2026, 2, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
        due_at=datetime(2026, 2, 9, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
        submitted_by="agus",
        status="submitted",
    )
    response = world.client().get("/peserta/ringkasan/")
    assert response.status_code == 200
    page = text(response)
    assert "Iuran per bulan" in page
    assert "Februari 2026" in page  # the month missing, in plain words
    assert "sudah lewat jatuh tempo" in page
    assert "Belum diketahui untuk tahun ini" in page  # 2025's return
    assert "6.08 %" in page or "6,08 %" in page  # 2019's return
    assert "Saldo awal belum diketahui" in page
    assert "65 tahun, dicapai pada 2060" in page
    assert "Anda dapat mengajukan JKP" in page
    assert "KLM-2026-000001" in page
    assert "/klaim/KLM-2026-000001/" in page
    assert "/verifikasi/" in page
    assert "<svg" in page
    # Every cell of the tables carries its label (shown on a phone, where rows become cards).
    body = page.split("<tbody>")[1:]
    for table in body:
        cells = table.split("</tbody>")[0]
        assert cells.count("<td") == cells.count("<td data-label=") + cells.count(
            '<td class="num" data-label='
        ) + cells.count('<td class="mono" data-label=')


def test_the_page_is_the_signed_in_workers_only(world):
    assert Client().get("/peserta/ringkasan/")["Location"] == "/peserta/masuk/"
    admin = Client()
    admin.force_login(world.admin)
    assert admin.get("/peserta/ringkasan/").status_code == 302
    assert admin.get("/peserta/ringkasan.pdf").status_code == 302
    assert admin.get("/peserta/kartu.pdf").status_code == 302


# --- card, verification, statement -------------------------------------------------------------


def test_the_token_names_the_membership_without_its_id(world):
    token = card_token(world.membership)
    assert membership_of_token(token) == world.membership
    carried = signing.loads(token, salt=SALT)  # what the token carries, readable by anyone
    assert int(carried, 16) != world.membership.pk
    assert carried != str(world.membership.pk)
    assert world.membership.kpj not in token
    assert membership_of_token(token[:-2] + "xx") is None
    assert membership_of_token("abc") is None
    with override_settings(SECRET_KEY="another-secret-key-for-the-test-" * 2):
        assert membership_of_token(token) is None


def test_masks():
    assert mask_name("Agus Pratama") == "A*** P******"
    assert mask_kpj("26010000123") == "260*****123"


def test_the_public_verification_page_shows_only_masked_name_kpj_and_status(world):
    token = card_token(world.membership)
    response = Client().get(f"/verifikasi/{token}")
    assert response.status_code == 200
    page = text(response)
    assert "A*** P******" in page
    assert mask_kpj(world.membership.kpj) in page
    assert world.membership.kpj not in page
    assert "Agus" not in page
    assert world.person.nik not in page
    assert 'data-active="yes"' in page
    Membership.objects.filter(pk=world.membership.pk).update(
        status=Status.ENDED, end_date=date(2026, 2, 28), end_reason="resignation"
    )
    assert 'data-active="no"' in text(Client().get(f"/verifikasi/{token}"))
    assert Client().get("/verifikasi/not-a-token").status_code == 404


def test_the_verification_page_is_rate_limited(world, settings):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "public.address": "2/1m"}
    token = card_token(world.membership)
    client = Client()
    codes = [client.get(f"/verifikasi/{token}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_card_and_statement_pdfs(world):
    client = world.client()
    card = client.get("/peserta/kartu.pdf")
    assert card.status_code == 200
    assert card["Content-Type"] == "application/pdf"
    assert card.content.startswith(b"%PDF")
    assert b"/Image" in card.content  # the QR code
    statement = client.get("/peserta/ringkasan.pdf")
    assert statement.status_code == 200
    assert statement.content.startswith(b"%PDF")
    assert world.membership.kpj in statement["Content-Disposition"]
    assert "2026-03-03" in statement["Content-Disposition"]
    exports = AuditEvent.objects.filter(action="export", actor=world.user)
    assert exports.count() == 2


def pdf_text(content: bytes) -> str:
    """The text drawn by a PDF's (compressed) page streams."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    text = b"".join(zlib.decompress(s) for s in streams if s[:1] == b"x")
    return text.decode("latin-1")


def test_statement_pdf_text_has_kpj_and_print_date(world):
    from jamsos.selfservice.documents import statement_pdf

    o = worker_overview(world.person, TODAY)
    content = statement_pdf(o, kpj=world.membership.kpj, verify_url="http://x/verifikasi/t")
    words = pdf_text(content)
    assert world.membership.kpj in words
    assert "dicetak 03-03-2026" in words
    assert "Saldo awal belum diketahui" in words
    assert "belum diketahui" in words  # 2025's return
    assert "(2026-02)" in words or "Februari 2026" in words


# --- the opening-balance import ----------------------------------------------------------------


def run_import(path, *args: str) -> str:
    out = StringIO()
    call_command("participant", "opening-balance", "import", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_writes_every_row_audited(world, tmp_path):
    file = tmp_path / "saldo.csv"
    file.write_text(
        "kpj;saldo;per_tanggal;sumber\n"
        f"{world.membership.kpj};2.500.000;2020-12-31;Laporan saldo BPJS 2020\n",
        encoding="utf-8",
    )
    assert "1 saldo awal JHT diimpor" in run_import(file)
    opening = OpeningBalance.objects.get(person=world.person)
    assert opening.balance_idr == 2_500_000
    assert opening.as_of == date(2020, 12, 31)
    assert opening.source == "Laporan saldo BPJS 2020"
    assert AuditEvent.objects.filter(action="import", target_id=str(world.person.pk)).count() == 1
    # Again, with a new figure: replaced, not doubled.
    file.write_text(
        f"kpj,saldo,per_tanggal,sumber\n{world.membership.kpj},3000000,2021-12-31,Koreksi\n",
        encoding="utf-8",
    )
    assert "1 diganti" in run_import(file)
    assert OpeningBalance.objects.get(person=world.person).balance_idr == 3_000_000
    page = text(world.client().get("/peserta/ringkasan/"))
    assert "Saldo awal" in page
    assert "Koreksi" in page


def test_import_refuses_the_whole_file_naming_the_rows(world, tmp_path):
    file = tmp_path / "saldo.csv"
    file.write_text(
        "kpj;saldo;per_tanggal;sumber\n"
        f"{world.membership.kpj};2500000;2020-12-31;BPJS\n"
        "99999999999;100;2020-12-31;BPJS\n"
        f"{world.membership.kpj[:5]};abc;2099-01-01;\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run_import(file)
    message = str(refused.value)
    assert "tidak ada yang ditulis" in message
    assert "3: KPJ 99999999999" in message
    assert "4: KPJ, saldo" in message
    assert OpeningBalance.objects.count() == 0


def test_import_needs_an_administrator(world, tmp_path):
    file = tmp_path / "saldo.csv"
    file.write_text(f"kpj;saldo;per_tanggal;sumber\n{world.membership.kpj};1;2020-12-31;X\n")
    with pytest.raises(CommandError):
        run_import(file, "--as", "agus")
    assert OpeningBalance.objects.count() == 0


def test_import_reads_through_the_upload_limits(world, tmp_path, settings):
    settings.JAMSOS_UPLOAD_MAX_BYTES = 10
    file = tmp_path / "saldo.csv"
    file.write_text(f"kpj;saldo;per_tanggal;sumber\n{world.membership.kpj};1;2020-12-31;X\n")
    with pytest.raises(CommandError):
        run_import(file)
    assert OpeningBalance.objects.count() == 0
