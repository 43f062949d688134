"""`jamsos audit show`: the audit trail as a table, filtered, and exported as CSV."""

from __future__ import annotations

import csv
import getpass
import io
import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from jamsos.access.audit import Origin, audit_record, origin
from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.membership.services import person_update
from jamsos.membership.tests.factories import person_create

JAKARTA = ZoneInfo("Asia/Jakarta")


def run(*args):
    out = StringIO()
    call_command("audit", "show", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(regions, monkeypatch):
    """Two people registered (by the system), then an officer corrects one over the API and
    views them in full; an administrator corrected the other on the web, in January."""
    monkeypatch.setattr(getpass, "getuser", lambda: "siti")
    officer = Scope(role=Role.BRANCH_OFFICER, actor_name="petugas", branch_office_id=1)
    admin = Scope(role=Role.ADMIN, actor_name="kepala")
    first = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar")
    second = person_create(domicile=regions.cileunyi_kulon, name="=Budi")
    with origin(Origin(channel="api", ip="203.0.113.9", client="curl/8")):
        person_update(person=first, phone="0813-2222-3333", by=officer)
        audit_record(officer, "view_full", first)
    with origin(Origin(channel="web", ip="198.51.100.2", client="Firefox")):
        person_update(person=second, name="Budi Santoso", by=admin)
    AuditEvent.objects.filter(actor_name="kepala").update(
        at=datetime(2025, 1, 10, 9, 30, tzinfo=JAKARTA)
    )
    return first, second


def test_show_prints_newest_first_with_who_what_and_from_where(trail):
    out = run()
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["AT", "ACTOR", "ROLE", "ACTION"]
    body = lines[2:]
    assert [line.split()[2:4] for line in body] == [
        ["petugas", "branch_officer"],
        ["petugas", "branch_officer"],
        ["system", "-"],
        ["system", "-"],
        ["kepala", "admin"],
    ]
    assert [line.split()[4] for line in body] == [
        "view_full",
        "update",
        "create",
        "create",
        "update",
    ]
    assert "203.0.113.9" in body[1]
    assert body[1].rstrip().endswith("phone")
    assert body[4].startswith("2025-01-10 09:30:00  kepala")
    assert "198.51.100.2" in body[4]
    assert trail[0].nik not in out


@pytest.mark.parametrize(
    ("args", "actors"),
    [
        (["--actor", "PETUGAS"], {"petugas"}),
        (["--action", "update"], {"petugas", "kepala"}),
        (["--target-type", "person"], {"petugas", "kepala", "system"}),
        (["--target-type", "membership.person", "--since", "2025-02-01"], {"petugas", "system"}),
        (["--target-type", "membership"], set()),
        (["--until", "2025-01-10"], {"kepala"}),
        (["--since", "2025-01-11", "--action", "view_full"], {"petugas"}),
    ],
)
def test_filters(trail, args, actors):
    out = run(*args)
    found = {line.split()[2] for line in out.splitlines()[2:]} if actors else set()
    assert found == actors
    if not actors:
        assert out == "No audit events match.\n"


def test_filter_by_target_id(trail):
    _, second = trail
    out = run("--target-id", str(second.pk))
    assert [line.split()[2] for line in out.splitlines()[2:]] == ["system", "kepala"]


def test_limit_and_the_note_about_more(trail):
    out = run("--limit", "1")
    assert len(out.splitlines()) == 4
    assert "the newest 1" in out


def test_nothing_matches(trail):
    assert run("--actor", "nobody") == "No audit events match.\n"


@pytest.mark.parametrize("args", [["--since", "10-01-2025"], ["--limit", "0"]])
def test_bad_options_are_refused(trail, args):
    with pytest.raises(CommandError):
        run(*args)


def test_csv_export_has_every_field_and_is_itself_audited(trail):
    # when
    out = run("--csv", "--action", "update")
    # then
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["actor_name"] for r in rows] == ["petugas", "kepala"]
    officer = rows[0]
    assert officer["channel"] == "api"
    assert officer["ip"] == "203.0.113.9"
    assert officer["client"] == "curl/8"
    assert json.loads(officer["changes"]) == {"phone": ["0812****7890", "0813****3333"]}
    assert rows[1]["at"] == "2025-01-10T02:30:00+00:00"
    assert json.loads(rows[1]["changes"])["name"] == ["=Budi", "Budi Santoso"]
    assert rows[1]["target_label"].startswith("3204********")
    export = AuditEvent.objects.get(action="export", target_type="access.auditevent")
    assert export.detail == {"rows": 2, "filters": {"action": "update"}}
    assert export.actor_name == "cli:siti"


def test_csv_neutralises_formula_cells(trail):
    from jamsos.membership.models import Person

    first, _ = trail
    Person.objects.filter(pk=first.pk).update(name="=HYPERLINK(1)")
    audit_record(
        Scope(role=Role.ADMIN, actor_name="=cmd"), "view_full", Person.objects.get(pk=first.pk)
    )
    rows = list(csv.DictReader(io.StringIO(run("--csv", "--action", "view_full"))))
    assert rows[0]["actor_name"] == "'=cmd"
