"""The folder layout is the architecture: the import contracts in pyproject.toml hold, a kernel module that
imports an app breaks them, and no two top-level packages import each other, even inside functions."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def package_graph(root: Path) -> dict[str, set[str]]:
    """Top-level package of duban → the top-level packages it imports, at any depth of the code."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in (root / "duban").rglob("*.py"):
        parts = path.relative_to(root / "duban").with_suffix("").parts
        source = parts[0]
        module = ["duban", *parts] if parts[-1] != "__init__" else ["duban", *parts[:-1]]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = module[: len(module) - node.level + (parts[-1] == "__init__")] if node.level else []
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                continue
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "duban" and len(pieces) > 1 and pieces[1] != source:
                    graph[source].add(pieces[1])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_two_packages_import_each_other() -> None:
    assert cycles(package_graph(ROOT)) == []


def test_the_cycle_finder_sees_imports_inside_functions(tmp_path: Path) -> None:
    for name, body in {"a": "def f():\n    from duban.b import x\n", "b": "from duban.a import f\n"}.items():
        (tmp_path / "duban" / name).mkdir(parents=True)
        (tmp_path / "duban" / name / "__init__.py").write_text(body)
    assert cycles(package_graph(tmp_path)) == [["a", "b", "a"]]


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_contracts_hold() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_kernel_module_that_imports_an_app_breaks_the_layers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "duban", tmp_path / "duban", ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    kernel = tmp_path / "duban" / "core" / "pagination.py"
    kernel.write_text(kernel.read_text() + "\n\ndef late():\n    from duban.tasks.models import Task\n\n    return Task\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "duban.core.pagination -> duban.tasks.models" in result.stdout


def test_every_module_is_small() -> None:
    """Small modules named after what they hold: none over 600 lines (migrations are generated, so not counted)."""
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "duban").rglob("*.py") if "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
