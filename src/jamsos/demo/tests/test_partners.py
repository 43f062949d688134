"""The partners demo, end to end (issue 6, "Done when"): a kelurahan campaign lists workers,
some already members, the rest registered and paying; the campaign's funnel, the agreement
and the partner scorecard show it; a sponsored list of vulnerable workers is approved and
invoiced to the sponsor. Built by ``setup_demo`` (population, partners, billing) on a small
population; every figure is checked against the tables it comes from."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from jamsos.access.scope import Scope, scope_for_user
from jamsos.billing.models import Invoice, InvoiceLine
from jamsos.demo.partners import SPONSORED_WORKERS, demo_partners_build
from jamsos.membership.models import Membership
from jamsos.partners.models import (
    BatchStatus,
    Campaign,
    EnrolmentBatch,
    EventEnrolment,
    MatchStatus,
    Partner,
    PartnerKind,
    Prospect,
    RowStatus,
)
from jamsos.partners.selectors.pendataan import campaigns_visible
from jamsos.partners.services.attribution import attributed_membership_ids, targets_progress
from jamsos.partners.services.funnel import funnel
from jamsos.partners.services.scorecards import scorecards

WORKERS = 3000
#: BPU JKK + JKM on the lowest income tier (Rp1,000,000): 1% JKK + Rp6,800 JKM.
JKK_JKM_PACKAGE_IDR = 16_800
OPERATOR = Scope.operator("test")


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.mark.django_db
def test_demo_partner_path_end_to_end(client):
    out = StringIO()
    call_command("setup_demo", workers=WORKERS, verbosity=0, stdout=out)
    assert "demo partners campaign" in out.getvalue()

    government = Partner.objects.get(kind=PartnerKind.REGIONAL_GOVERNMENT)
    zakat = Partner.objects.get(kind=PartnerKind.ZAKAT_BODY)
    campaign = Campaign.objects.get(partner=government)

    # --- the campaign: listed, some members already, the rest registered and paying --------
    prospects = Prospect.objects.filter(campaign=campaign)
    registered_ids = set(
        prospects.filter(registered_membership__isnull=False).values_list(
            "registered_membership_id", flat=True
        )
    )
    paid_ids = set(
        InvoiceLine.objects.filter(
            membership_id__in=registered_ids, paid_on__isnull=False
        ).values_list("membership_id", flat=True)
    )
    total = funnel(OPERATOR, campaign=campaign)[0]
    assert total.listed == prospects.count() >= 25
    assert total.covered == prospects.filter(match_status=MatchStatus.COVERED).count() >= 3
    assert total.reactivation == prospects.filter(match_status=MatchStatus.REACTIVATION).count()
    assert total.reactivation >= 3
    assert total.possible_match == 1
    assert total.registered == len(registered_ids) == 12
    assert total.contacted == prospects.filter(contacted_on__isnull=False).count() == 14
    assert 0 < total.first_payment == len(paid_ids) <= total.registered
    # the covered are members with an open membership; the registered are new BPU members
    for prospect in prospects.filter(match_status=MatchStatus.COVERED):
        assert Membership.objects.filter(person__nik=prospect.nik, status="active").exists()
    registered = Membership.objects.filter(pk__in=registered_ids)
    assert {(m.segment, m.channel, m.partner_ref) for m in registered} == {
        ("BPU", "cadre", government.code)
    }
    assert all(m.start_date.year == 2025 and m.start_date.month in (1, 2) for m in registered)
    # the duplicate row of the import was refused, not stored twice
    assert prospects.values("nik").distinct().count() == total.listed

    # --- the agreement: the campaign's enrolments are attributed, and count for its target ---
    agreement = campaign.agreement
    assert agreement is not None
    assert agreement.partner_id == government.pk
    attributed = set(attributed_membership_ids(agreement.pk))
    assert registered_ids <= attributed
    first_target = next(
        t for t in targets_progress([agreement.pk]) if t.target.period_from == "2024-12"
    )
    assert first_target.enrolled >= len(registered_ids)
    # ... and so is the market's socialisation: two registered there and then
    assert (
        EventEnrolment.objects.filter(
            membership_id__in=registered_ids, rule="on_site", event__kind="socialisation"
        ).count()
        == 2
    )

    # --- the partner scorecard shows them ---------------------------------------------------
    card = scorecards([government])[0]
    assert card.enrolled == Membership.objects.filter(partner_ref=government.code).count()
    assert card.enrolled >= len(registered_ids)
    assert card.active > 0

    # --- the sponsored list: approved by the branch officer, one invoice to the sponsor -----
    batch = EnrolmentBatch.objects.get(partner=zakat)
    assert batch.status == BatchStatus.ENROLLED
    assert batch.uploaded_by.username == "demo-baznas"
    assert batch.decided_by.username == "demo-cabang"
    enrolled = set(
        batch.rows.filter(status=RowStatus.ENROLLED).values_list("membership_id", flat=True)
    )
    assert len(enrolled) == SPONSORED_WORKERS
    invoices = Invoice.objects.filter(payer__sponsor_ref=zakat.code, period="2025-03")
    assert invoices.count() == 1
    lines = list(invoices.get().lines.all())
    assert {line.membership_id for line in lines} == enrolled
    assert [line.total_idr for line in lines] == [JKK_JKM_PACKAGE_IDR] * SPONSORED_WORKERS
    assert invoices.get().total_idr == JKK_JKM_PACKAGE_IDR * SPONSORED_WORKERS
    # the sponsored members themselves are not invoiced for those months
    assert InvoiceLine.objects.filter(membership_id__in=enrolled, period="2025-03").count() == (
        SPONSORED_WORKERS
    )
    assert not Invoice.objects.filter(payer__sponsor_ref=zakat.code, period="2025-02").exists()

    # --- demo-mitra (the government's cadre) sees its campaign and no other ----------------
    mitra = _user("demo-mitra")
    assert list(campaigns_visible(scope_for_user(mitra))) == [campaign]
    other = Campaign.objects.exclude(pk=campaign.pk).get()
    client.force_login(mitra)
    page = client.get(reverse("partners:pendataan-campaign-detail", args=[campaign.code]))
    assert page.status_code == 200
    assert campaign.name in page.content.decode()
    hidden = client.get(reverse("partners:pendataan-campaign-detail", args=[other.code]))
    assert hidden.status_code == 404
    partners_page = client.get(reverse("partners:partner-list")).content.decode()
    assert government.name in partners_page
    assert zakat.name not in partners_page

    # --- run again: nothing new ---------------------------------------------------------------
    counts = (Partner.objects.count(), Prospect.objects.count(), Membership.objects.count())
    assert demo_partners_build() == {"partners": "already built"}
    assert counts == (Partner.objects.count(), Prospect.objects.count(), Membership.objects.count())
