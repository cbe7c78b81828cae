"""Chinese first: every interface string is translated, the compiled catalogue matches its source, and
English is one switch away."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils import translation

import duban

PO = Path(duban.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.M)


def _unquote(block: str) -> str:
    return "".join(ast.literal_eval(line) for line in block.strip().splitlines())


def _entries() -> list[tuple[str, str]]:
    text = PO.read_text(encoding="utf-8")
    return [(_unquote(m.group(1)), _unquote(m.group(2))) for m in ENTRY.finditer(text) if _unquote(m.group(1))]


def test_every_string_is_translated_and_compiled() -> None:
    entries = _entries()
    assert len(entries) > 200
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")
    with translation.override("zh-hans"):
        for msgid, msgstr in entries:
            assert msgstr, f"untranslated: {msgid!r}"
            assert translation.gettext(msgid) == msgstr, f"stale .mo for {msgid!r}: run `make messages`"


def test_chinese_is_the_default_and_english_is_available(client, login) -> None:  # noqa: ANN001
    c = login("supervisor")
    assert "任务清单" in c.get("/tasks/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    body = c.get("/tasks/").content.decode()
    assert "Task list" in body and "任务清单" not in body


def test_dates_follow_chinese_convention(login) -> None:  # noqa: ANN001
    body = login("supervisor").get("/tasks/", {"sort": "-deadline"}).content.decode()
    assert "2026年12月31日" in body


def test_browser_language_does_not_override_chinese(client, db) -> None:  # noqa: ANN001
    assert "登录" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
