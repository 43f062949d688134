from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "jamsos.coverage"
    label = "coverage"
    verbose_name = "Cakupan kepesertaan / coverage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.coverage.jobs import register_kinds

        register_kinds()
