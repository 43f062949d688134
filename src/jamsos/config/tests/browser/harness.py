"""What every page of the browser suite is checked for, and where its screenshots go.

A page is checked at each width it is visited at: it does not scroll sideways, every chart or
picture says what it shows (a title, a label, alt text or a caption), no English word of a short
list stands on a page in Bahasa Indonesia, and at 1,366 px the header stays on one line. A
full-page screenshot of each visit is kept under ``JAMSOS_BROWSER_ARTIFACTS`` (by default
``var/browser-artifacts/<role>/<page>-<width>.png``); the run's summary names the folder.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Chromium's switches for a quiet headless run (no updates, sync or first-run work).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=id-ID",  # native controls (dates, file pickers) as an Indonesian browser shows them
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
REPO = Path(__file__).resolve().parents[5]

#: English words that have no business on a page in Bahasa Indonesia (whole words, any case).
#: Short on purpose: each is a common word of a page's furniture that is not Indonesian too.
ENGLISH = (
    "the",
    "and",
    "of",
    "with",
    "your",
    "please",
    "submit",
    "search",
    "save",
    "cancel",
    "loading",
    "download",
    "upload",
    "previous",
    "next",
    "page",
    "sign in",
    "sign out",
    "claims",
    "contributions",
    "coverage",
    "partners",
    "messages",
    "workers",
    "employer",
    "month",
    "year",
    "amount",
    "paid",
    "unpaid",
    "due",
    "none",
    "yes",
    "not",
    "view",
    "open",
    "show",
)
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)

#: Text of an Indonesian page that may hold such a word rightly: names of things, the language
#: switch, codes. Matched against the text node's nearest element.
_SKIP_TEXT = "script, style, code, pre, .mono, [lang]:not(html), .js-plotly-plot, [translate=no]"


#: English still on Indonesian pages, left to the translation of model choices (they are written
#: "Indonesian / English" today): each entry is a text fragment cut before the words are looked
#: for. Remove an entry when its text is translated.
KNOWN_ENGLISH = (
    "/ not sent",
    "/ employer association",
    "/ regional government",
    "/ union or confederation",
    "/ company (CSR)",
    "/ zakat or charity body",
    "/ e-commerce or market operator",
    "/ community cadre group",
    "/ association members' workers",
    "/ ad hoc election workers",
    "/ sponsored vulnerable workers",
    "approved → paid",  # a claim's status codes in the audit trail's changes
)
#: Dotted names of records (``claims.claim`` in the audit trail) are codes, not words.
_DOTTED = re.compile(r"\b\w+(\.\w+)+\b")


def english_in(text: str) -> set[str]:
    for known in KNOWN_ENGLISH:
        text = text.replace(known, " ")
    return {m.group(0).lower() for m in _ENGLISH.finditer(_DOTTED.sub(" ", text))}


def artifacts_dir() -> Path:
    return Path(os.environ.get("JAMSOS_BROWSER_ARTIFACTS") or REPO / "var" / "browser-artifacts")


#: Whether this run saved any screenshot (src/conftest.py names the folder in the summary).
SAVED: list[Path] = []

# One script reads all that the checks need, in one round trip.
_PROBE = (Path(__file__).parent / "probe.js").read_text(encoding="utf-8")


@dataclass
class Visit:
    """What one role saw: every problem on every page, and the screenshots taken."""

    role: str
    problems: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def check(self, page: Any, name: str) -> dict[str, Any]:
        """Check the page now shown, keep its screenshot; return what was read of it."""
        page.wait_for_load_state("load")
        if page.locator(".js-plotly-plot, [data-plotly], script[src*=plotly]").count():
            page.wait_for_load_state("networkidle")  # charts draw from data fetched after load
        found = page.evaluate(_PROBE, _SKIP_TEXT)
        width = page.viewport_size["width"]
        where = f"{self.role} {name} at {width} px ({page.url})"
        if found["width"] > found["viewport"]:
            self.problems.append(
                f"{where}: scrolls sideways, {found['width']} px wide: "
                + ", ".join(found["culprits"])
            )
        if found["unnamed"]:
            self.problems.append(f"{where}: figures without a title or label: {found['unnamed']}")
        if found["lang"] == "id":
            english = sorted({w for t in found["texts"] for w in english_in(t)})
            if english:
                lines = [t for t in found["texts"] if english_in(t)][:5]
                self.problems.append(f"{where}: English on an Indonesian page {english}: {lines}")
        else:
            self.problems.append(f"{where}: page language is {found['lang']!r}, not 'id'")
        if found["unlabelled"]:
            self.problems.append(f"{where}: phone cards without labels: {found['unlabelled']}")
        if width >= DESKTOP["width"] and found["navRows"] > 1:
            self.problems.append(
                f"{where}: the header's menu wraps onto {found['navRows']} lines "
                f"({found['headerHeight']:.0f} px high)"
            )
        folder = artifacts_dir() / self.role
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        self.shots.append(shot)
        SAVED.append(shot)
        return found

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)
