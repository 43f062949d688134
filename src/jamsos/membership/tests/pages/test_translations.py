"""Every English text of the registry pages has its Bahasa Indonesia translation.

The texts are read from the templates (as ``makemessages`` reads them, through Django's
``templatize``) and from the Python modules (``_()``, ``gettext()``, ``gettext_lazy()`` calls), so
a new text without a translation fails here rather than showing English on an Indonesian page.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation.template import templatize

JAMSOS = Path(__file__).resolve().parents[3]
WEB = JAMSOS / "web"
MEMBERSHIP = JAMSOS / "membership"
TEMPLATES = [
    WEB / "templates" / "web" / "base.html",
    *sorted((WEB / "templates" / "web" / "registry").glob("*.html")),
]
MODULES = [
    MEMBERSHIP / "forms.py",
    WEB / "common.py",
    *sorted((MEMBERSHIP / "views").glob("*.py")),
]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy"}
_CALL = re.compile(
    r"""\b(?:gettext|_)\(\s*u?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""",
)


def template_msgids(path: Path) -> set[str]:
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return {ast.literal_eval(literal) for literal in _CALL.findall(text)}


def module_msgids(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_NAMES
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def registry_msgids() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES:
        found |= template_msgids(path)
    for path in MODULES:
        found |= module_msgids(path)
    return found


def catalogue() -> polib.POFile:
    path = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path))


def test_the_extraction_finds_texts_of_templates_and_modules():
    found = registry_msgids()
    assert "Work home" in found  # base.html
    assert "Show in full" in found  # a registry template
    assert "Page %(number)s of %(total)s" in found  # blocktranslate
    assert "Type at least two letters of the name." in found  # a view
    assert "Dismissal (PHK)" in found  # forms.py


def test_every_registry_text_has_an_indonesian_translation():
    translated = {entry.msgid: entry.msgstr for entry in catalogue() if not entry.obsolete}
    missing = sorted(m for m in registry_msgids() if not translated.get(m))
    assert missing == []


def test_placeholders_survive_translation():
    wanted = registry_msgids()
    placeholder = re.compile(r"%\((\w+)\)s")
    for entry in catalogue():
        if entry.msgid in wanted:
            assert sorted(placeholder.findall(entry.msgid)) == sorted(
                placeholder.findall(entry.msgstr)
            ), entry.msgid
