"""`duban export …` writes the same documents as the web, and PDFs through LibreOffice."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as read_docx

from duban import ingest
from duban.core.models import ActivityLog
from duban.documents import builders, pdf
from duban.documents.services import create_briefing
from duban.letters.models import Letter
from duban.tasks.models import Task
from duban.units.services import find_unit


def _texts(path: Path) -> list[str]:
    return [p.text for p in read_docx(str(path)).paragraphs]


def test_export_report_has_all_78_tasks_and_parses_back(db, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    call_command("export", "report", "--as-of", "2026-11-18", "--out", str(out))
    texts = _texts(out)
    assert sum(t.startswith("责任单位：") for t in texts) == 78
    assert sum(t.startswith("落实情况：") for t in texts) == 78
    assert len(ingest.parse_file(str(out), date=dt.date(2026, 11, 18)).tasks) == 78
    entry = ActivityLog.objects.filter(action="document.generate").order_by("-seq").first()
    assert entry.actor is None and entry.after["cli"] and entry.after["count"] == 78


def test_export_report_of_one_unit(db, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    call_command("export", "report", "--unit", "区住建局", "--out", str(out))
    expected = Task.objects.actionable().filter(task_units__unit=find_unit("区住建局")).distinct().count()
    assert sum(t.startswith("责任单位：") for t in _texts(out)) == expected == 9


def test_export_is_the_same_document_as_the_web(db, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    call_command("export", "bulletin", "--as-of", "2026-11-18", "--out", str(out))
    web = builders.render(builders.build_bulletin(Task.objects.all(), dt.date(2026, 11, 18)))
    assert _texts(out) == [p.text for p in read_docx(io.BytesIO(web)).paragraphs]


def test_export_letters_one_file_or_a_zip(db, tmp_path: Path) -> None:
    unit = find_unit("区住建局")
    letters = list(Letter.objects.filter(unit=unit))
    assert letters
    archive = tmp_path / "l.zip"
    call_command("export", "letters", "--unit", "区住建局", "--out", str(archive))
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == sorted(f"{letter.number}.docx" for letter in letters)
    out = tmp_path / "l.docx"
    call_command("export", "letters", "--out", str(out))
    texts = _texts(out)
    assert all(letter.number in texts for letter in Letter.objects.all())


def test_export_briefing(db, user, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("export", "briefing", "--as-of", "2026-11-18", "--out", str(tmp_path / "x.docx"))
    briefing = create_briefing(user("supervisor"), tasks=list(Task.objects.actionable()[:1]),
                               issued_on=dt.date(2026, 11, 18))
    out = tmp_path / "br.docx"
    call_command("export", "briefing", "--as-of", "2026-11-18", "--out", str(out))
    assert f"第{briefing.seq}期" in _texts(out)


def test_export_refuses_unknown_units_and_extensions(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("export", "report", "--unit", "不存在的局", "--out", str(tmp_path / "r.docx"))
    with pytest.raises(CommandError):
        call_command("export", "report", "--out", str(tmp_path / "r.txt"))


def test_export_ledger_delegates_to_the_ledger_writer(db, tmp_path: Path, monkeypatch) -> None:
    calls = []
    from duban.exports import ledger

    monkeypatch.setattr(ledger, "write_ledger", lambda tasks, path, as_of: calls.append((tasks.count(), path, as_of)))
    call_command("export", "ledger", "--as-of", "2026-11-18", "--unit", "区人社局", "--out", str(tmp_path / "l.xlsx"))
    assert calls == [(6, tmp_path / "l.xlsx", dt.date(2026, 11, 18))]


def test_pdf_conversion_through_libreoffice(db, tmp_path: Path) -> None:
    assert pdf.available(), "LibreOffice (soffice) must be installed for the PDF tests"
    out = tmp_path / "r.pdf"
    call_command("export", "report", "--unit", "区人社局", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    # the Chinese text is set in a CJK face: the official one, or the fallback of fonts.conf
    assert any(name in data for name in (b"CJK", b"FangSong", b"GB2312", b"SimSun"))
