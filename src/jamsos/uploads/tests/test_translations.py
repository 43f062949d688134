"""The uploads catalogue: complete, and holding every page and command text."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import gettext

APP = Path(__file__).resolve().parent.parent
CATALOGUE = APP / "locale" / "id" / "LC_MESSAGES" / "django.po"
_TEMPLATE_TEXT = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1\s*%\}""")
_PYTHON_TEXT = re.compile(r"""\b(?:_|gettext_noop)\(\s*"([^"]+)"\s*\)""")


def _msgids() -> set[str]:
    found: set[str] = set()
    for path in (APP / "templates").rglob("*.html"):
        found.update(m.group(2) for m in _TEMPLATE_TEXT.finditer(path.read_text()))
    for path in APP.rglob("*.py"):
        if "tests" not in path.parts:
            found.update(m.group(1) for m in _PYTHON_TEXT.finditer(path.read_text()))
    return found


def test_the_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    entries = {entry.msgid for entry in catalogue}
    missing = sorted(_msgids() - entries)
    assert missing == []
    assert len(_msgids()) > 40


def test_pages_and_commands_speak_indonesian_first():
    with translation.override("id"):
        assert gettext("Upload PU workers") == "Unggah pekerja PU"
        assert gettext("Checking rows") == "Memeriksa baris"
    with translation.override("en"):
        assert gettext("Upload PU workers") == "Upload PU workers"
