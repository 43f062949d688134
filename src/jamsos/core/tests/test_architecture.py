"""The layers of docs/architecture.md hold: no import runs upwards, no app reads another's
private (underscore) modules or names."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

SRC = Path(__file__).resolve().parents[3]
JAMSOS = SRC / "jamsos"
PYPROJECT = SRC.parent / "pyproject.toml"


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(JAMSOS.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        found.append((".".join(parts), path))
    return found


def _private_imports(module: str, path: Path) -> list[str]:
    """``from jamsos.other._x import y`` or ``from jamsos.other.x import _y`` in another app."""
    own_app = module.split(".")[1]
    wrong = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if parts[0] != "jamsos" or len(parts) < 2 or parts[1] == own_app:
            continue
        names = [alias.name for alias in node.names]
        if any(part.startswith("_") for part in parts[2:]) or any(
            name.startswith("_") for name in names
        ):
            wrong.append(f"{module}:{node.lineno} from {node.module} import {', '.join(names)}")
    return wrong


def test_the_import_layers_hold():
    """import-linter's layers contract in pyproject.toml, the order docs/architecture.md draws."""
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == 0


def test_no_app_imports_another_apps_private_modules_or_names():
    wrong = [line for module, path in _modules() for line in _private_imports(module, path)]
    assert wrong == []


def test_the_checker_sees_a_private_import(tmp_path):
    """The scan would catch one: a module of billing reading membership's private helper."""
    sample = tmp_path / "sample.py"
    sample.write_text("from jamsos.membership.services._common import require_choice\n")
    assert _private_imports("jamsos.billing.sample", sample) == [
        "jamsos.billing.sample:1 from jamsos.membership.services._common import require_choice"
    ]
    sample.write_text("from jamsos.billing.services._private import table\n")
    assert _private_imports("jamsos.billing.sample", sample) == []
