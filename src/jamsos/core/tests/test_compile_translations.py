"""`jamsos compile_translations`: .po to .mo with polib."""

from __future__ import annotations

import gettext
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from jamsos.core.management.commands.compile_translations import catalogue_paths


def write_po(directory: Path, entries: dict[str, str], fuzzy: str | None = None) -> Path:
    path = directory / "id" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "id"}
    for msgid, msgstr in entries.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    if fuzzy:
        catalogue.append(polib.POEntry(msgid=fuzzy, msgstr="kabur", flags=["fuzzy"]))
    catalogue.save(str(path))
    return path


def test_compiles_po_to_a_mo_that_gettext_reads(tmp_path):
    # given
    po = write_po(tmp_path, {"Employer": "Pemberi kerja", "Later": ""}, fuzzy="Maybe")
    out = StringIO()
    # when
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("compile_translations", stdout=out)
    # then
    mo = po.with_suffix(".mo")
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("Employer") == "Pemberi kerja"
    assert catalogue.gettext("Maybe") == "Maybe"  # fuzzy entries are left out
    assert "id: 1 messages compiled (1 untranslated, 1 fuzzy)" in out.getvalue()


def test_second_run_leaves_the_mo_alone(tmp_path):
    write_po(tmp_path, {"Employer": "Pemberi kerja"})
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("compile_translations", stdout=StringIO())
        out = StringIO()
        call_command("compile_translations", stdout=out)
    assert "up to date" in out.getvalue()


def test_strict_fails_on_untranslated_messages(tmp_path):
    write_po(tmp_path, {"Employer": ""})
    with override_settings(LOCALE_PATHS=[tmp_path]), pytest.raises(SystemExit) as exit_info:
        call_command("compile_translations", "--strict", stdout=StringIO(), stderr=StringIO())
    assert exit_info.value.code == 1


def test_the_project_catalogue_is_complete():
    from django.conf import settings

    paths = catalogue_paths([Path(p) for p in settings.LOCALE_PATHS])
    # One Indonesian catalogue per locale directory (the site's, and each app's own).
    assert {p.parent.parent.name for p in paths} == {"id"}
    assert len(paths) == len(settings.LOCALE_PATHS)
    for path in paths:
        catalogue = polib.pofile(str(path))
        assert catalogue.untranslated_entries() == [], path
        assert catalogue.fuzzy_entries() == [], path
    site = polib.pofile(str(paths[0]))
    assert site.find("Employer").msgstr == "Pemberi kerja"
