"""Rebuilding coverage from the dashboard: queued for the task worker, shown on its job page
(ADR 0106)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from jamsos.access.models import Role
from jamsos.coverage.models import CoverageArea, CoverageRun, RunStatus
from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.services import this_process
from jamsos.membership.services.accounts import user_access_grant

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.django_db


def client_as(role: Role, name: str) -> Client:
    client = Client()
    client.force_login(user_access_grant(username=name, role=role).user)
    return client


def test_the_dashboard_offers_the_rebuild_form_to_administrators_only(regions):
    admin = client_as(Role.ADMIN, "c-admin").get("/cakupan/").content.decode()
    assert 'action="/cakupan/hitung/"' in admin
    assert "Hitung ulang cakupan" in admin
    analyst = client_as(Role.ANALYST, "c-analis").get("/cakupan/").content.decode()
    assert "/cakupan/hitung/" not in analyst


def test_an_administrator_rebuilds_months_and_lands_on_the_job_page(
    regions,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE
    admin = client_as(Role.ADMIN, "c-admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/cakupan/hitung/", {"dari": "2025-02", "sampai": "2025-03"})
    run = CoverageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert run.status == RunStatus.FINISHED
    assert (run.kind, run.lock_key) == ("coverage.build", "coverage.build")
    assert (run.period_from, run.period_to, run.progress_done) == ("2025-02", "2025-03", 2)
    assert run.started_by == "c-admin"
    assert run.result["months"] == 2
    assert CoverageArea.objects.filter(period="2025-03").exists()
    page = admin.get(response["Location"]).content.decode()
    assert "Perhitungan cakupan kepesertaan" in page
    assert "Selesai" in page
    assert 'href="/cakupan/"' in page


def test_the_same_request_waiting_is_not_queued_twice(regions):
    admin = client_as(Role.ADMIN, "c-admin")
    first = admin.post("/cakupan/hitung/", {"dari": "2025-03"})
    second = admin.post("/cakupan/hitung/", {"dari": "2025-03"})
    other = admin.post("/cakupan/hitung/", {"dari": "2025-02"})
    assert first["Location"] == second["Location"] != other["Location"]
    assert CoverageRun.objects.filter(status=JobStatus.QUEUED).count() == 2


def test_refusals_go_back_to_the_dashboard_with_the_reason(regions):
    admin = client_as(Role.ADMIN, "c-admin")
    nothing = admin.post("/cakupan/hitung/", {}, follow=True)
    assert nothing.redirect_chain[-1][0] == "/cakupan/"
    assert "Belum ada bulan yang ditagih" in nothing.content.decode()
    bad = admin.post("/cakupan/hitung/", {"dari": "2025-13"}, follow=True)
    assert "TTTT-BB" in bad.content.decode()
    now = timezone.now()
    CoverageRun.objects.create(
        period_from="2025-01", period_to="2025-01", started_at=now, heartbeat_at=now,
        process=this_process(),
    )  # fmt: skip
    busy = admin.post("/cakupan/hitung/", {"dari": "2025-03"}, follow=True)
    assert "sedang berjalan" in busy.content.decode()
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()


def test_only_an_administrator_may_rebuild(regions):
    analyst = client_as(Role.ANALYST, "c-analis")
    assert analyst.post("/cakupan/hitung/", {"dari": "2025-03"}).status_code == 403
    assert not CoverageRun.objects.exists()
