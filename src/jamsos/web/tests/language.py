"""Finding English on a page shown in Bahasa Indonesia (issue 16, "One language, one look").

Used by ``test_one_language.py``, which walks every page of a small demo as each role. A page's
text is its visible text, its placeholders, titles and labels, with scripts and styles left out,
and with the parts marked as another language (``lang="en"``: the language switch, a message
written for an English-speaking recipient) left out too. Two checks find English in it:

- a text of a catalogue whose Indonesian differs from its English (``msgid``), found as such on
  the page: something shown without ``gettext`` or shown in English by mistake;
- a short list of English words (``ENGLISH_WORDS``) that no Indonesian page carries, as whole
  words: status words and labels that never passed through a catalogue (a code shown as it is
  stored, a YAML note, a header of an export).

``ALLOWED`` lists the words that look English and belong on an Indonesian page, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings

#: English words that have no business on an Indonesian page (matched as whole words, case
#: sensitive as written, and with a capital first letter).
ENGLISH_WORDS = (
    # statuses and stages, as stored
    "done", "failed", "pending", "queued", "running", "finished", "approved", "rejected",
    "submitted", "verified", "paid", "unpaid", "enrolled", "validated", "committed", "staged",
    "active", "expired", "signed", "draft", "closed", "planned", "abandoned",
    # the audit trail and job pages
    "decision", "status:", "note:", "result:", "rows:", "monthly", "process",
    # legal and published-figure notes
    "Known only", "confidence", "rounded", "persons", "published", "republished", "processed",
    "source", "letter", "confirm",
    # labels and buttons
    "regional government", "employer", "workers", "worker", "association", "vulnerable",
    "Download", "Submit", "Search", "Next", "Previous", "Save", "Cancel", "Back", "Show",
    "sign in", "Sign in", "Sign out", "Total of", "per month",
    # grammar words: an English sentence
    "the", "and", "with", "from", "which", "this", "of the", "is not",
)  # fmt: skip

#: Words that look English and are right on an Indonesian page.
ALLOWED = {
    "English": "the language switch names the other language in that language",
    "Total": "Indonesian too (KBBI: total), as in Total tunggakan",
    "Universal Coverage": "the name of the national target (Universal Coverage Jamsostek)",
    "Sharing session": "an outreach event's title in the demo, as the partner wrote it",
    "e-mail": "Indonesian usage beside surel",
    "E-commerce": "the ecosystem's Indonesian name (KBBI: e-commerce / niaga-el)",
    "virtual account": "the banks' Indonesian name of the payment number",
    "Plotly": "the chart library's name, in its credits",
    "OpenStreetMap": "the map's name, in its credits",
}

_CONTEXT_OF_URL = re.compile(r"https?://\S+")
_CODE_TAGS = {"code", "kbd", "samp"}


class _PageText(HTMLParser):
    """The visible text of a page, without scripts, styles, code and other languages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []  # open tags whose content is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        lang = (found.get("lang") or "").lower()
        if tag in {"script", "style", "template"} | _CODE_TAGS or (lang and lang != "id"):
            if tag not in {"br", "img", "input", "meta", "link", "hr"}:
                self._skipping.append(tag)
            return
        if self._skipping:
            return
        for name in ("placeholder", "title", "aria-label", "alt"):
            if found.get(name):
                self.parts.append(str(found[name]))
        if tag == "input" and found.get("type") in {"submit", "button"} and found.get("value"):
            self.parts.append(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def page_text(html: str) -> tuple[str, list[str]]:
    """The page's text in one line, and the links it carries."""
    parser = _PageText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = _CONTEXT_OF_URL.sub(" ", text)
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    return re.sub(r"\s+", " ", text).strip(), parser.links


def _catalogue_paths() -> Iterator[Path]:
    for base in settings.LOCALE_PATHS:
        path = Path(base) / "id" / "LC_MESSAGES" / "django.po"
        if path.exists():
            yield path


def _literal_parts(msgid: str) -> list[str]:
    """The parts of a text around its placeholders that are long enough to be told apart."""
    parts = re.split(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}", msgid)
    return [p.strip(" .,:;()") for p in parts if len(p.strip().split()) >= 3]


@cache
def catalogue_phrases() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(English text, its whole-word pattern) of every catalogue text translated differently."""
    phrases: dict[str, str] = {}
    for path in _catalogue_paths():
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
                continue
            if entry.msgid_plural:
                continue
            candidates = (
                _literal_parts(entry.msgid) if re.search(r"%|\{", entry.msgid) else [entry.msgid]
            )
            for text in candidates:
                text = re.sub(r"\s+", " ", text).strip()
                # A word the Indonesian keeps (a name, an acronym) is not English on the page.
                if len(text) < 4 or text in entry.msgstr or text in ALLOWED:
                    continue
                if len(text.split()) == 1 and not text[0].isupper():
                    continue  # a lowercase single word: ENGLISH_WORDS names the telling ones
                phrases[text] = entry.msgstr
    return tuple(
        (text, re.compile(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])"))
        for text in sorted(phrases)
    )


@cache
def _word_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for word in ENGLISH_WORDS:
        variants = {word, word[0].upper() + word[1:]}
        body = "|".join(re.escape(v) for v in sorted(variants))
        patterns.append((word, re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])")))
    return tuple(patterns)


def english_in(text: str) -> list[str]:
    """The English found in an Indonesian page's text, each with a little of its context."""
    found: list[str] = []
    for phrase, pattern in (*catalogue_phrases(), *_word_patterns()):
        match = pattern.search(text)
        if match:
            start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
            found.append(f"{phrase!r} in …{text[start:end]}…")
    return found


#: A count or an amount written without its thousands grouped: ``Rp 16657200``, ``1914 pembayar``
#: (a year, ``2025 …``, and identifiers, which are not followed by a word, are left alone).
_UNGROUPED = re.compile(
    r"Rp ?\d{4,}(?![\d.,])"
    r"|(?<![\w./:*#-])(?!(?:19[5-9]\d|20\d\d)\b)\d{4,7}(?![\w./:*-]) (?=[a-z]{3,})"
)


def ungrouped_numbers(text: str) -> list[str]:
    """Numbers shown without the language's thousands separator, with a little context."""
    return [
        f"{m.group(0).strip()!r} in …{text[max(0, m.start() - 40) : m.end() + 30]}…"
        for m in _UNGROUPED.finditer(text)
    ]


def csv_header(content: bytes) -> str:
    """The first line of a CSV export: its column names."""
    first = content.decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    return first.replace(",", " , ").replace(";", " ; ")


def local_links(links: Iterable[str]) -> list[str]:
    return [link.split("#", 1)[0] for link in links if link.startswith("/")]
