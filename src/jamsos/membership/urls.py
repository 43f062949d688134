"""The registry's desk pages (docs/registry/pages.md): signing in, workers, employers, audit."""

from django.urls import path

from jamsos.membership.views import (
    audit,
    compliance,
    employers,
    refusals,
    registration,
    segments,
    work,
    workers,
)

urlpatterns = [
    path("masuk/", work.sign_in, name="login"),
    path("keluar/", work.sign_out, name="logout"),
    path("daftar-bpu/", registration.bpu_self_register_page, name="bpu-self-register"),
    path("daftar-bpu/kartu/", registration.bpu_self_card, name="bpu-self-card"),
    path("kerja/", work.work_home, name="work-home"),
    path("kerja/cari/", workers.worker_search_page, name="worker-search"),
    path("kerja/peserta/<int:pk>/", workers.worker_detail, name="worker-detail"),
    path("kerja/peserta/<int:pk>/koreksi/", workers.person_edit, name="person-edit"),
    path(
        "kerja/kepesertaan/<str:kpj>/akhiri/",
        workers.membership_end_page,
        name="membership-end",
    ),
    path("kerja/kepesertaan/<str:kpj>/upah/", workers.wage_report_page, name="wage-report"),
    path("kerja/daftar/pu/", registration.register_pu, name="register-pu"),
    path("kerja/daftar/bpu/", registration.register_bpu, name="register-bpu"),
    path("kerja/daftar/jakon/", segments.register_project, name="register-jakon"),
    path("kerja/daftar/pmi/", segments.register_pmi, name="register-pmi"),
    path("kerja/pemberi-kerja/<str:npp>/", employers.employer_detail, name="employer-detail"),
    path(
        "kerja/pemberi-kerja/<str:npp>/upah/",
        employers.employer_wages,
        name="employer-wages",
    ),
    path("kerja/kepatuhan/", compliance.compliance_list, name="compliance-list"),
    path("kerja/audit/", audit.audit_trail, name="audit-trail"),
    path("kerja/penolakan/", refusals.refusal_counts_page, name="refusal-counts"),
]
