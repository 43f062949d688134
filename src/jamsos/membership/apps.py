from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "jamsos.membership"
    label = "membership"
    verbose_name = "Membership"
    default_auto_field = "django.db.models.BigAutoField"
