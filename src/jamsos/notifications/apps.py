from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jamsos.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan / notifications"
    default_auto_field = "django.db.models.BigAutoField"
