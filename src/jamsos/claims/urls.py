"""Claims pages under /klaim/ (docs/claims.md "Pages")."""

from __future__ import annotations

from django.urls import URLPattern, path

from jamsos.claims import views

app_name = "claims"

urlpatterns: list[URLPattern] = [
    path("", views.my_claims_page, name="mine"),
    path("ajukan/", views.submit_page, name="submit"),
    path("antrean/", views.queue_page, name="queue"),
    path("laporan/", views.report_page, name="report"),
    path("transfer.csv", views.transfer_csv, name="transfer"),
    path("<str:number>/", views.claim_page, name="claim"),
    path("<str:number>/dokumen/", views.document_upload, name="document"),
    path("<str:number>/tindakan/", views.claim_action, name="action"),
    path("<str:number>/surat.pdf", views.letter_pdf, name="letter"),
]
