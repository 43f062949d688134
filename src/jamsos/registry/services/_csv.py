"""Reading small reference CSV files (UTF-8, header row) into dictionaries."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jamsos.registry.errors import ImportFileInvalid


def read_csv_rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows as dicts of stripped strings; the header must name every ``required`` column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ImportFileInvalid(path=str(path), reason="no such file") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileInvalid(path=str(path), reason="not UTF-8 text") from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fieldnames = [f.strip() for f in (reader.fieldnames or [])]
        reader.fieldnames = fieldnames
        missing = [c for c in required if c not in fieldnames]
        if missing:
            raise ImportFileInvalid(path=str(path), reason=f"missing columns {', '.join(missing)}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise ImportFileInvalid(path=str(path), reason=f"not CSV ({exc})") from exc
