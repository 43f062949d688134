from django.urls import path

from jamsos.selfservice import views

urlpatterns = [
    path("peserta/", views.worker_card, name="worker-card"),
    path("peserta/masuk/", views.sign_in_page, name="worker-sign-in"),
    path("peserta/buat-akun/", views.account_start, name="worker-sign-up"),
    path("peserta/lupa-sandi/", views.account_recover, name="worker-recover"),
    path("peserta/kode/", views.account_code, name="worker-code"),
]

from jamsos.selfservice import views_worker  # noqa: E402

urlpatterns += [
    path("peserta/ringkasan/", views_worker.overview_page, name="worker-overview"),
    path("peserta/ringkasan.pdf", views_worker.statement_pdf_view, name="worker-statement-pdf"),
    path("peserta/kartu.pdf", views_worker.card_pdf_view, name="worker-card-pdf"),
    path("verifikasi/<str:token>", views_worker.verify_page, name="card-verify"),
]
