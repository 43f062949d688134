from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "jamsos.billing"
    label = "billing"
    verbose_name = "Iuran dan pembayaran / billing and payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.billing.home import register_panels
        from jamsos.billing.jobs import register_kinds
        from jamsos.billing.services.notices import register_senders

        register_kinds()
        register_senders()
        register_panels()
