"""Fixtures of the agreements tests: ``world``."""

from __future__ import annotations

import pytest

from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.tests.agreements.world import World, world_build


@pytest.fixture
def world(regions: Regions) -> World:
    return world_build(regions)
