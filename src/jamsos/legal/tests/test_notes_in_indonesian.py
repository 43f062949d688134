"""An uncertain figure is shown to readers with its note (``low_confidence``): every packaged
value that is not of high confidence has its note in Bahasa Indonesia (``note_id``) and its file
names the figure in both languages (``label``), so no page shows an English note or an internal
parameter name."""

from __future__ import annotations

from datetime import date

from jamsos.legal.messages import render_note
from jamsos.legal.params import load_parameters


def test_every_uncertain_value_has_its_note_and_label_in_both_languages():
    missing = [
        f"{value.name} {value.since}"
        for parameter in load_parameters()
        for value in parameter.values
        if value.confidence != "high"
        and not (value.note_id and value.label_in("id") != value.name and value.label_in("en"))
    ]
    assert missing == []


def test_the_note_is_read_in_the_readers_language():
    cap = load_parameters().find("pu.jp_wage_cap", date(2026, 3, 1))
    assert cap is not None
    assert cap.confidence == "medium"
    params = {
        "parameter": cap.name,
        "confidence": "sedang",
        "note": cap.note,
        "figure": {lang: cap.label_in(lang) for lang in ("id", "en")},
        "note_text": {lang: cap.note_in(lang) for lang in ("id", "en")},
    }
    text = render_note("low_confidence", "id", **params)
    assert text.startswith("Angka batas upah JP berkeyakinan sedang: Hanya diketahui")
    assert "pu.jp_wage_cap" not in text
    assert "Known only" not in text
    english = render_note("low_confidence", "en", **{**params, "confidence": "medium"})
    assert english.startswith("The figure JP wage cap has medium confidence: Known only")
