from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "jamsos.partners"
    label = "partners"
    verbose_name = "Kemitraan dan perluasan / partners and expansion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.partners.services.notices import register_senders

        register_senders()
