"""Project hygiene: migrations that do not depend on live code, settings without side effects, product text
without pointers to design notes outside the product."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "duban"

# What a migration may take from Duban's own code: the field classes and upload_to callables that CreateModel,
# AddField and AlterField operations name (Django needs them to rebuild the historical models). Anything a
# data migration computes must be a frozen copy inside the migration file.
FIELD_MODULES = {"duban.core.fields", "duban.core.files"}
# Frozen copies shared by several migrations live beside them, named _frozen_*, and are themselves checked here.
FROZEN = "duban.core.migrations._frozen_"


def _migration_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("migrations/*.py") if path.name != "__init__.py")


def _dotted(node: ast.AST) -> str | None:
    """``duban.core.fields`` for the expression ``duban.core.fields`` (a Name with Attributes on it)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _live_imports(tree: ast.Module) -> list[str]:
    """The ways ``tree`` reaches Duban's code other than through FIELD_MODULES, as readable descriptions."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {alias.name}" for alias in node.names
                      if alias.name.split(".")[0] == "duban" and alias.name not in FIELD_MODULES]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                found.append(f"from {'.' * node.level}{module} import …")
            elif module.split(".")[0] == "duban":
                names = {f"{module}.{alias.name}" for alias in node.names}
                if module not in FIELD_MODULES and not names <= FIELD_MODULES and not module.startswith(FROZEN):
                    found.append(f"from {module} import {', '.join(alias.name for alias in node.names)}")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and node.args[0].value.split(".")[0] == "duban" \
                and (_dotted(node.func) or "").split(".")[-1] in ("import_module", "__import__"):
            found.append(f"dynamic import of {node.args[0].value}")
    # The field modules are there for the operations: code that runs (RunPython functions) may not use them.
    for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        names = {name for node in ast.walk(function) if isinstance(node, ast.Attribute)
                 and (name := _dotted(node)) and name.startswith("duban.")}
        found += [f"{function.name}() uses {name}" for name in sorted(names)  # the longest chains only
                  if not any(other.startswith(name + ".") for other in names)]
    return found


def test_there_are_migrations_to_check() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in _migration_files()}
    assert "core/migrations/0004_chain_existing_entries.py" in names
    assert "tasks/reporting/migrations/0001_initial.py" in names


@pytest.mark.parametrize("path", _migration_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_migrations_do_not_import_live_code(path: Path) -> None:
    """An old migration must keep working when the application code changes: it uses historical models
    (apps.get_model) and frozen copies of any constants and functions, never Duban's live modules."""
    assert _live_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))) == []


def test_the_hygiene_check_finds_live_imports() -> None:
    source = """
import duban.core.fields
from duban.core import files
from django.db import migrations

def forwards(apps, schema_editor):
    from duban.core.chain import entry_hash
    import duban.documents.defaults
    importlib.import_module("duban.core.crypto")
    duban.core.fields.crypto.encrypt("x")

from . import helpers
"""
    assert sorted(_live_imports(ast.parse(source))) == sorted([
        "from duban.core.chain import entry_hash", "import duban.documents.defaults",
        "dynamic import of duban.core.crypto", "from . import …",
        "forwards() uses duban.core.fields.crypto.encrypt",
    ])


# ------------------------------------------------------------------------------------------------ settings

def _clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DATABASE_URL"))}
    return {**env, "DUBAN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "duban.settings"}


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=_clean_env(data_dir), cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)


def test_importing_the_settings_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "not" / "there"
    code = ("import duban.settings as s; "
            "print(s.DATA_DIR, s.STATIC_ROOT, s.MEDIA_ROOT, s.GENERATED_ROOT, s.DATABASES['default']['NAME'])")
    out = _run(["-c", code], missing).stdout.split()
    assert out[0] == str(missing) and out[-1] == str(missing / "duban.sqlite3")
    assert list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    _run(["-c", code], empty)
    assert list(empty.iterdir()) == []  # not even the secret key in an existing data directory


def test_the_duban_command_makes_the_data_dir_and_keeps_its_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    _run(["-m", "duban", "check"], data_dir)
    key_file = data_dir / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text(encoding="ascii").strip()
    assert len(key) >= 50 and (data_dir / "static").is_dir()
    _run(["-m", "duban", "check"], data_dir)
    assert key_file.read_text(encoding="ascii").strip() == key
    used = _run(["-m", "duban", "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
                data_dir).stdout.split()[-1]
    assert used == key


def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    code = "import sys; from pathlib import Path; from duban.core.datadir import ensure_secret_key; " \
           "print(ensure_secret_key(Path(sys.argv[1])))"
    data_dir = tmp_path / "var"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(data_dir)], env=_clean_env(data_dir), cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {proc.communicate(timeout=60)[0].strip() for proc in procs}
    assert keys == {(data_dir / "secret_key").read_text(encoding="ascii").strip()}
    assert sorted(p.name for p in data_dir.iterdir()) == ["secret_key"]  # no temporary file left behind


# ------------------------------------------------------------------------------------------------ product text

def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are module, class or function docstrings."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def test_product_text_does_not_cite_the_design_guide() -> None:
    """GUIDE.md is a design note outside the product: help texts, verbose names, messages, templates and
    command help never point at it. (Comments and internal docstrings may; migrations keep their history;
    the translations in duban/locale are regenerated from the code.)"""
    offending: list[str] = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or rel.startswith("locale/") or "/migrations/" in rel:
            continue
        if path.suffix in (".html", ".txt", ".js", ".json", ".md"):
            if "GUIDE" in path.read_text(encoding="utf-8", errors="replace"):
                offending.append(rel)
        elif path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            # API docstrings become the published OpenAPI descriptions: there, docstrings are product text.
            internal = set() if rel.startswith("api/") else _docstrings(tree)
            offending += [f"{rel}:{node.lineno}" for node in ast.walk(tree)
                          if isinstance(node, ast.Constant) and isinstance(node.value, str)
                          and "GUIDE" in node.value and id(node) not in internal]
    assert offending == []
