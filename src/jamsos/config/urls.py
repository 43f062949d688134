from django.contrib import admin
from django.urls import include, path

from jamsos.config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("unggah/", include("jamsos.uploads.urls")),
    path("iuran/", include("jamsos.billing.urls")),
    path("klaim/", include("jamsos.claims.urls")),
    path("cakupan/", include("jamsos.coverage.urls")),
    path("mitra/", include("jamsos.partners.urls")),
    path("agen/", include("jamsos.agents.urls")),
    path("perusahaan/", include("jamsos.employer_signup.urls")),
    path("tugas/", include("jamsos.jobs.urls")),
    path("pesan/", include("jamsos.notifications.urls")),
    path("", include("jamsos.calculator.urls")),
    path("", include("jamsos.selfservice.urls")),
    path("", include("jamsos.membership.urls")),
    path("", include("jamsos.web.urls")),
]
