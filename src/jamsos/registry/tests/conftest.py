"""Fixtures: the real reference data, loaded once per test session, and small CSV writers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jamsos.registry.models import Level, Region, RegionEdition
from jamsos.registry.services import reference_data_load
from jamsos.registry.services.editions import PACKAGED_EDITION

HEADER = "code,code_nodot,name,parent_code,type"


@pytest.fixture(scope="session")
def _reference_data_session(django_db_setup, django_db_blocker):
    """91,599 regions + boundaries + population + workforce, committed once (about 2 s)."""
    with django_db_blocker.unblock():
        return reference_data_load(progress=False)


@pytest.fixture
def reference(_reference_data_session, db) -> RegionEdition:
    """The packaged edition with everything loaded; reloaded if a test flushed the tables."""
    if not Region.objects.filter(edition__name=PACKAGED_EDITION, level=Level.VILLAGE).exists():
        reference_data_load(progress=False)
    return RegionEdition.objects.get(name=PACKAGED_EDITION)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write ``lines`` under a header (the official one unless ``header`` is given)."""

    def write(name: str, *lines: str, header: str | None = HEADER) -> Path:
        path = tmp_path / name
        text = "\n".join([header, *lines] if header is not None else lines)
        path.write_text(text + ("\n" if text else ""), encoding="utf-8")
        return path

    return write
