"""`jamsos prepare_production`: what a deployment does before the server starts, in one process
(docs/deployment.md "Serving"): compile the translations, migrate, collect the static files into
STATIC_ROOT, and run ``check --deploy`` failing on any warning. ``make serve-production`` runs it
before gunicorn and the task worker.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile translations, migrate, collect static files and check the deployment."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "PRODUCTION", False):
            raise CommandError("Set JAMSOS_PRODUCTION=1: this prepares the production profile.")
        quiet = {"verbosity": 0}
        call_command("compile_translations", **quiet)
        call_command("migrate", interactive=False, **quiet)
        call_command("collectstatic", interactive=False, **quiet)
        call_command("check", deploy=True, fail_level="WARNING")
