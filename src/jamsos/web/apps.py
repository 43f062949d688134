from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jamsos.web"
    label = "web"
