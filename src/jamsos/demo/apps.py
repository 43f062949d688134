from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jamsos.demo"
    label = "demo"
    verbose_name = "Demo"
