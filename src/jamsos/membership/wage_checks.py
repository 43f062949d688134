"""A reported wage against the regional minimum wage, as pages, exports and the compliance list
show it (docs/registry/wages.md).

The minimum is that of the employer's address (its regency's UMK when known, else its
province's UMP, from ``jamsos.legal.minimum_wage``) in the month's first day. A wage below it is
stored and flagged, never refused; a region without a known minimum says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from jamsos.core.formatting import format_number
from jamsos.legal.minimum_wage import Basis, MinimumWage, Verdict, wage_check
from jamsos.legal.periods import Period
from jamsos.membership.models import Employer
from jamsos.registry.models import Region


def rupiah_exact(amount: Decimal) -> str:
    """``Rp 4.482.914,09``; whole amounts without sen (``Rp 4.737.678``)."""
    whole = int(amount)
    sen = int((amount - whole) * 100)
    text = "Rp " + format_number(whole)
    return f"{text},{sen:02d}" if sen else text


@dataclass(frozen=True)
class EmployerMinimum:
    """The minimum wage binding an employer in one month, and how to word it."""

    employer_size: str
    province_code: str
    regency_code: str
    period: Period
    minimum: MinimumWage
    region_name: str = ""

    def check(self, wage_idr: int) -> Verdict:
        return wage_check(
            wage_idr=wage_idr,
            province_code=self.province_code,
            regency_code=self.regency_code,
            employer_size=self.employer_size,
            on=self.period.first_day,
        ).verdict

    @property
    def text(self) -> str:
        """What applies, for the page: ``UMK Kota Bandung: Rp 4.482.914,09 (Kepgub …)``."""
        minimum = self.minimum
        if minimum.basis is Basis.EXEMPT:
            return _("Micro and small enterprises are exempt from the minimum wage (%(law)s).") % {
                "law": minimum.reference
            }
        if minimum.amount is None:
            return _("Minimum wage unknown for this region in %(period)s: not checked.") % {
                "period": str(self.period)
            }
        return _("%(basis)s %(region)s: %(amount)s (%(law)s)") % {
            "basis": minimum.basis.value,
            "region": self.region_name or minimum.region_code,
            "amount": rupiah_exact(minimum.amount),
            "law": minimum.reference,
        }

    def reason(self, verdict: Verdict) -> str:
        """Why a line is flagged, or an empty text."""
        if verdict is Verdict.BELOW_MINIMUM and self.minimum.amount is not None:
            return _("Below the %(basis)s of %(amount)s") % {
                "basis": self.minimum.basis.value,
                "amount": rupiah_exact(self.minimum.amount),
            }
        if verdict is Verdict.MINIMUM_UNKNOWN:
            return _("Minimum wage unknown")
        return ""


def employer_minimum(employer: Employer, period: Period) -> EmployerMinimum:
    """The minimum binding ``employer`` in ``period`` (one query for the region's name)."""
    village = employer.address_village
    province, regency = village.province_code, village.regency_code
    result = wage_check(
        wage_idr=0,
        province_code=province,
        regency_code=regency,
        employer_size=employer.size,
        on=period.first_day,
    )
    name = ""
    if result.minimum.region_code:
        name = (
            Region.objects.filter(edition_id=village.edition_id, code=result.minimum.region_code)
            .values_list("name", flat=True)
            .first()
            or ""
        )
    return EmployerMinimum(employer.size, province, regency, period, result.minimum, name)
