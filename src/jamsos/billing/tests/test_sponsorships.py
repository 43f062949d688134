"""Sponsorships: a sponsor pays for a list of BPU workers for a term; all or nothing."""

from __future__ import annotations

import pytest

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.access.services import NotPermitted
from jamsos.billing.errors import BadPeriod, SponsorshipInvalid
from jamsos.billing.identifiers import virtual_account_valid
from jamsos.billing.models import Payer, PayerKind, Sponsorship
from jamsos.billing.services.sponsorships import sponsorship_create
from jamsos.membership.models import EventKind, MembershipEvent


def _create(world, **overrides):
    values = {
        "sponsor_ref": "CSR-PTMB",
        "sponsor_name": "PT Maju Bersama (CSR)",
        "sponsor_kind": "csr",
        "reference": "PKS 12/CSR/2025",
        "first_period": "2025-03",
        "last_period": "2025-08",
        "kpjs": [world.bpu.kpj],
    }
    values.update(overrides)
    return sponsorship_create(**values)


def test_sponsorship_names_the_sponsor_and_creates_its_payer(world):
    sponsorship = _create(world)
    world.bpu.refresh_from_db()
    assert (world.bpu.sponsor_ref, world.bpu.sponsor_kind) == ("CSR-PTMB", "csr")
    assert world.bpu.sponsor_name == "PT Maju Bersama (CSR)"
    payer = sponsorship.payer
    assert payer.kind == PayerKind.SPONSOR
    assert payer.sponsor_ref == "CSR-PTMB"
    assert virtual_account_valid(payer.virtual_account)
    assert list(sponsorship.memberships.values_list("kpj", flat=True)) == [world.bpu.kpj]
    assert (sponsorship.first_period, sponsorship.last_period) == ("2025-03", "2025-08")
    event = MembershipEvent.objects.get(membership=world.bpu, kind=EventKind.SPONSOR_CHANGED)
    assert event.data["sponsor_ref"] == "CSR-PTMB"
    # A second term for the same sponsor reuses its payer and virtual account.
    again = _create(world, first_period="2025-09", last_period="2025-12")
    assert again.payer_id == payer.pk
    assert Payer.objects.filter(sponsor_ref="CSR-PTMB").count() == 1


def test_one_bad_kpj_writes_nothing(world):
    with pytest.raises(SponsorshipInvalid) as caught:
        _create(world, kpjs=[world.bpu.kpj, "99999999999", world.worker_a.kpj])
    assert "99999999999" in caught.value.message
    assert world.worker_a.kpj in caught.value.message
    world.bpu.refresh_from_db()
    assert world.bpu.sponsor_ref is None
    assert not Sponsorship.objects.exists()
    assert not Payer.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"first_period": "2025-13"}, BadPeriod),
        ({"first_period": "2025-09", "last_period": "2025-03"}, SponsorshipInvalid),
        ({"sponsor_kind": "bank"}, SponsorshipInvalid),
        ({"kpjs": []}, SponsorshipInvalid),
    ],
)
def test_bad_input_is_refused(world, overrides, error):
    with pytest.raises(error):
        _create(world, **overrides)
    assert not Sponsorship.objects.exists()


def test_listed_twice_is_refused(world):
    with pytest.raises(SponsorshipInvalid) as caught:
        _create(world, kpjs=[world.bpu.kpj, world.bpu.kpj])
    assert world.bpu.kpj in caught.value.message


def test_scope_limits_who_may_sponsor_which_workers(world):
    employer_user = Scope(role=Role.EMPLOYER_USER, employer_id=world.employer.pk)
    with pytest.raises(NotPermitted):
        _create(world, by=employer_user)
    other_office = Scope(role=Role.BRANCH_OFFICER, branch_office_id=-1, actor_name="x")
    with pytest.raises(SponsorshipInvalid):
        _create(world, by=other_office)
    own_office = Scope(
        role=Role.BRANCH_OFFICER,
        branch_office_id=world.bpu.branch_office_id,
        regency_codes=frozenset({"32.04", "32.73"}),
        actor_name="petugas",
    )
    assert _create(world, by=own_office).memberships.count() == 1
