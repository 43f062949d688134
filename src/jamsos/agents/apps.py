from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "jamsos.agents"
    label = "agents"
    verbose_name = "Agen Perisai / Perisai agents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.agents.home import register_panels

        register_panels()
