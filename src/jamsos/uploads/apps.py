from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "jamsos.uploads"
    label = "uploads"
    verbose_name = "Unggah pekerja / worker uploads"
    default_auto_field = "django.db.models.BigAutoField"
