"""Billing pages under /iuran/ (docs/billing/pages.md)."""

from __future__ import annotations

from django.urls import URLPattern, path

from jamsos.billing import case_views, views

app_name = "billing"

urlpatterns: list[URLPattern] = [
    path("", views.billing_home, name="home"),
    path("penagihan/", views.runs_list, name="runs"),
    path("penagihan/mulai/", views.run_start, name="run-start"),
    path("penagihan/<int:pk>/", views.run_detail, name="run"),
    path("pembayar/<int:pk>/", views.payer_detail, name="payer"),
    path("tagihan/<str:number>/", views.invoice_detail, name="invoice"),
    path("tagihan/<str:number>/pdf", views.invoice_pdf_view, name="invoice-pdf"),
    path("tunggakan/", views.arrears_list, name="arrears"),
    path("tunggakan/csv", views.arrears_csv, name="arrears-csv"),
    path("tunggakan/<int:payer_id>/", case_views.arrears_case_page, name="case"),
    path("jht/", views.jht_own, name="jht"),
    path("jht/pdf", views.jht_own_pdf, name="jht-pdf"),
    path("jht/<int:person_id>/", views.jht_person, name="jht-person"),
    path("jht/<int:person_id>/pdf", views.jht_person_pdf, name="jht-person-pdf"),
]
