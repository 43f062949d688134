"""Build ``jamsos_pendataan.xlsx``, the Jamsos listing XLSForm (KoboToolbox, ODK Collect).

    .venv/bin/python src/jamsos/partners/data/xlsform/build_xlsform.py

The fields come from ``jamsos.partners.services.xlsform`` (SURVEY, CHOICES), the same module the
import reads exports with, so the form and the importer agree. Sheets: ``survey``, ``choices``,
``settings``; labels in Bahasa Indonesia (default) and English.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))  # src/

from openpyxl import Workbook  # noqa: E402

from jamsos.partners.services.xlsform import CHOICES, FORM_ID, FORM_VERSION, SURVEY  # noqa: E402

LABEL_ID = "label::Bahasa Indonesia (id)"
LABEL_EN = "label::English (en)"
EXTRA = [
    "hint::Bahasa Indonesia (id)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Bahasa Indonesia (id)",
    "constraint_message::English (en)",
    "appearance",
]


def build(path: Path = HERE / "jamsos_pendataan.xlsx") -> Path:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", LABEL_ID, LABEL_EN, *EXTRA])
    for kind, name, label_id, label_en, extra in SURVEY:
        survey.append([kind, name, label_id, label_en, *(extra.get(c, "") for c in EXTRA)])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", LABEL_ID, LABEL_EN])
    for row in CHOICES:
        choices.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append(
        [
            "Jamsos - Pendataan pekerja informal",
            FORM_ID,
            FORM_VERSION,
            "Bahasa Indonesia (id)",
            "concat(${campaign_code}, '-', ${cadre_code}, '-', ${name})",
        ]
    )
    book.save(path)
    return path


if __name__ == "__main__":
    print(build())
