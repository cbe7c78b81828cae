"""Count the interactions of "the first week of a new office" (tests/browser/test_first_week.py).

    python benchmarks/first_week.py

Runs that browser test (a real Chromium on an empty database) with DUBAN_INTERACTIONS set, so it records
how many clicks, filled fields, chosen options and chosen files each step took, and rewrites the
`## First week of a new office` section of BENCHMARKS.md. Typing a field counts once, whatever its length;
page loads that follow a click are not counted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.sections import write_section  # noqa: E402

TEST = "tests/browser/test_first_week.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp()) / "interactions.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST], cwd=REPO, check=True,
                   env={**os.environ, "DUBAN_INTERACTIONS": str(out)})
    seconds = time.perf_counter() - start
    counts: dict[str, int] = json.loads(out.read_text(encoding="utf-8"))
    lines = [
        "## First week of a new office",
        "",
        f"`python benchmarks/first_week.py` — runs `{TEST}` (headless Chromium, SQLite, {dt.date.today()}; "
        f"the whole run took {seconds:.0f} s including start-up).",
        "",
        "An empty database, not the demo. Interactions are what a person does: a click, a field filled in, an "
        "option chosen, a file chosen (typing one field counts once). The office's clerk works at a desk "
        "(1280×900); the liaison on a phone (375×800). Every step is done through the menus and buttons a user "
        "sees, not by typing addresses, except the login page.",
        "",
        "| step | interactions |",
        "|---|---|",
        *[f"| {step} | {n} |" for step, n in counts.items()],
        f"| **total** | **{sum(counts.values())}** |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text, REPO / "BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
