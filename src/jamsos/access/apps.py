from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (settings.CACHES), created by every ``jamsos migrate``; with
    Redis configured there is nothing to create."""
    call_command("createcachetable", database=using, verbosity=0)


class AccessConfig(AppConfig):
    name = "jamsos.access"
    label = "access"
    verbose_name = "Akses dan jejak audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.access import signin  # noqa: F401  (connects the sign-in receivers)

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="jamsos-cache-table")
