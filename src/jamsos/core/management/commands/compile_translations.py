"""`jamsos compile_translations`: .po catalogues to .mo files, in Python (no GNU gettext needed).

The .po files are the source, kept in the repository; the .mo files are generated next to them.
A .mo file is rewritten only when its content changes.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


@dataclass(frozen=True)
class Compiled:
    po_path: Path
    mo_path: Path
    translated: int
    untranslated: int
    fuzzy: int
    written: bool


def catalogue_paths(locale_dirs: list[Path]) -> list[Path]:
    """Every ``<locale dir>/<language>/LC_MESSAGES/*.po``, sorted."""
    found: list[Path] = []
    for directory in locale_dirs:
        found.extend(sorted(Path(directory).glob("*/LC_MESSAGES/*.po")))
    return found


def compile_catalogue(po_path: Path) -> Compiled:
    """Compile one .po file; fuzzy and untranslated entries are left out of the .mo."""
    catalogue = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / mo_path.name
        catalogue.save_as_mofile(str(scratch))
        content = scratch.read_bytes()
    written = not mo_path.exists() or mo_path.read_bytes() != content
    if written:
        mo_path.write_bytes(content)
    return Compiled(
        po_path=po_path,
        mo_path=mo_path,
        translated=len(catalogue.translated_entries()),
        untranslated=len(catalogue.untranslated_entries()),
        fuzzy=len(catalogue.fuzzy_entries()),
        written=written,
    )


class Command(BaseCommand):
    help = (
        "Compile every locale/<language>/LC_MESSAGES/*.po catalogue to its .mo file "
        "(uses polib: GNU gettext is not needed)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail (exit status 1) when a catalogue has untranslated or fuzzy entries",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dirs = [Path(directory) for directory in settings.LOCALE_PATHS]
        paths = catalogue_paths(locale_dirs)
        if not paths:
            self.stderr.write(f"No .po catalogue under {', '.join(map(str, locale_dirs))}")
            sys.exit(1)
        incomplete = False
        for po_path in paths:
            try:
                result = compile_catalogue(po_path)
            except (OSError, ValueError) as exc:
                self.stderr.write(f"{po_path}: {exc}")
                sys.exit(1)
            incomplete = incomplete or bool(result.untranslated or result.fuzzy)
            if options["verbosity"] >= 1:
                state = "compiled" if result.written else "up to date"
                language = po_path.parent.parent.name
                self.stdout.write(
                    f"{language}: {result.translated} messages {state} "
                    f"({result.untranslated} untranslated, {result.fuzzy} fuzzy) -> "
                    f"{result.mo_path}"
                )
        if options["strict"] and incomplete:
            self.stderr.write("Some messages are untranslated or fuzzy (see above).")
            sys.exit(1)
