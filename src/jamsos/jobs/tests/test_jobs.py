"""The job framework: locks, crash recovery, progress, outcome, the status page and its JSON."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.registry import JobKind, kind_get, register
from jamsos.jobs.services import (
    STALE_AFTER,
    JobLocked,
    Tracker,
    job_execute,
    job_failed,
    job_finished,
    job_is_stale,
    job_start,
    process_alive,
    this_process,
)
from jamsos.jobs.tasks import job_enqueue

KIND = "test.count"


def _count(job: Job) -> None:
    """A test kind's runner: count to ``params["to"]`` with a tracker, or fail on request."""
    job_start(job)
    tracker = Tracker(job, total=job.params.get("to", 0))
    try:
        if job.params.get("fail"):
            raise RuntimeError("disk full")
        tracker.stage("count", job.params.get("to", 0))
        tracker.advance(job.params.get("to", 0), force=True)
    except BaseException as exc:
        tracker.close()
        job_failed(job, exc)
        raise
    tracker.close()
    job_finished(job, result={"counted": job.params.get("to", 0)}, done=tracker.done)


@pytest.fixture(autouse=True)
def kind() -> JobKind:
    return register(
        JobKind(
            name=KIND,
            label={"id": "Hitungan uji", "en": "Test count"},
            run=_count,
            detail_url=lambda job: f"/contoh/{job.pk}/",
            labels={
                "read": {"id": "Baca data", "en": "Reading"},
                "rows": {"id": "Baris", "en": "Rows"},
                "paid_idr": {"id": "Dibayar", "en": "Paid"},
            },
        )
    )


def dead_process() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def running(**fields: object) -> Job:
    now = timezone.now()
    values: dict[str, object] = {
        "kind": KIND,
        "lock_key": "test:A",
        "status": JobStatus.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "process": this_process(),
    }
    values.update(fields)
    return Job.objects.create(**values)


# -- lock and crash recovery ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_live_job_holding_the_key_refuses_another():
    live = running()
    with pytest.raises(JobLocked) as refused:
        job_start(Job(kind=KIND, lock_key="test:A"))
    assert refused.value.holder.pk == live.pk
    live.refresh_from_db()
    assert live.status == JobStatus.RUNNING
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_another_key_or_no_key_is_not_locked():
    running()
    other = job_start(Job(kind=KIND, lock_key="test:B"))
    free = [job_start(Job(kind=KIND)) for _ in range(2)]
    assert other.status == JobStatus.RUNNING
    assert all(j.status == JobStatus.RUNNING for j in free)


@pytest.mark.django_db
def test_a_job_whose_process_died_is_taken_over():
    dead = running(process=dead_process())
    assert job_is_stale(dead)
    new = job_start(Job(kind=KIND, lock_key="test:A"))
    dead.refresh_from_db()
    assert dead.status == JobStatus.ABANDONED
    assert dead.error.startswith("abandoned: process")
    assert dead.finished_at is not None
    assert new.status == JobStatus.RUNNING
    assert new.process == this_process()


@pytest.mark.django_db
def test_a_silent_job_on_another_host_is_taken_over_and_a_recent_one_is_not():
    recent = running(process="elsewhere:1", heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert process_alive("elsewhere:1")
    with pytest.raises(JobLocked):
        job_start(Job(kind=KIND, lock_key="test:A"))
    Job.objects.filter(pk=recent.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 1.1)
    job_start(Job(kind=KIND, lock_key="test:A"))
    recent.refresh_from_db()
    assert recent.status == JobStatus.ABANDONED


@pytest.mark.django_db
def test_a_kind_may_put_abandoned_jobs_in_failed(kind):
    register(JobKind(name="test.strict", label={"id": "x", "en": "x"}, abandoned_status="failed"))
    dead = running(kind="test.strict", process=dead_process())
    job_start(Job(kind="test.strict", lock_key="test:A"))
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED
    assert "abandoned" in dead.error


@pytest.mark.django_db
def test_a_queued_job_holds_no_lock_and_starts_in_place():
    queued = Job.objects.create(kind=KIND, lock_key="test:A", status=JobStatus.QUEUED)
    again = Job.objects.create(kind=KIND, lock_key="test:A", status=JobStatus.QUEUED)
    job_start(queued)
    queued.refresh_from_db()
    assert queued.status == JobStatus.RUNNING
    assert queued.started_at is not None
    with pytest.raises(JobLocked):
        job_start(again)
    again.refresh_from_db()
    assert again.status == JobStatus.QUEUED


def test_stage_and_result_labels_of_a_kind(kind):
    assert kind.text_of("read", "id") == "Baca data"
    assert kind.text_of("read 2025-03", "en") == "Reading 2025-03"
    assert kind.text_of("unknown stage", "id") == "unknown stage"


def test_host_and_pid_are_the_halves_of_process():
    job = Job(host="h1", pid=42)
    assert job.process == "h1:42"
    assert (job.host, job.pid) == ("h1", 42)
    assert Job(process="").pid is None


# -- progress and outcome -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_progress_and_heartbeat_are_written_to_the_record():
    job = job_start(Job(kind=KIND, lock_key="test:P"))
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    seen: list[tuple[str, int, int]] = []
    tracker = Tracker(job, lambda *args: seen.append(args), every=3600)
    tracker.stage("read", 1_000)
    tracker.advance(250)  # throttled: the record keeps the stage start
    record = Job.objects.get(pk=job.pk)
    assert (record.stage, record.progress_done, record.progress_total) == ("read", 0, 1_000)
    assert record.heartbeat_at > timezone.now() - timedelta(minutes=1)
    tracker.advance(250, force=True)
    record.refresh_from_db()
    assert (record.progress_done, record.progress_total, record.percent) == (500, 1_000, 50)
    tracker.stage("write", label="write 2025-03", keep_progress=True)
    record.refresh_from_db()
    assert (record.stage, record.progress_done) == ("write 2025-03", 500)
    timings = tracker.finish()
    tracker.close()
    assert set(timings) == {"start", "read", "write"}
    assert seen == [
        ("read", 0, 1_000),
        ("read", 250, 1_000),
        ("read", 500, 1_000),
        ("write", 500, 1_000),
    ]


@pytest.mark.django_db
def test_inside_a_transaction_on_sqlite_progress_goes_to_the_callback_only():
    job = job_start(Job(kind=KIND, lock_key="test:P"))
    seen: list[tuple[str, int, int]] = []
    tracker = Tracker(job, lambda *args: seen.append(args))
    tracker.stage("read", 10)
    tracker.advance(10, force=True)
    tracker.close()
    assert seen[-1] == ("read", 10, 10)
    if connection.vendor == "sqlite":
        assert Job.objects.get(pk=job.pk).stage == "start"


@pytest.mark.django_db
def test_a_failure_is_recorded_with_its_error():
    job = running()
    job_failed(job, RuntimeError("disk full"))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: disk full"
    assert job.finished_at is not None
    # The key is free again.
    assert job_start(Job(kind=KIND, lock_key="test:A")).status == JobStatus.RUNNING


@pytest.mark.django_db
def test_finished_records_result_and_progress():
    job = running()
    job_finished(job, result={"rows": 3}, done=3, total=3)
    job.refresh_from_db()
    assert (job.status, job.stage, job.result) == ("finished", "done", {"rows": 3})
    assert job.percent == 100
    assert job.is_done


@pytest.mark.django_db
def test_execute_runs_a_queued_job_with_its_kind_and_records_a_crash():
    done = Job.objects.create(kind=KIND, status=JobStatus.QUEUED, params={"to": 7})
    assert job_execute(done.pk) == JobStatus.FINISHED
    done.refresh_from_db()
    assert (done.result, done.progress_done) == ({"counted": 7}, 7)
    failing = Job.objects.create(kind=KIND, status=JobStatus.QUEUED, params={"fail": True})
    assert job_execute(failing.pk) == JobStatus.FAILED
    failing.refresh_from_db()
    assert failing.error == "RuntimeError: disk full"
    unknown = Job.objects.create(kind="test.nobody", status=JobStatus.QUEUED)
    assert job_execute(unknown.pk) == JobStatus.FAILED
    assert kind_get("test.nobody").label_in("en") == "test.nobody"


@pytest.mark.django_db
def test_enqueue_hands_the_job_to_the_task_backend(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(Job(kind=KIND, params={"to": 3}))
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    job.refresh_from_db()
    assert job.status == JobStatus.FINISHED
    assert job.task_id


# -- the status page and its JSON -----------------------------------------------------------------


@pytest.fixture
def staff() -> Client:
    user = get_user_model().objects.create_user(username="staf", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_status_page_in_indonesian_and_english(staff):
    job = running(stage="read", progress_done=25, progress_total=100)
    page = staff.get(f"/tugas/{job.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hitungan uji" in body
    assert "Berjalan" in body
    assert "Tahap" in body
    assert "Baca data" in body
    assert "25 dari 100 (25%)" in body
    assert 'http-equiv="refresh"' in body
    assert f"/tugas/{job.pk}/status.json" in body
    staff.cookies["django_language"] = "en"
    body = staff.get(f"/tugas/{job.pk}/").content.decode()
    assert "Test count" in body
    assert "Running" in body
    assert "Stage" in body
    assert "Reading" in body
    assert "25 of 100 (25%)" in body


@pytest.mark.django_db
def test_status_page_of_a_finished_and_a_failed_job(staff):
    job = running()
    job_finished(job, result={"rows": 1_234_567, "paid_idr": 2_500_000, "note": "ok"})
    body = staff.get(f"/tugas/{job.pk}/").content.decode()
    assert "Selesai" in body
    assert "Baris" in body
    assert "1.234.567" in body
    assert "Dibayar" in body
    assert "Rp2.500.000" in body
    assert f"/contoh/{job.pk}/" in body
    assert 'http-equiv="refresh"' not in body
    failed = running(lock_key="test:F")
    job_failed(failed, RuntimeError("disk full"))
    body = staff.get(f"/tugas/{failed.pk}/").content.decode()
    assert "Gagal" in body
    assert "RuntimeError: disk full" in body


@pytest.mark.django_db
def test_status_json(staff):
    job = running(stage="write", progress_done=3, progress_total=4, started_by="admin")
    data = staff.get(f"/tugas/{job.pk}/status.json").json()
    assert data["id"] == job.pk
    assert data["kind"] == KIND
    assert data["label"] == "Hitungan uji"
    assert (data["status"], data["status_text"], data["stage"]) == ("running", "Berjalan", "write")
    assert (data["progress_done"], data["progress_total"], data["percent"]) == (3, 4, 75)
    assert data["done"] is False
    assert data["stale"] is False
    assert data["started_by"] == "admin"
    assert data["detail_url"] == f"/contoh/{job.pk}/"
    Job.objects.filter(pk=job.pk).update(process=dead_process())
    assert staff.get(f"/tugas/{job.pk}/status.json").json()["stale"] is True


@pytest.mark.django_db
def test_who_may_read_a_job(staff):
    job = running()
    assert Client().get(f"/tugas/{job.pk}/").status_code == 302
    assert Client().get(f"/tugas/{job.pk}/status.json").status_code == 401
    plain = Client()
    plain.force_login(get_user_model().objects.create_user(username="biasa"))
    assert plain.get(f"/tugas/{job.pk}/").status_code == 404
    assert plain.get(f"/tugas/{job.pk}/status.json").status_code == 404
    assert staff.get("/tugas/999999/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_on_postgresql_a_second_connection_writes_the_progress():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the record moves between transactions only")
    import psycopg
    from django.db import transaction

    job = job_start(Job(kind=KIND, lock_key="test:PG"))
    tracker = Tracker(job)
    assert tracker.side is not None
    with transaction.atomic():
        Job.objects.filter(pk=-1).update(stage="x")  # the work's transaction is open
        tracker.stage("lines", 100)
        tracker.advance(40, force=True)
        with psycopg.connect(**connection.get_connection_params()) as other:
            seen = other.execute(
                "SELECT stage, progress_done, progress_total FROM jobs_job WHERE id = %s",
                [job.pk],
            ).fetchone()
    tracker.close()
    assert seen == ("lines", 40, 100)
