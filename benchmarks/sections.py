"""BENCHMARKS.md is shared by the scripts here: each rewrites only its own `## …` section."""
from __future__ import annotations

import re
from pathlib import Path

HEADER = "# Benchmarks\n\nFigures printed by the scripts in `benchmarks/`; each script rewrites only its own section.\n"


def write_section(text: str, path: Path) -> None:
    """Replace the section whose title is ``text``'s first line (append it if absent)."""
    title = text.splitlines()[0]
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    block = text.rstrip("\n") + "\n\n"
    updated = pattern.sub(lambda _m: block, current, count=1) if pattern.search(current) else \
        current.rstrip("\n") + "\n\n" + block
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def cpu() -> str:
    """The processor's model name, as each section states what it was measured on."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"
