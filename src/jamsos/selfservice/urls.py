from django.urls import path

from jamsos.selfservice import views, views_public

urlpatterns = [
    path("peserta/", views.worker_card, name="worker-card"),
    path("peserta/masuk/", views.sign_in_page, name="worker-sign-in"),
    path("peserta/buat-akun/", views.account_start, name="worker-sign-up"),
    path("peserta/lupa-sandi/", views.account_recover, name="worker-recover"),
    path("peserta/kode/", views.account_code, name="worker-code"),
    path("cek-kepesertaan/", views_public.check_page, name="public-check"),
    path("informasi/", views_public.info_page, name="public-info"),
    path("informasi/program/", views_public.programs_page, name="public-programs"),
    path("informasi/kantor-cabang/", views_public.offices_page, name="public-offices"),
    path("informasi/tanya-jawab/", views_public.faq_page, name="public-faq"),
    path("manifest.webmanifest", views_public.manifest, name="web-manifest"),
    path("sw.js", views_public.service_worker, name="service-worker"),
]

from jamsos.selfservice import views_worker  # noqa: E402

urlpatterns += [
    path("peserta/ringkasan/", views_worker.overview_page, name="worker-overview"),
    path("peserta/ringkasan.pdf", views_worker.statement_pdf_view, name="worker-statement-pdf"),
    path("peserta/kartu.pdf", views_worker.card_pdf_view, name="worker-card-pdf"),
    path("verifikasi/<str:token>", views_worker.verify_page, name="card-verify"),
]
