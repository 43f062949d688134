from django.urls import path

from jamsos.selfservice import views

urlpatterns = [
    path("peserta/", views.worker_card, name="worker-card"),
    path("peserta/masuk/", views.sign_in_page, name="worker-sign-in"),
    path("peserta/buat-akun/", views.account_start, name="worker-sign-up"),
    path("peserta/lupa-sandi/", views.account_recover, name="worker-recover"),
    path("peserta/kode/", views.account_code, name="worker-code"),
]
