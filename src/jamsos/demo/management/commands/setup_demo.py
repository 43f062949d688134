"""`jamsos setup_demo`: load what the demo needs, idempotently (used by `make run`)."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from jamsos.legal.params import load_parameters


class Command(BaseCommand):
    help = (
        "Load what the demo needs: validate the legal parameters, load the real regions, "
        "boundaries and workforce figures, and build the synthetic demo population. "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=20_000,
            help="Size of the synthetic demo population (default 20,000; 0 to skip it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        params = load_parameters()
        self.stdout.write(
            f"Legal parameters: {len(list(params))} files valid, known until {params.known_until}."
        )
        if apps.is_installed("jamsos.registry"):
            from jamsos.registry.services import reference_data_load

            summary = reference_data_load(progress=options["verbosity"] > 0)
            for key, value in summary.items():
                self.stdout.write(f"  {key}: {value}")
        if apps.is_installed("jamsos.coverage"):
            from jamsos.coverage.services.published import published_load
            from jamsos.coverage.services.targets import targets_seed

            figures, targets = published_load(), targets_seed()
            self.stdout.write(
                f"  published coverage figures: created {figures.created}, updated "
                f"{figures.updated}, unchanged {figures.unchanged}; coverage targets: created "
                f"{targets.created}, updated {targets.updated}"
            )
        if apps.is_installed("jamsos.membership") and options["workers"] > 0:
            from jamsos.demo.population import demo_population_build

            built = demo_population_build(
                workers=options["workers"], progress=options["verbosity"] > 0
            )
            for key, value in built.items():
                self.stdout.write(f"  demo {key}: {value}")
            if built["status"] != "exists":
                from jamsos.demo.compliance import demo_compliance_cases
                from jamsos.demo.population import calibration as cal
                from jamsos.legal.periods import Period

                cases = demo_compliance_cases(Period(cal.AS_OF.year, cal.AS_OF.month))
                self.stdout.write(f"  demo compliance cases: {cases}")
            if apps.is_installed("jamsos.partners"):
                from jamsos.demo.partners import demo_partners_build

                for key, value in demo_partners_build().items():
                    self.stdout.write(f"  demo partners {key}: {value}")
            if apps.is_installed("jamsos.billing"):
                from jamsos.demo.billing import demo_billing_build

                billed = time.perf_counter()
                for key, value in demo_billing_build().items():
                    self.stdout.write(f"  demo {key}: {value}")
                self.stdout.write(f"  demo billing: {time.perf_counter() - billed:.1f} s")
                if apps.is_installed("jamsos.notifications"):
                    from jamsos.demo.notifications import demo_notifications_build

                    for key, value in demo_notifications_build().items():
                        self.stdout.write(f"  demo outbox {key}: {value}")
                if apps.is_installed("jamsos.claims"):
                    from jamsos.demo.claims import demo_claims_build

                    filed = time.perf_counter()
                    for key, value in demo_claims_build().items():
                        self.stdout.write(f"  demo {key}: {value}")
                    self.stdout.write(f"  demo claims: {time.perf_counter() - filed:.1f} s")
                if apps.is_installed("jamsos.agents"):
                    from jamsos.demo.agents import demo_agents_build

                    for key, value in demo_agents_build().items():
                        self.stdout.write(f"  demo Perisai {key}: {value}")
                if apps.is_installed("jamsos.coverage"):
                    self._coverage()
        self.stdout.write(f"Demo ready in {time.perf_counter() - started:.1f} s.")

    def _coverage(self) -> None:
        """The coverage facts of the demo's billed months, unless they are there already."""
        from jamsos.coverage.models import CoverageArea
        from jamsos.coverage.services.build import coverage_build
        from jamsos.demo.billing import PERIODS

        if CoverageArea.objects.filter(period=PERIODS[-1]).exists():
            self.stdout.write("  demo coverage: already built")
            return
        run = coverage_build(PERIODS[0], PERIODS[-1], by="demo")
        latest = run.counts["by_month"][PERIODS[-1]]
        self.stdout.write(
            f"  demo coverage {PERIODS[0]}..{PERIODS[-1]}: {latest['registered']} registered, "
            f"{latest['active']} active in {PERIODS[-1]} "
            f"({sum(v for k, v in run.timings.items() if k in PERIODS):.1f} s)"
        )
