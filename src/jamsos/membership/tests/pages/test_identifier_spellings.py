"""The worker search page reads each spelling of a NIK as the worker's NIK or refuses it next
to the search box: fullwidth digits, spaces and zero-width characters find the worker; a digit
of another script is refused, never searched as another number."""

from __future__ import annotations

import pytest

from jamsos.core.tests.identifier_variants import variants
from jamsos.membership.tests.pages.test_pages import SEARCH, client_for, field_error, html

NAMES = sorted(variants("3204051705900001"))


@pytest.mark.parametrize("name", NAMES)
def test_worker_search_page(world, name):
    spelling, same = variants(world.worker_a.nik)[name]
    response = client_for(world, "cabang").post(SEARCH, {"q": spelling})
    assert response.status_code == 200
    page = html(response)
    if same:
        assert "Asep Sunandar" in page
        assert field_error(page, "q") == ""
    else:
        assert "hanya boleh memuat angka 0–9" in field_error(page, "q")
        assert "Asep Sunandar" not in page
