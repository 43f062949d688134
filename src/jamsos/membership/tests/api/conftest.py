"""Fixtures of the registry API tests: ``world`` (two offices, their employers and workers, one
account and token per role) and ``api``, a caller of the API as one of those roles."""

from __future__ import annotations

import pytest

from jamsos.membership.tests.api.test_world import World, api_caller, world_build
from jamsos.membership.tests.fixtures import Regions


@pytest.fixture
def world(regions: Regions) -> World:
    return world_build(regions)


@pytest.fixture
def api(world: World):
    """``api(role, method, path, body=None, **extra)`` → response. A GET's body is its query;
    other bodies are sent as JSON."""
    return api_caller(world)
