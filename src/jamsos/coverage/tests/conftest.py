"""Fixtures of the coverage tests: ``cov``, coverage figures written directly for the selectors,
and ``dash``, areas with boundaries for the dashboard's pages."""

from __future__ import annotations

import pytest

from jamsos.coverage.tests.test_selectors import Cov, cov_build
from jamsos.coverage.tests.test_views import Dash, dash_build
from jamsos.membership.tests.fixtures import Regions


@pytest.fixture
def cov(regions: Regions) -> Cov:
    return cov_build(regions)


@pytest.fixture
def dash(regions: Regions) -> Dash:
    return dash_build(regions)
