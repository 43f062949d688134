"""Fixtures of the desk-page tests: ``world``, two offices with workers and one account per role."""

from __future__ import annotations

import pytest

from jamsos.membership.tests.fixtures import Regions
from jamsos.membership.tests.pages.test_pages import World, world_build


@pytest.fixture
def world(regions: Regions) -> World:
    return world_build(regions)
