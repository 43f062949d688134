"""A construction project and a migrant worker's placement registered through the registry's
entry points are invoiced by the billing run of their start month, the one writer of invoices:
the project to the contractor on its contract value by band, the package to the participant."""

from __future__ import annotations

from datetime import date

from jamsos.access.scope import Scope
from jamsos.billing.models import InvoiceLine, PayerKind
from jamsos.billing.services.run import billing_run
from jamsos.legal.types import Segment
from jamsos.membership.selectors import segment_contribution_idr
from jamsos.membership.services import construction_project_register, pmi_register
from jamsos.membership.tests.factories import employer_create, person_create

ADMIN = Scope.operator("test")


def test_the_run_of_the_start_month_bills_the_project_and_the_package(regions):
    contractor = employer_create(village=regions.cileunyi_kulon, legal_name="PT Karya Beton")
    project = construction_project_register(
        contractor=contractor,
        name="Jembatan Citarum",
        contract_value_idr=2_000_000_000,
        village=regions.cileunyi_kulon,
        start_date=date(2026, 6, 10),
        end_date=date(2027, 6, 9),
        by=ADMIN,
    )
    migrant = person_create(domicile=regions.cileunyi_kulon, name="Euis Komala")
    pmi = pmi_register(
        person=migrant,
        destination_country="MY",
        placement_months=30,
        start_date=date(2026, 6, 15),
        channel="branch",
        by=ADMIN,
    )
    billing_run("2026-06", as_of=date(2026, 7, 1), by=ADMIN)

    jakon = InvoiceLine.objects.select_related("invoice__payer").get(project=project)
    assert jakon.segment == "JAKON"
    assert jakon.total_idr == 2_950_000  # 240.000 + 760.000 + 750.000 + 1.200.000
    assert jakon.invoice.payer.kind == PayerKind.EMPLOYER
    assert jakon.invoice.payer.employer_id == contractor.pk
    assert jakon.total_idr == segment_contribution_idr(
        Segment.JAKON, project.start_date, contract_value_idr=project.contract_value_idr
    )

    package = InvoiceLine.objects.select_related("invoice__payer").get(membership=pmi)
    assert package.segment == "PMI"
    assert package.total_idr == 37_500 + 332_500 + 6 * 13_500
    assert package.invoice.payer.kind == PayerKind.PARTICIPANT
    assert package.invoice.payer.person_id == migrant.pk

    # Billed once: the next month's run bills neither again.
    billing_run("2026-07", as_of=date(2026, 8, 1), by=ADMIN)
    assert InvoiceLine.objects.filter(project=project).count() == 1
    assert InvoiceLine.objects.filter(membership=pmi).count() == 1
