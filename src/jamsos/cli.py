"""The ``jamsos`` command: operators' and batch jobs' entry point.

``jamsos COMMAND ...`` runs the Django management command of that name with the project's
settings; ``jamsos --help`` lists the Jamsos commands (``jamsos help --all`` lists every command,
Django's own included).
"""

from __future__ import annotations

import os
import sys

COMMANDS: list[tuple[str, str]] = [
    ("calc contribution", "Compute one person-month's contributions, line by line (--help)"),
    ("legal check", "Load and validate every legal parameter file; list parameter changes"),
    ("compile_translations", "Compile the Bahasa Indonesia / English translations"),
    ("regions", "Kemendagri regions by edition: load, import, import-boundaries, search, stats"),
    ("workforce", "Workforce figures (Sakernas) and estimates: import, estimate, show"),
    ("demo", "Build the synthetic demo population (--workers N --seed S --replace)"),
    ("setup_demo", "Load the data the demo needs (used by `make run`)"),
    ("users", "Accounts and roles: grant, list, token, revoke-token"),
    ("audit", "The audit trail of personal data: show (--csv to export)"),
    ("refusals", "Refused anonymous requests per day, route and reason (--days N)"),
    ("workers", "PU workers in bulk: import FILE --employer NPP, template, purge-uploads"),
    ("billing", "Monthly billing run, payments and bank statements, arrears, JHT accounts"),
    ("claims", "Benefit claims: check, submit, queue, decide, pay, transfer file, payroll"),
    ("compliance", "Employers held to the law: employers --period YYYY-MM [--problem] [--csv]"),
    ("jakon", "Construction projects (Jakon): register --npp --name --value --village ..."),
    ("pmi", "Migrant workers (PMI): register a placement --nik --country --months --start"),
    ("participant", "A BPU participant's virtual account and months ahead: bill --kpj --months"),
    ("coverage", "Coverage facts by month and region, targets, published figures"),
    ("partners", "Partners, agreements (PKS) and targets, ecosystems, outreach events"),
    ("pendataan", "Door-to-door listing campaigns: prospects, imports, matching, funnel"),
    ("enrolment", "Bulk and sponsored enrolment lists: upload, check, approve, enrol"),
    ("employer_applications", "Employers' own applications: list, verify ID, reject ID --reason"),
    ("agents", "Perisai agents: appoint, enrol, collect, commissions --month YYYY-MM, list"),
    ("notifications", "Message outbox: send-due (daily), deliver, list, retry"),
    ("migrate", "Create or update the database tables"),
    ("runserver", "Serve the web pages and the API on http://127.0.0.1:8000"),
    ("createsuperuser", "Create an administrator account"),
]


def _usage() -> str:
    width = max(len(name) for name, _ in COMMANDS)
    lines = [
        "usage: jamsos COMMAND [options]",
        "",
        "Jamsos: employment social security for every worker.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in COMMANDS),
        "",
        "Run `jamsos COMMAND --help` for its options; `jamsos help --all` for all commands.",
        "Settings come from the environment: DATABASE_URL (default: SQLite under var/).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        print(_usage())
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from jamsos.access.audit import cli_origin, origin_set

    # Whatever the command changes or exports is audited as coming from this command line.
    origin_set(cli_origin())
    execute_from_command_line(["jamsos", *args])


if __name__ == "__main__":
    main()
