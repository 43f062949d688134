"""`jamsos demo --workers N [--seed S] [--replace]`: build the synthetic demo population."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.core.errors import ApplicationError
from jamsos.demo.population import demo_population_build, demo_population_remove


class Command(BaseCommand):
    help = (
        "Build a synthetic population (people, employers, memberships, wage history) on top of "
        "the real regions, calibrated on published BPJS Ketenagakerjaan figures. Safe to run "
        "again: an existing population is kept unless --replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=20_000, help="People (default 20000)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the demo population and rebuild it"
        )
        parser.add_argument(
            "--remove", action="store_true", help="Delete the demo population and stop"
        )
        parser.add_argument(
            "--method",
            choices=["auto", "copy", "executemany", "orm"],
            default="auto",
            help="How rows are written (auto: COPY on PostgreSQL, executemany on SQLite)",
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["remove"]:
                removed = demo_population_remove()
                self.stdout.write(f"Demo population removed: {removed or 'nothing to remove'}")
                return
            summary = demo_population_build(
                workers=options["workers"],
                seed=options["seed"],
                progress=options["verbosity"] > 0 and not options["json"],
                replace=options["replace"],
                method=options["method"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(describe(summary))


def describe(summary: dict[str, Any]) -> str:
    """A few lines for people; ``--json`` gives everything."""
    if summary["status"] == "exists":
        same = "same parameters" if summary["same_parameters"] else "different parameters"
        return (
            f"A demo population already exists (seed {summary['seed']}, "
            f"{summary['workers']:,} workers, built {summary['built_at'][:19]}; {same}): "
            "nothing done. Use --replace to rebuild it."
        )
    lines = [
        f"Demo population {summary['status']}: {summary['people']:,} people, seed "
        f"{summary['seed']}, as of {summary['as_of']} ({summary['database']}, {summary['method']})."
    ]
    for segment, counts in summary["memberships"].items():
        lines.append(f"  {segment:<6} {counts['active']:>10,} active {counts['ended']:>10,} ended")
    employers = dict(summary["employers"])
    contractors = employers.pop("of_which_contractors", 0)
    lines.append(
        "  employers: "
        + ", ".join(f"{n:,} {size}" for size, n in employers.items())
        + f" ({contractors:,} of them construction contractors); "
        + f"{summary['branch_offices_created']} demo branch offices created"
    )
    lines.append(
        f"  {summary['rows']:,} rows in {summary['seconds']:.1f} s "
        f"({summary['rows_per_second']:,} rows/s; generate {summary['generate_seconds']:.1f} s, "
        f"write {summary['write_seconds']:.1f} s, commit {summary['commit_seconds']:.1f} s)"
    )
    return "\n".join(lines)
