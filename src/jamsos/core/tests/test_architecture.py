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


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in imports.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_no_import_loops_between_modules():
    """Every import, at the top of a module or inside a function, runs one way."""
    import grimp

    graph = grimp.build_graph("jamsos", cache_dir=None)
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    imports = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    assert _cycles(imports) == []


def test_the_loop_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
