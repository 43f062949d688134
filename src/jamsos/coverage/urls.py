"""Coverage pages under /cakupan/ (docs/coverage/dashboard.md)."""

from __future__ import annotations

from django.urls import URLPattern, path

from jamsos.coverage import views

app_name = "coverage"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("peta.json", views.map_data, name="map-data"),
    path("hitung/", views.build_start, name="build-start"),
    path("prioritas/", views.priorities, name="priorities"),
    path("kantor/", views.offices, name="offices"),
    path("ekosistem/", views.ecosystems, name="ecosystems"),
    path("plotly/<str:name>.js", views.plotly_js, name="plotly"),
    path("peta/dasar/<slug:name>.json", views.base_map, name="base-map"),
]
