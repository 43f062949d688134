"""Partner pages under /mitra/ (docs/partners/): partners, agreements, ecosystems and events;
door-to-door listing (pendataan); bulk and sponsored enrolment."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from jamsos.partners.views import enrolment, partners, pendataan, regional

app_name = "partners"

urlpatterns: list[URLPattern | URLResolver] = [
    *partners.urlpatterns,
    *pendataan.urlpatterns,
    *enrolment.urlpatterns,
    *regional.urlpatterns,
]
