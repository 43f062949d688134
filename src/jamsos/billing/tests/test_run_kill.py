"""A billing run killed with SIGKILL half-way leaves only its record; the next run abandons it.

A real process on a SQLite file database: the month's lines are written inside the run's
transaction, the process is killed before it commits, and the file is read directly.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SETUP = textwrap.dedent(
    """
    import os, sys, time
    from datetime import date
    import django
    django.setup()
    from jamsos.membership.services import branch_office_create, pu_worker_register
    from jamsos.membership.tests.factories import employer_create, person_create
    from jamsos.registry.models import Region
    from jamsos.registry.services.editions import edition_get_or_create
    from jamsos.registry.services.regions import region_row, regions_write

    edition, _ = edition_get_or_create(name="test-2025", make_current=True)
    rows = [("32", "Jawa Barat"), ("32.04", "Kabupaten Bandung"), ("32.04.05", "Cileunyi"),
            ("32.04.05.2001", "Cileunyi Kulon")]
    regions_write(edition=edition, rows=[region_row(c, n) for c, n in rows])
    village = Region.objects.get(edition=edition, code="32.04.05.2001")
    branch_office_create(code="KC3204", name="Kantor Cabang Bandung",
                         regencies=[Region.objects.get(edition=edition, code="32.04")])
    employer = employer_create(village=village, size="large", risk_class=1)
    for wage in (5_000_000, 7_000_000):
        pu_worker_register(employer=employer, person=person_create(domicile=village),
                           wage_idr=wage, start_date=date(2025, 3, 1), today=date(2025, 3, 3))
    print("READY", flush=True)
    """
)

RUN = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    import django
    django.setup()
    from jamsos.billing.services import run as r

    if sys.argv[1] == "stall":
        write = r._Month._lines

        def stalled(self, lines):
            write(self, lines)
            print("WRITTEN", flush=True)
            time.sleep(120)

        r._Month._lines = stalled
    done = r.billing_run("2025-03", as_of=date(2025, 4, 1))
    print("DONE", done.status, flush=True)
    """
)


#: The runs with their job columns (state and process live in ``jobs_job``, ADR 0106).
RUNS = "SELECT {columns} FROM billing_billingrun r JOIN jobs_job j ON j.id = r.id"


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"JAMSOS_TEST_DATABASE_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["DJANGO_SETTINGS_MODULE"] = "jamsos.config.settings"
    return env


def _count(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchall()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").startswith("postgres"),
    reason="a SQLite file database is enough to show the transaction boundary",
)
def test_kill_minus_nine_leaves_only_the_running_record(tmp_path):
    database = tmp_path / "kill.sqlite3"
    env = _env(database)
    jamsos = str(Path(sys.executable).with_name("jamsos"))
    subprocess.run([jamsos, "migrate", "-v0"], env=env, check=True)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    assert "READY" in setup.stdout

    child = subprocess.Popen(
        [sys.executable, "-c", RUN, "stall"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "WRITTEN"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert _count(database, RUNS.format(columns="j.status, j.process")) == [
        ("running", f"{socket.gethostname()}:{child.pid}")
    ]
    for name in ("invoice", "invoiceitem", "invoiceline", "payer", "journalentry", "posting"):
        assert _count(database, f"SELECT COUNT(*) FROM billing_{name}") == [(0,)], name

    again = subprocess.run(
        [sys.executable, "-c", RUN, "normal"], env=env, check=True, capture_output=True, text=True
    )
    assert "DONE finished" in again.stdout
    assert _count(database, RUNS.format(columns="j.status") + " ORDER BY r.id") == [
        ("abandoned",),
        ("finished",),
    ]
    assert _count(database, "SELECT COUNT(*) FROM billing_invoiceline") == [(2,)]
