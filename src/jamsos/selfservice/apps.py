from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "jamsos.selfservice"
    label = "selfservice"
    verbose_name = "Layanan mandiri peserta (worker self-service)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.selfservice import receivers  # noqa: F401  (connects the registration hook)
