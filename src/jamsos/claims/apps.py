from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jamsos.claims"
    label = "claims"
    verbose_name = "Klaim manfaat / benefit claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.claims.jobs import register_kinds

        register_kinds()
