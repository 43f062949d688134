from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jamsos.registry"
    label = "registry"
    verbose_name = "Registry"
