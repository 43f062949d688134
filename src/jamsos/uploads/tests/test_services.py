"""Accepting, discarding, scope, re-checks, reports, purge, and set-based writing."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.membership import errors as membership_errors
from jamsos.membership.identifiers import kpj_is_valid
from jamsos.membership.models import (
    Channel,
    EventKind,
    IdentifierSequence,
    Membership,
    MembershipEvent,
    Person,
    RecordSource,
    WageReport,
    WageSource,
)
from jamsos.membership.services import person_register, pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.uploads import errors
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload, WorkerUploadRow
from jamsos.uploads.parsing import parse_upload
from jamsos.uploads.selectors import written_rows
from jamsos.uploads.services import (
    upload_commit,
    upload_discard,
    upload_report,
    upload_template,
    upload_validate,
    uploads_purge,
)
from jamsos.uploads.tests.conftest import TODAY, csv_bytes, worker


def _validate(world, rows, *, who="employer_a", employer=None):
    return upload_validate(
        scope=world.scopes[who],
        employer_npp=(employer or world.employer_a).npp,
        file_name="pekerja.csv",
        content=csv_bytes(rows),
        today=TODAY,
    )


# --- accepting ----------------------------------------------------------------------------------


def test_accept_writes_exactly_the_valid_rows_with_history(world, regions):
    existing = person_create(domicile=regions.cileunyi_wetan, serial=4, name="Sudah Terdaftar")
    rows = [
        worker(1, upah="5.000.000"),
        worker(2, sex="F", tanggal_mulai="2024-12-02", telepon=""),
        worker(3, nik="123"),  # rejected
        worker(4),  # the registered person
        worker(5, kode_desa="0000000000"),  # rejected
    ]
    upload = _validate(world, rows)
    assert (upload.valid_rows, upload.rejected_rows, upload.existing_people) == (3, 2, 1)
    people_before = Person.objects.count()
    audit_before = AuditEvent.objects.count()

    result = upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)

    assert (result.written, result.new_people, result.existing_people) == (3, 2, 1)
    assert result.refused_at_commit == 0
    assert Person.objects.count() == people_before + 2
    new = Person.objects.get(nik=worker(2, sex="F")["nik"])
    assert (new.name, new.sex, new.birth_date) == ("Pekerja Nomor 2", "F", date(1990, 5, 17))
    assert new.search_name == "pekerja nomor 2"
    assert new.phone is None
    assert new.domicile == regions.cileunyi_kulon
    assert new.source == RecordSource.BULK_UPLOAD
    memberships = Membership.objects.filter(employer=world.employer_a).order_by("kpj")
    assert memberships.count() == 3
    assert {m.person_id for m in memberships} >= {existing.pk, new.pk}
    for membership in memberships:
        assert kpj_is_valid(membership.kpj)
        assert membership.segment == "PU"
        assert membership.status == "active"
        assert membership.channel == Channel.EMPLOYER
        assert membership.branch_office_id == world.employer_a.branch_office_id
        assert membership.source == RecordSource.BULK_UPLOAD
        assert membership.programs == "JKK,JKM,JHT,JP"
        event = MembershipEvent.objects.get(membership=membership)
        assert event.kind == EventKind.STARTED
        assert event.data["employer_npp"] == world.employer_a.npp
        assert event.data["upload_id"] == upload.pk
        assert event.actor_id == world.users["employer_a"].pk
        wage = WageReport.objects.get(membership=membership)
        assert wage.period == f"{membership.start_date:%Y-%m}"
        assert wage.source == WageSource.BULK_UPLOAD
    first = Membership.objects.get(person__nik=worker(1)["nik"])
    assert WageReport.objects.get(membership=first).wage_idr == 5_000_000
    # KPJ per start year: the 2024 series and the 2025 series, serials in file order.
    kpj_2024 = Membership.objects.get(person=new).kpj
    assert kpj_2024.startswith("24")
    assert IdentifierSequence.objects.get(name="kpj:2025").last_value == 2
    assert IdentifierSequence.objects.get(name="kpj:2024").last_value == 1
    upload.refresh_from_db()
    # The rows say what became of them: the written ones with the memberships' KPJs.
    written = {r.line: r.kpj for r in written_rows(upload)}
    assert written[3] == kpj_2024
    assert written == {
        r.line: Membership.objects.get(person__nik=r.nik, employer=world.employer_a).kpj
        for r in WorkerUploadRow.objects.filter(upload=upload, status=RowStatus.VALID)
    }
    assert WorkerUploadRow.objects.get(upload=upload, line=4).status == RowStatus.REJECTED
    assert upload.status == UploadStatus.COMMITTED
    assert upload.written_rows == 3
    assert upload.committed_by_name == "employer_a"
    # One audit event for the whole import, none per row.
    assert AuditEvent.objects.count() == audit_before + 1
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.detail["written"], event.detail["new_people"]) == (3, 2)
    assert (event.target_id, event.actor_id) == (str(upload.pk), world.users["employer_a"].pk)


def test_a_branch_officer_accepting_registers_through_the_branch(world):
    upload = _validate(world, [worker(1)], who="officer_bandung")
    upload_commit(scope=world.scopes["officer_bandung"], upload_id=upload.pk)
    assert Membership.objects.get(employer=world.employer_a).channel == Channel.BRANCH


def test_accept_twice_is_refused_and_nothing_is_written_twice(world):
    upload = _validate(world, [worker(1)])
    upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    with pytest.raises(errors.UploadNotCommittable) as caught:
        upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert caught.value.http_status == 409
    assert Membership.objects.count() == 1


def test_an_upload_without_valid_rows_cannot_be_accepted(world):
    upload = _validate(world, [worker(1, nik="1"), worker(2, upah="0")])
    with pytest.raises(errors.NothingValid):
        upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALIDATED
    assert not Membership.objects.exists()


def test_a_nik_registered_after_the_check_is_refused_on_its_row_only(world, regions):
    upload = _validate(world, [worker(1), worker(2)])
    person_register(
        nik=worker(2)["nik"],
        name="Didaftar Duluan",
        birth_date=date(1990, 5, 17),
        sex="M",
        domicile=regions.cileunyi_kulon,
        today=TODAY,
    )
    result = upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert (result.written, result.refused_at_commit) == (1, 1)
    row = WorkerUploadRow.objects.get(upload=upload, line=3)
    assert row.status == RowStatus.REJECTED
    assert row.reasons[0]["code"] == "uploads.registered_meanwhile"
    upload.refresh_from_db()
    assert (upload.valid_rows, upload.rejected_rows, upload.written_rows) == (1, 1, 1)
    assert Membership.objects.count() == 1
    assert [(r.line, r.kpj) for r in written_rows(upload)] == [(2, Membership.objects.get().kpj)]


def test_an_existing_person_removed_after_the_check_is_registered_again(world, regions):
    person = person_create(domicile=regions.cileunyi_kulon, serial=1, name="Sudah Ada")
    upload = _validate(world, [worker(1), worker(2)])
    assert WorkerUploadRow.objects.get(upload=upload, line=2).person_pk == person.pk
    Person.objects.filter(pk=person.pk).delete()
    result = upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert (result.written, result.refused_at_commit, result.new_people) == (2, 0, 2)
    again = Person.objects.get(nik=worker(1)["nik"])
    assert again.name == "Pekerja Nomor 1"  # the row's own data


def test_an_existing_person_employed_after_the_check_is_refused(world, regions):
    person = person_create(domicile=regions.cileunyi_kulon, serial=1)
    upload = _validate(world, [worker(1), worker(2)])
    pu_worker_register(
        employer=world.employer_a,
        person=person,
        wage_idr=4_000_000,
        start_date=date(2025, 1, 1),
        today=TODAY,
    )
    result = upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert (result.written, result.refused_at_commit) == (1, 1)
    assert WorkerUploadRow.objects.get(upload=upload, line=2).reasons[0]["code"] == (
        "uploads.active_meanwhile"
    )


def test_discard_writes_nothing_and_closes_the_upload(world):
    upload = _validate(world, [worker(1)])
    upload_discard(scope=world.scopes["employer_a"], upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DISCARDED
    with pytest.raises(errors.UploadNotCommittable):
        upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    with pytest.raises(errors.UploadNotCommittable):
        upload_discard(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert not Membership.objects.exists()


# --- scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "partner", "nobody"])
def test_roles_that_may_not_upload_are_refused(world, who):
    with pytest.raises(membership_errors.NotPermitted) as caught:
        _validate(world, [worker(1)], who=who)
    assert caught.value.http_status == 403
    assert not WorkerUpload.objects.exists()


@pytest.mark.parametrize("who", ["employer_b", "officer_bulungan"])
def test_an_employer_outside_the_scope_is_not_found(world, who):
    with pytest.raises(membership_errors.EmployerNotFound):
        _validate(world, [worker(1)], who=who)
    assert not WorkerUpload.objects.exists()


def test_an_employer_user_uploads_for_their_own_company(world):
    upload = _validate(world, [worker(1)], who="employer_b", employer=world.employer_b)
    assert upload.employer == world.employer_b
    assert upload.role == "employer_user"


@pytest.mark.parametrize("who", ["employer_b", "officer_bulungan", "analyst", "nobody"])
def test_someone_elses_upload_cannot_be_seen_accepted_discarded_or_downloaded(world, who):
    upload = _validate(world, [worker(1)])
    scope = world.scopes[who]
    calls = [
        lambda: upload_commit(scope=scope, upload_id=upload.pk),
        lambda: upload_discard(scope=scope, upload_id=upload.pk),
        lambda: upload_report(scope=scope, upload_id=upload.pk, file_format="csv"),
    ]
    for call in calls:
        with pytest.raises((errors.UploadNotFound, membership_errors.NotPermitted)):
            call()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALIDATED
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_office_and_the_administrator_see_the_employers_upload(world):
    upload = _validate(world, [worker(1)])
    for who in ("officer_bandung", "admin"):
        report = upload_report(scope=world.scopes[who], upload_id=upload.pk, file_format="csv")
        assert report.content


def test_a_guessed_upload_number_is_not_found(world):
    with pytest.raises(errors.UploadNotFound) as caught:
        upload_commit(scope=world.scopes["admin"], upload_id=987654)
    assert caught.value.http_status == 404


# --- reports and the template -------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_report_has_the_original_columns_the_status_and_the_reasons(world):
    upload = _validate(world, [worker(1), worker(2, nik="12345"), worker(3, upah="=1+1")])
    report = upload_report(scope=world.scopes["employer_a"], upload_id=upload.pk, file_format="csv")
    assert report.file_name == f"laporan-unggahan-{upload.pk}.csv"
    lines = _csv_rows(report.content)
    assert lines[0][:9] == ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon",
                            "kode_desa", "upah", "tanggal_mulai", "program"]  # fmt: skip
    assert lines[0][9:] == ["baris", "status", "alasan", "catatan", "kpj"]
    assert lines[1][9:11] == ["2", "valid"]
    assert lines[2][0] == "12345"
    assert lines[2][9:12] == ["3", "ditolak", "NIK 12345 tidak sah: harus 16 angka."]
    assert lines[3][6] == "'=1+1"  # never a formula in a spreadsheet
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["rows"] == 3
    assert event.target_id == str(upload.pk)


def test_the_report_in_english_xlsx_rejected_rows_only(world):
    upload = _validate(world, [worker(1), worker(2, nik="12345")])
    report = upload_report(
        scope=world.scopes["employer_a"],
        upload_id=upload.pk,
        file_format="xlsx",
        language="en",
        only_rejected=True,
    )
    assert report.file_name == f"upload-report-{upload.pk}-rejected.xlsx"
    sheet = load_workbook(io.BytesIO(report.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][9:] == ["row", "status", "reasons", "notes", "kpj"]
    assert len(values) == 2
    assert values[1][9:12] == ["3", "rejected", "NIK 12345 is not valid: must be 16 digits."]
    # The rejected rows, corrected, go back in as they are.
    sheet.cell(row=2, column=1).value = worker(2)["nik"]
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    again = upload_validate(
        scope=world.scopes["employer_a"],
        employer_npp=world.employer_a.npp,
        file_name="perbaikan.xlsx",
        content=buffer.getvalue(),
        today=TODAY,
    )
    assert (again.valid_rows, again.rejected_rows, again.ignored_columns) == (1, 0, [])


def test_the_report_after_acceptance_holds_the_kpjs(world):
    upload = _validate(world, [worker(1)])
    upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    lines = _csv_rows(
        upload_report(
            scope=world.scopes["employer_a"], upload_id=upload.pk, file_format="csv"
        ).content
    )
    assert lines[1][10] == "dicatat"
    assert lines[1][13] == Membership.objects.get().kpj


def test_an_unknown_report_format_is_refused(world):
    upload = _validate(world, [worker(1)])
    with pytest.raises(errors.InvalidReportFormat):
        upload_report(scope=world.scopes["employer_a"], upload_id=upload.pk, file_format="pdf")


@pytest.mark.parametrize(("file_format", "language"), [("xlsx", "id"), ("csv", "en")])
def test_the_template_reads_back_and_its_example_row_is_refused(world, file_format, language):
    template = upload_template(file_format=file_format, language=language)
    parsed = parse_upload(template.content, file_name=template.file_name)
    assert parsed.ignored == []
    assert len(parsed.rows) == 1
    upload = upload_validate(
        scope=world.scopes["employer_a"],
        employer_npp=world.employer_a.npp,
        file_name=template.file_name,
        content=template.content,
        today=date(2025, 7, 1),
    )
    row = WorkerUploadRow.objects.get(upload=upload)
    # Only because it is the example: the rest of it is a valid row.
    assert [r["code"] for r in row.reasons] == ["uploads.example_row"]


# --- purge --------------------------------------------------------------------------------------


def test_purge_deletes_old_uploads_and_their_rows_but_not_the_registry(world):
    old = _validate(world, [worker(1)])
    upload_commit(scope=world.scopes["employer_a"], upload_id=old.pk)
    recent = _validate(world, [worker(2)])
    WorkerUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    assert uploads_purge(days=90) == 1
    assert list(WorkerUpload.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not WorkerUploadRow.objects.filter(upload_id=old.pk).exists()
    assert Membership.objects.count() == 1
    assert uploads_purge(days=0, now=timezone.now() + timedelta(seconds=1)) == 1
    assert not WorkerUploadRow.objects.exists()


# --- set-based ----------------------------------------------------------------------------------


def _rows(count: int, offset: int = 0) -> list[dict]:
    out = []
    for i in range(count):
        serial = offset + i + 1
        birth = date(1970 + serial % 30, 1 + serial % 12, 1 + serial % 28)
        out.append(worker(serial % 9000 + 1, birth=birth, sex="MF"[serial % 2]))
    return out


def _queries(world, rows) -> tuple[int, int]:
    content = csv_bytes(rows)
    with CaptureQueriesContext(connection) as checking:
        upload = upload_validate(
            scope=world.scopes["employer_a"],
            employer_npp=world.employer_a.npp,
            file_name="besar.csv",
            content=content,
            today=TODAY,
        )
    with CaptureQueriesContext(connection) as committing:
        result = upload_commit(scope=world.scopes["employer_a"], upload_id=upload.pk)
    assert result.written == len(rows)
    return len(checking), len(committing)


def test_the_number_of_queries_does_not_grow_with_the_rows(world, django_assert_max_num_queries):
    _queries(world, _rows(5, offset=2000))  # the first commit of a year creates its KPJ series
    small = _queries(world, _rows(20))
    with django_assert_max_num_queries(60):
        large = _queries(world, _rows(1000, offset=20))
    assert large == small
    assert Membership.objects.count() == 1025
    upload = WorkerUpload.objects.order_by("-pk").first()
    kpjs = dict(
        Membership.objects.filter(
            person__nik__in=[r.nik for r in written_rows(upload, limit=None)]
        ).values_list("person__nik", "kpj")
    )
    assert {r.nik: r.kpj for r in written_rows(upload, limit=None)} == kpjs
    assert len(kpjs) == 1000
    assert MembershipEvent.objects.count() == 1025
    assert WageReport.objects.count() == 1025


def test_statistics_are_refreshed_after_a_large_insert_on_postgresql(db):
    from jamsos.core import bulkwrite

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    sql = "SELECT reltuples FROM pg_class WHERE relname = 'membership_person'"
    bulkwrite.analyze_if_grown(Person, 10)  # too few new rows to bother
    bulkwrite.analyze_if_grown(Person, 10_000)  # inside the transaction, counting its own rows
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchone()[0] == 0  # analysed: the test database's table is empty
