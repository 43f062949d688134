from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "jamsos.access"
    label = "access"
    verbose_name = "Akses dan jejak audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.access import signin  # noqa: F401  (connects the sign-in receivers)
