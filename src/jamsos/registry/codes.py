"""Kemendagri region codes and names: pure functions, no database.

Code shapes (dotted form; ``code_nodot`` is the same digits without dots):

=========  ================  ==============
level      dotted            without dots
=========  ================  ==============
national   ``00``            ``00``
province   ``32``            ``32``
regency    ``32.04``         ``3204``
district   ``32.04.01``      ``320401``
village    ``32.04.01.2001`` ``3204012001``
=========  ================  ==============
"""

from __future__ import annotations

import re
import unicodedata

from jamsos.registry.models import NATIONAL_CODE, Kind, Level

CODE_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.PROVINCE: re.compile(r"^[1-9]\d$"),
    Level.REGENCY: re.compile(r"^[1-9]\d\.\d{2}$"),
    Level.DISTRICT: re.compile(r"^[1-9]\d\.\d{2}\.\d{2}$"),
    Level.VILLAGE: re.compile(r"^[1-9]\d\.\d{2}\.\d{2}\.\d{4}$"),
}
_CODE_LIKE = re.compile(r"^[\d.\s]+$")
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"\s+")
# Administrative prefixes a user may type before a name, and what they restrict the search to.
QUERY_PREFIXES: list[tuple[str, Kind | Level]] = [
    ("kota administrasi ", Kind.KOTA),
    ("kabupaten administrasi ", Kind.KABUPATEN),
    ("kabupaten ", Kind.KABUPATEN),
    ("kab ", Kind.KABUPATEN),
    ("kota ", Kind.KOTA),
    ("kecamatan ", Level.DISTRICT),
    ("kec ", Level.DISTRICT),
    ("distrik ", Level.DISTRICT),
    ("kelurahan ", Level.VILLAGE),
    ("kel ", Level.VILLAGE),
    ("desa ", Level.VILLAGE),
    ("provinsi ", Level.PROVINCE),
    ("prov ", Level.PROVINCE),
]
# Regency names carry their form ("Kabupaten Bandung", "Kota Administrasi Jakarta Utara"); the
# search name drops it so that "bandung" finds both the kabupaten and the kota by prefix.
_NAME_PREFIXES = ("kota administrasi ", "kabupaten administrasi ", "kabupaten ", "kota ")


def level_of(code: str) -> Level | None:
    """The level a dotted code has the shape of, or None if it has none."""
    if code == NATIONAL_CODE:
        return Level.NATIONAL
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def nodot(code: str) -> str:
    return code.replace(".", "")


def parent_code_of(code: str) -> str:
    """``32.04.01`` → ``32.04``; a province's parent is empty (the nation is not its parent)."""
    return code.rsplit(".", 1)[0] if "." in code else ""


def ancestor_codes(code: str) -> tuple[str, str, str]:
    """(province_code, regency_code, district_code), each empty below the code's own level."""
    if code == NATIONAL_CODE:
        return "", "", ""
    parts = code.split(".")
    return (
        parts[0],
        ".".join(parts[:2]) if len(parts) >= 2 else "",
        ".".join(parts[:3]) if len(parts) >= 3 else "",
    )


def kind_of(code: str, level: Level) -> Kind:
    """The legal form implied by a code (Permendagri 72/2019 numbering).

    Regency: digits 3-4 ``01``-``69`` kabupaten, ``71``-``99`` kota. District: *distrik* in the
    Papua provinces (91-96), *kecamatan* elsewhere. Village: first digit of the last part ``1``
    kelurahan, ``2`` desa, ``3`` desa adat.
    """
    if level == Level.PROVINCE:
        return Kind.PROVINSI
    if level == Level.REGENCY:
        return Kind.KOTA if int(code[3:5]) >= 70 else Kind.KABUPATEN
    if level == Level.DISTRICT:
        return Kind.DISTRIK if int(code[:2]) >= 91 else Kind.KECAMATAN
    if level == Level.VILLAGE:
        first = code[-4]
        return {"1": Kind.KELURAHAN, "3": Kind.DESA_ADAT}.get(first, Kind.DESA)
    return Kind.NONE


def fold(text: str) -> str:
    """Lowercase ASCII, single spaces: accents dropped, apostrophes joined, punctuation spaced."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = _APOSTROPHES.sub("", ascii_text.lower())
    return _SPACES.sub(" ", _NOT_ALNUM.sub(" ", lowered)).strip()


def search_name_of(name: str) -> str:
    """The indexed search form of a name: folded, with a regency's form prefix removed."""
    folded = fold(name)
    for prefix in _NAME_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def looks_like_code(text: str) -> bool:
    return bool(_CODE_LIKE.match(text)) and any(c.isdigit() for c in text)


def normalise_code(text: str) -> str:
    """``3204012001`` or ``32.04.01.2001`` or ``32 04`` → dotted form (possibly partial)."""
    cleaned = text.strip()
    if "." in cleaned:
        return ".".join(part for part in cleaned.replace(" ", "").split(".") if part != "")
    digits = re.sub(r"\D", "", cleaned)
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)
