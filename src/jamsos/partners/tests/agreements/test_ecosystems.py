"""Ecosystems: recording, listing by region, scope."""

from __future__ import annotations

import pytest

from jamsos.access.models import Role
from jamsos.partners.selectors.partners import ecosystem_list
from jamsos.partners.services.ecosystems import (
    RegionOutsideScope,
    ecosystem_create,
    ecosystem_update,
)
from jamsos.partners.services.partners import BadChoice
from jamsos.partners.tests.agreements.world import (
    OPERATOR,
    World,
    branch_scope,
    other_branch_scope,
    scope_of,
)


def test_ecosystems_by_region_and_scope(world: World) -> None:
    pasar = ecosystem_create(
        scope=branch_scope(),
        code="pasar-cileunyi",
        name="Pasar Cileunyi",
        kind="pasar",
        region="32.04.05",
        partners=["apindo-bdg"],
    )
    ecosystem_create(
        scope=OPERATOR,
        code="umkm-sukasari",
        name="Klaster UMKM Sukasari",
        kind="umkm",
        region="32.73.01",
    )
    assert [s.code for s in ecosystem_list(OPERATOR, region_code="32.04")] == ["pasar-cileunyi"]
    assert [s.code for s in ecosystem_list(OPERATOR, region_code="32")] == [
        "pasar-cileunyi",
        "umkm-sukasari",
    ]
    assert [s.code for s in ecosystem_list(OPERATOR, kind="umkm")] == ["umkm-sukasari"]
    partner_user = scope_of("mitra", Role.PARTNER_USER, partner_ref="apindo-bdg")
    assert [s.code for s in ecosystem_list(partner_user)] == ["pasar-cileunyi"]
    with pytest.raises(RegionOutsideScope):
        ecosystem_create(
            scope=other_branch_scope(world.regions),
            code="p2",
            name="P",
            kind="pasar",
            region="32.04.05",
        )
    with pytest.raises(BadChoice):
        ecosystem_create(scope=OPERATOR, code="p3", name="P", kind="mall", region="32.04.05")
    ecosystem_update(scope=OPERATOR, site=pasar, name="Pasar Cileunyi Baru", partners=[])
    pasar.refresh_from_db()
    assert (pasar.name, pasar.partners.count()) == ("Pasar Cileunyi Baru", 0)
