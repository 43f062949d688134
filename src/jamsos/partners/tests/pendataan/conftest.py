"""Fixtures of the pendataan tests: ``world``."""

from __future__ import annotations

import pytest

from jamsos.membership.models import BranchOffice
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.tests.pendataan.world import World, world_build


@pytest.fixture
def world(regions: Regions, branch_office: BranchOffice) -> World:
    return world_build(regions, branch_office)
