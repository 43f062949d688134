"""docs/security.md names the tests that prove each requirement: every test it names exists,
so the table cannot drift from the suite."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "security.md"


def _named_tests() -> list[tuple[str, str]]:
    named: list[tuple[str, str]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current = ""
        for match in re.finditer(r"`(src/[\w/]+\.py)?::(\w+)`|`(src/[\w/]+\.py)`", line):
            path = match.group(1) or match.group(3)
            if path:
                current = path
            if match.group(2):
                assert current, f"a test named without its file: {match.group(0)}"
                named.append((current, match.group(2)))
    return named


def test_every_test_the_security_page_names_exists() -> None:
    named = _named_tests()
    assert len(named) > 50
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file()
        or not re.search(rf"def {name}\(", (ROOT / path).read_text(encoding="utf-8"))
    ]
    assert missing == []
