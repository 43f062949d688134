"""Uploads committed before 0002 keep their KPJs: the blocks are read from their rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jamsos.membership.identifiers import kpj_make
from jamsos.uploads.models import WorkerUpload
from jamsos.uploads.selectors import written_rows

BEFORE = [("uploads", "0001_initial")]
AFTER = [("uploads", "0002_kpj_blocks")]


@pytest.mark.django_db(transaction=True)
def test_0002_turns_written_rows_into_kpj_blocks(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    upload = old.get_model("uploads", "WorkerUpload").objects.create(
        employer_id=world.employer_a.pk,
        actor_name="hr",
        file_name="lama.csv",
        file_format="csv",
        file_size=1,
        file_sha256="0" * 64,
        content=b"",
        status="committed",
        total_rows=4,
        valid_rows=3,
        rejected_rows=1,
        written_rows=3,
    )
    rows = old.get_model("uploads", "WorkerUploadRow")
    for line, status, year, kpj in [
        (2, "written", 2024, kpj_make(year=2024, serial=123)),
        (3, "rejected", 2025, ""),
        (4, "written", 2025, kpj_make(year=2025, serial=500)),
        (5, "written", 2025, kpj_make(year=2025, serial=501)),
    ]:
        rows.objects.create(
            upload_id=upload.pk, line=line, status=status, start_date=date(year, 1, 2), kpj=kpj
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    migrated = WorkerUpload.objects.get(pk=upload.pk)
    assert migrated.kpj_blocks == {"2024": 123, "2025": 500}
    assert [(r.line, r.kpj) for r in written_rows(migrated)] == [
        (2, kpj_make(year=2024, serial=123)),
        (4, kpj_make(year=2025, serial=500)),
        (5, kpj_make(year=2025, serial=501)),
    ]
