"""Starting a billing run from the runs page: queued for the task worker, shown on its job page
(ADR 0106). One test goes the whole way on the database backend: the page queues the task, the
worker command (``db_worker --batch``) runs it, the job page shows it finished."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jamsos.access.models import Role
from jamsos.billing.models import BillingRun, Invoice, RunStatus
from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.services import this_process
from jamsos.membership.services.accounts import user_access_grant

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def client_as(role: Role, name: str) -> Client:
    client = Client()
    client.force_login(user_access_grant(username=name, role=role).user)
    return client


def test_the_runs_page_offers_the_start_form_to_administrators_only(world):
    admin = client_as(Role.ADMIN, "b-admin").get("/iuran/penagihan/").content.decode()
    assert 'action="/iuran/penagihan/mulai/"' in admin
    assert "Mulai penagihan" in admin
    analyst = client_as(Role.ANALYST, "b-analis").get("/iuran/penagihan/").content.decode()
    assert "/iuran/penagihan/mulai/" not in analyst


def test_an_administrator_starts_a_run_and_lands_on_its_job_page(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    admin = client_as(Role.ADMIN, "b-admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/iuran/penagihan/mulai/", {"period": "2025-03"})
    run = BillingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert run.status == RunStatus.FINISHED
    assert (run.kind, run.lock_key, run.channel) == ("billing.run", "billing.run:2025-03", "web")
    assert run.started_by == "b-admin"
    assert run.result["invoices"] == Invoice.objects.filter(period="2025-03").count() > 0
    page = admin.get(response["Location"]).content.decode()
    assert "Penagihan iuran bulanan" in page
    assert "Selesai" in page
    assert f"/iuran/penagihan/{run.pk}/" in page


def test_a_second_request_for_a_waiting_month_gets_the_same_job(world):
    admin = client_as(Role.ADMIN, "b-admin")
    first = admin.post("/iuran/penagihan/mulai/", {"period": "2025-03"})
    second = admin.post("/iuran/penagihan/mulai/", {"period": "2025-03"})
    other = admin.post("/iuran/penagihan/mulai/", {"period": "2025-02"})
    assert first["Location"] == second["Location"] != other["Location"]
    assert BillingRun.objects.filter(status=JobStatus.QUEUED).count() == 2


def test_a_bad_month_or_a_month_in_progress_goes_back_with_the_reason(world):
    admin = client_as(Role.ADMIN, "b-admin")
    bad = admin.post("/iuran/penagihan/mulai/", {"period": "2025-13"}, follow=True)
    assert bad.redirect_chain[-1][0] == "/iuran/penagihan/"
    assert "TTTT-BB" in bad.content.decode()
    now = timezone.now()
    BillingRun.objects.create(
        period="2025-03", as_of=now.date(), started_at=now, heartbeat_at=now, process=this_process()
    )
    busy = admin.post("/iuran/penagihan/mulai/", {"period": "2025-03"}, follow=True)
    assert "sedang berjalan" in busy.content.decode()
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()


def test_only_an_administrator_may_start_a_run(world):
    analyst = client_as(Role.ANALYST, "b-analis")
    assert analyst.post("/iuran/penagihan/mulai/", {"period": "2025-03"}).status_code == 403
    assert client_as(Role.ADMIN, "b-admin").get("/iuran/penagihan/mulai/").status_code == 405
    assert not BillingRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_page_to_worker_to_finished_run_on_the_database_backend(world, settings):
    from django_tasks_db.models import DBTaskResult

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    admin = client_as(Role.ADMIN, "b-admin")
    response = admin.post("/iuran/penagihan/mulai/", {"period": "2025-03"})
    run = BillingRun.objects.get()
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert run.status == JobStatus.QUEUED
    assert run.task_id
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    queued = admin.get(f"/tugas/{run.pk}/status.json").json()
    assert (queued["status"], queued["done"]) == ("queued", False)
    assert not Invoice.objects.exists()  # nothing ran in the request

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())

    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    assert run.process == this_process()
    assert run.started_at is not None
    assert run.finished_at is not None
    assert Invoice.objects.filter(period="2025-03", run=run).count() == run.counts["invoices"] > 0
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert str(task.id) == run.task_id
    done = admin.get(f"/tugas/{run.pk}/status.json").json()
    assert (done["status"], done["done"], done["percent"]) == ("finished", True, 100)
    assert "Selesai" in admin.get(f"/tugas/{run.pk}/").content.decode()
