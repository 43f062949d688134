from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jamsos.jobs"
    label = "jobs"
    verbose_name = "Tugas / jobs"
    default_auto_field = "django.db.models.BigAutoField"
