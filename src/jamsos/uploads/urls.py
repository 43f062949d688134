"""Pages of the bulk upload; the project mounts them at ``/unggah/`` (namespace ``uploads``)."""

from django.urls import path

from jamsos.uploads import views, wage_views

app_name = "uploads"

urlpatterns = [
    path("", views.upload_form, name="form"),
    path("templat.<str:file_format>", views.template_download, name="template"),
    path("<int:pk>/", views.upload_detail, name="detail"),
    path("<int:pk>/terima/", views.upload_accept, name="accept"),
    path("<int:pk>/buang/", views.upload_drop, name="discard"),
    path("<int:pk>/laporan.<str:file_format>", views.upload_report_download, name="report"),
    path("upah/<str:npp>/", wage_views.wage_upload, name="wages"),
    path(
        "upah/<str:npp>/templat.<str:file_format>", wage_views.wage_template, name="wages-template"
    ),
]
