"""Job pages under /tugas/."""

from __future__ import annotations

from django.urls import URLPattern, path

from jamsos.jobs import views

app_name = "jobs"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.job_status, name="status"),
    path("<int:pk>/status.json", views.job_status_json, name="status-json"),
]
