"""The worker's PDFs: the digital membership card with its verification QR code, and the
statement of everything the worker's page shows, with the KPJ and the day it was printed.

fpdf2's core Helvetica font, as the billing documents (:mod:`jamsos.billing.services.documents`):
nothing fetched nor embedded but the QR code's picture.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF

from jamsos.billing.services.documents import latin1
from jamsos.core.formatting import format_money
from jamsos.core.masking import mask_nik
from jamsos.membership.models import Membership
from jamsos.membership.views.display import period_text
from jamsos.selfservice.overview import PROGRAMS, Overview
from jamsos.selfservice.payment import qr_png


def _date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "-"


class _Document(FPDF):
    def __init__(self, kpj: str, printed: date) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.kpj = kpj
        self.printed = printed
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(12, 12, 12)
        self.set_creator("Jamsos")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=7)
        self.set_text_color(110)
        text = _("KPJ %(kpj)s - printed %(date)s") % {"kpj": self.kpj, "date": _date(self.printed)}
        self.cell(0, 5, latin1(text), align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def title_line(self, text: str) -> None:
        self.set_font("helvetica", style="B", size=15)
        self.cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("helvetica", style="B", size=11)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def facts(self, pairs: list[tuple[str, Any]]) -> None:
        for name, value in pairs:
            self.set_font("helvetica", size=9)
            self.cell(62, 6, latin1(name))
            self.set_font("helvetica", style="B", size=9)
            self.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def row(self, cells: list[tuple[float, Any, str]], *, bold: bool = False) -> None:
        self.set_font("helvetica", style="B" if bold else "", size=8)
        for width, text, align in cells:
            self.cell(width, 5.5, latin1(text), border="B", align=align)
        self.ln(5.5)

    def note(self, text: str) -> None:
        self.set_font("helvetica", style="I", size=8.5)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def card_pdf(membership: Membership, *, verify_url: str, printed: date) -> bytes:
    """The membership card: name, KPJ, segment, programs, status, and the QR code that opens
    the public verification page."""
    pdf = _Document(membership.kpj, printed)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.title_line(_("Digital membership card"))
    active = membership.status == "active"
    pdf.facts(
        [
            (_("Name"), membership.person.name),
            (_("KPJ"), membership.kpj),
            (_("NIK"), mask_nik(membership.person.nik)),
            (_("Segment"), membership.get_segment_display()),
            (_("Programs"), membership.programs),
            (_("Member since"), _date(membership.start_date)),
            (_("Status"), _("Active") if active else _("Not active")),
        ]
    )
    y = pdf.get_y() + 4
    pdf.image(io.BytesIO(qr_png(verify_url)), x=12, y=y, w=40, h=40)
    pdf.set_y(y + 42)
    pdf.note(_("Scan the QR code to check this card: %(url)s") % {"url": verify_url})
    return pdf.output_bytes()


def statement_pdf(overview: Overview, *, kpj: str, verify_url: str) -> bytes:
    """Everything the worker's page shows, on paper: contributions month by month, months
    missing and owed, the JHT account by year, JP, JKP and the claims."""
    o = overview
    pdf = _Document(kpj, o.today)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.title_line(_("Participant statement"))
    pdf.facts(
        [
            (_("Name"), o.person.name),
            (_("KPJ"), kpj),
            (_("NIK"), mask_nik(o.person.nik)),
            (_("Printed on"), _date(o.today)),
        ]
    )

    pdf.heading(_("Contributions month by month"))
    widths = [18.0, 22.0, 12.0] + [17.0] * len(PROGRAMS) + [21.0]
    head = [_("Month"), _("KPJ"), _("Type"), *PROGRAMS, _("Paid on")]
    pdf.row([(w, t, "L") for w, t in zip(widths, head, strict=True)], bold=True)
    for r in o.months:
        cells: list[tuple[float, Any, str]] = [
            (widths[0], r.period, "L"),
            (widths[1], r.kpj, "L"),
            (widths[2], r.segment, "L"),
        ]
        for i, program in enumerate(PROGRAMS):
            cells.append((widths[3 + i], format_money(r.amounts[program]), "R"))
        cells.append((widths[-1], _date(r.paid_on) if r.paid_on else _("unpaid"), "L"))
        pdf.row(cells)
    if not o.months:
        pdf.note(_("No contribution billed yet."))
    if o.gaps:
        months = ", ".join(period_text(p) for _kpj, p in o.gaps[:36])
        pdf.note(_("Months with no contribution: %(months)s") % {"months": months})
    if o.arrears:
        pdf.note(
            _("Owed and past due: %(amount)s for %(count)s month(s).")
            % {"amount": format_money(o.arrears_idr), "count": len(o.arrears)}
        )

    pdf.heading(_("JHT balance"))
    if o.opening is None:
        pdf.note(_("No opening balance is known: savings from before these records are not shown."))
    else:
        pdf.facts(
            [
                (
                    _("Opening balance on %(date)s") % {"date": _date(o.opening.as_of)},
                    f"{format_money(o.opening.balance_idr)} ({o.opening.source})",
                )
            ]
        )
    pdf.row(
        [
            (16, _("Year"), "L"),
            (34, _("Contributions"), "R"),
            (34, _("Return"), "R"),
            (40, _("Return rate"), "L"),
            (34, _("Balance at year end"), "R"),
        ],
        bold=True,
    )
    for y in o.jht_years:
        rate = f"{y.rate.rate * 100:.2f} %" if y.rate.rate is not None else _("not known yet")
        pdf.row(
            [
                (16, y.year, "L"),
                (34, format_money(y.contributions_idr), "R"),
                (34, format_money(y.returns_idr), "R"),
                (40, rate, "L"),
                (34, format_money(y.closing_idr), "R"),
            ]
        )
    pdf.facts([(_("JHT balance"), format_money(o.jht_balance_idr))])

    if o.pension is not None:
        pdf.heading(_("Pension (JP)"))
        pdf.facts(
            [
                (_("JP contribution months"), o.pension.contribution_months),
                (
                    _("Pension age"),
                    _("%(age)s years, in %(year)s")
                    % {"age": o.pension.age, "year": o.pension.year},
                ),
            ]
        )
    if o.jkp is not None:
        pdf.heading(_("Job loss (JKP)"))
        pdf.facts(
            [
                (
                    _("Months paid in the last %(n)s") % {"n": o.jkp.window_months},
                    f"{o.jkp.months_in_window} / {o.jkp.minimum_months}",
                ),
                (_("Eligible today"), _("yes") if o.jkp.eligible else _("no")),
            ]
        )
    pdf.heading(_("Claims"))
    for c in o.claims:
        pdf.row(
            [
                (40, c.number, "L"),
                (20, c.program, "L"),
                (40, c.get_status_display(), "L"),
                (40, _date(c.submitted_at.date()), "L"),
            ]
        )
    if not o.claims:
        pdf.note(_("No claims."))
    pdf.ln(2)
    pdf.note(_("Check the membership card: %(url)s") % {"url": verify_url})
    return pdf.output_bytes()
