"""duban.ingest modules meet at public names only, and their imports form no cycle.

Read from the source (AST), not from sys.modules, so imports inside functions count too: a deferred import
hides a cycle at load time but still ties the modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import duban.ingest

PACKAGE = Path(duban.ingest.__file__).resolve().parent
ROOT = "duban.ingest"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [ROOT, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import of a duban.ingest module in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, None) for alias in node.names if alias.name.startswith(ROOT)]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == ROOT or target.startswith(ROOT + "."):
                out += [(target, alias.name) for alias in node.names]
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, imported in _imports(name, path):
            submodule = f"{target}.{imported}"
            graph[name].add(submodule if submodule in MODULES else target)
        graph[name].discard(name)
    return graph


def test_no_module_imports_a_private_name_of_another() -> None:
    private = [
        f"{name} imports {imported} from {target}"
        for name, path in MODULES.items()
        for target, imported in _imports(name, path)
        if imported is not None and imported.startswith("_") and target != name
    ]
    assert private == []


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 while on the current path, 2 when done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert [" -> ".join(c) for c in cycles] == []


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A deferred import must be seen, or a cycle hidden inside a function would pass unnoticed."""
    probe = tmp_path / "probe.py"
    source = "def f():\n    from .structure import _x\n    from ..ingest import items\n"
    probe.write_text(source, encoding="utf-8")
    assert _imports(f"{ROOT}.probe", probe) == [(f"{ROOT}.structure", "_x"), (ROOT, "items")]
