"""`duban export report|bulletin|ledger|letters|briefing [--as-of DATE] [--unit NAME] [--source ID] --out FILE`: the same
files as the web, written from the command line (.docx or .pdf by the extension of --out; letters also .zip)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from duban.documents import builders, pdf, services
from duban.documents.gbt9704 import Document
from duban.documents.models import Briefing
from duban.letters.models import Letter
from duban.tasks.filters import TaskFilter
from duban.tasks.models import SourceDocument, Task
from duban.units.models import Unit
from duban.units.services import find_unit

KINDS = ("report", "bulletin", "ledger", "letters", "briefing")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{value}") from exc


class Command(BaseCommand):
    help = "Export the implementation report, bulletin, ledger, letters or a briefing to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--unit", help="only this unit's tasks or letters (full name, short name or alias)")
        parser.add_argument("--source", help="report, bulletin, ledger: only the tasks of this source document "
                                                 "(its number on the source list, or its title or short title)")
        parser.add_argument("--issue", type=int, help="briefing: the issue number in the as-of year (default: "
                                                      "the latest)")
        parser.add_argument("--out", required=True, help=".docx or .pdf (ledger: .xlsx; letters: also .zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        out = Path(options["out"])
        as_of: dt.date = options["as_of"] or timezone.localdate()
        unit = self._unit(options["unit"])
        self.source = self._source(options["source"])
        suffix = out.suffix.lower()
        if kind == "ledger":
            count = self._ledger(unit, out, as_of)
        else:
            if suffix not in (".docx", ".pdf") and not (kind == "letters" and suffix == ".zip"):
                raise CommandError("--out must end in .docx or .pdf" + (" or .zip" if kind == "letters" else ""))
            if suffix == ".pdf" and not pdf.available():
                raise CommandError("PDF needs LibreOffice (soffice), which is not installed")
            count = self._document(kind, unit, out, as_of, options["issue"])
        services.record_generated(None, kind, as_of=as_of, fmt=suffix.lstrip("."),
                                  detail={"unit": unit.pk if unit else None, "count": count, "cli": True,
                                          "source": self.source.pk if self.source else None})
        self.stdout.write(f"{out} ({count})")

    @staticmethod
    def _unit(name: str | None) -> Unit | None:
        if not name:
            return None
        unit = find_unit(name)
        if unit is None:
            raise CommandError(f"未找到单位:{name}")
        return unit

    @staticmethod
    def _source(name: str | None) -> SourceDocument | None:
        if not name:
            return None
        sources = SourceDocument.objects.filter(Q(title=name) | Q(short_title=name))
        source = (SourceDocument.objects.filter(pk=int(name)).first() if name.isascii() and name.isdigit()
                  else sources.order_by("-pk").first())
        if source is None:
            raise CommandError(f"未找到来源文件:{name}")
        return source

    def _tasks(self, unit: Unit | None) -> Any:
        return TaskFilter(unit=unit.pk if unit else None, source=self.source.pk if self.source else None
                          ).apply(Task.objects.actionable())

    def _ledger(self, unit: Unit | None, out: Path, as_of: dt.date) -> int:
        try:
            from duban.exports.ledger import write_ledger
        except (ImportError, AttributeError) as exc:
            raise CommandError("the ledger export is not available in this installation") from exc
        tasks = self._tasks(unit)
        write_ledger(tasks, out, as_of=as_of)
        return tasks.count()

    def _document(self, kind: str, unit: Unit | None, out: Path, as_of: dt.date, issue: int | None) -> int:
        if kind == "report":
            tasks = self._tasks(unit)
            document, count = builders.build_report(tasks, as_of), tasks.count()
        elif kind == "bulletin":
            tasks = Task.objects.filter(source=self.source) if self.source else Task.objects.all()
            document, count = builders.build_bulletin(tasks, as_of, builders.bulletin_rankings(as_of)), 1
        elif kind == "briefing":
            briefings = Briefing.objects.filter(year=as_of.year)
            briefing = (briefings.filter(seq=issue) if issue else briefings.order_by("-seq")).first()
            if briefing is None:
                raise CommandError("没有这一期简报" if issue else f"{as_of.year}年还没有简报")
            document, count = builders.build_briefing(briefing), 1
        else:
            letters = Letter.objects.select_related("unit").order_by("issued_on", "id")
            if unit:
                letters = letters.filter(unit=unit)
            letters = list(letters)
            if out.suffix.lower() == ".zip":
                self._zip(letters, out)
                return len(letters)
            document, count = builders.build_letters(letters), len(letters)
        self._write(document, out)
        return count

    @staticmethod
    def _write(document: Document, out: Path) -> None:
        data = builders.render(document)
        out.write_bytes(pdf.docx_to_pdf(data) if out.suffix.lower() == ".pdf" else data)

    @staticmethod
    def _zip(letters: list[Letter], out: Path) -> None:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for letter in letters:
                archive.writestr(f"{letter.number}.docx", builders.render(builders.build_letter(letter)))
