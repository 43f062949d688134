"""Fixtures of the enrolment tests: ``world``."""

from __future__ import annotations

import pytest

from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.tests.enrolment.test_enrolment import World, world_build


@pytest.fixture
def world(regions: Regions) -> World:
    return world_build(regions)
