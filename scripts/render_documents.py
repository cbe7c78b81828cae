#!/usr/bin/env python
"""Render every kind of official document from a data directory holding the demo, so layout can be checked
by eye: .docx → PDF (LibreOffice, with the font fallbacks of duban/documents/fonts.conf) → PNG (pdftoppm).

    DUBAN_DATA_DIR=/tmp/demo .venv/bin/duban demo --no-serve
    .venv/bin/python scripts/render_documents.py --data-dir /tmp/demo --out /tmp/documents [--as-of 2026-11-18]

Reads only: when the data has no briefing, one is built in memory from the first tasks with accepted reports.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", help="DUBAN_DATA_DIR with the demo (default: the environment's)")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat)
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    if args.data_dir:
        os.environ["DUBAN_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from duban.documents import builders, pdf
    from duban.documents.models import Briefing
    from duban.letters.models import Letter
    from duban.tasks.models import Task

    as_of = args.as_of or timezone.localdate()
    args.out.mkdir(parents=True, exist_ok=True)
    letters = list(Letter.objects.select_related("unit").order_by("issued_on", "id")[:3])
    briefing = Briefing.objects.order_by("-year", "-seq").first()
    if briefing is None:
        picked = list(Task.objects.actionable().filter(reports__state="accepted")
                      .order_by("path").values_list("pk", flat=True).distinct()[:3])
        briefing = Briefing(
            year=as_of.year, seq=1, title="重点任务推进情况", issued_on=as_of,
            lead="今年以来,各责任单位对照任务清单挂图作战,重点任务总体推进有序。现将部分单位的做法摘编如下。",
            items=builders.briefing_items(Task.objects.filter(pk__in=picked), as_of))
    documents = {
        "report": lambda: builders.build_report(Task.objects.actionable(), as_of),
        "bulletin": lambda: builders.build_bulletin(Task.objects.all(), as_of, builders.bulletin_rankings(as_of)),
        "briefing": lambda: builders.build_briefing(briefing),
    }
    if letters:
        documents["letter"] = lambda: builders.build_letter(letters[0])
        documents["letters"] = lambda: builders.build_letters(letters)
    for name, build in documents.items():
        started = time.perf_counter()
        data = builders.render(build())
        elapsed = time.perf_counter() - started
        (args.out / f"{name}.docx").write_bytes(data)
        line = f"{name}.docx {len(data):,} bytes in {elapsed:.2f} s"
        if pdf.available():
            (args.out / f"{name}.pdf").write_bytes(pdf.docx_to_pdf(data))
            line += ", .pdf"
            if shutil.which("pdftoppm"):
                for old in args.out.glob(f"{name}-*.png"):
                    old.unlink()
                subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(args.out / f"{name}.pdf"),
                                str(args.out / name)], check=True)
                line += f", {len(list(args.out.glob(f'{name}-*.png')))} .png"
        else:
            line += " (no LibreOffice: no PDF)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
