"""The hash-chained activity log: verify passes on the demo and names the first altered or missing entry;
triggers refuse edits; a retention purge keeps the chain verifiable; export keeps the Chinese; concurrent
appends never fork the chain.

Tampering in the session's tests: the triggers are dropped inside the test's own transaction (DDL is
transactional on SQLite and PostgreSQL), the row is changed with raw SQL, and the rollback at the end of the
test restores both. The end-to-end tests instead tamper with a database of their own, in separate processes,
as an operator with direct database access would: the trigger refuses the plain UPDATE, then is dropped.

Also run as a script by those tests: ``python tests/core/test_audit_chain.py append THREADS EACH``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = str(Path(__file__).resolve().parents[2])


# ---------------------------------------------------------------------------------------------- in session

@pytest.fixture
def chain(db):  # noqa: ANN001, ANN201
    """The module under test, with verify's messages in English for the assertions."""
    from django.utils import translation

    from duban.core import chain

    with translation.override("en"):
        yield chain


def _unguarded() -> None:
    """Drop the triggers for the rest of this test (its rollback brings them back)."""
    from django.db import connection

    from duban.core.chain import remove_guards

    remove_guards(connection)


def _raw(sql: str, *params: object) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _middle_entry():  # noqa: ANN202
    from duban.core.models import ActivityLog

    return ActivityLog.objects.order_by("seq")[ActivityLog.objects.count() // 2]


def test_the_demo_chain_verifies(chain) -> None:  # noqa: ANN001
    from django.core.management import call_command

    from duban.core.models import ActivityLog, AuditChainHead

    result = chain.verify()
    count = ActivityLog.objects.count()
    assert result.ok and result.count == count > 100 and (result.first, result.last) == (1, count)
    last = ActivityLog.objects.order_by("-seq").first()
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (last.seq, last.hash) and len(last.hash) == 64
    assert chain.missing_guards() == []
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith(f"OK: {count} entries, chain intact")
    assert chain.verify(start=count - 5).count == 6
    assert "There is no entry" in chain.verify(start=count + 1).problem


def test_entries_link_and_the_algorithm_can_change(chain, settings, zhujian_task) -> None:  # noqa: ANN001
    from duban.core import audit
    from duban.core.models import ActivityLog

    first = audit.record(None, "task.update", zhujian_task, summary="用 SHA-256")
    settings.DUBAN_AUDIT_HASH = "sm3"
    second = audit.record(None, "task.update", zhujian_task, summary="用 SM3 杂凑",
                          before={"owner": ("张三",), 7: Decimal("1.50")}, after={"big": 1e16, "x": 0.1})
    assert (first.algo, second.algo) == ("sha256", "sm3")
    assert second.seq == first.seq + 1 and second.prev_hash == first.hash
    stored = ActivityLog.objects.get(pk=second.pk)
    assert stored.hash == second.hash == chain.entry_hash("sm3", stored)
    assert chain.verify().ok
    settings.DUBAN_AUDIT_HASH = "md5"
    with pytest.raises(Exception, match="DUBAN_AUDIT_HASH"):
        audit.record(None, "task.update", zhujian_task)


def test_the_database_refuses_changes_and_deletions(chain) -> None:  # noqa: ANN001
    from django.db import DatabaseError, connection, transaction

    entry = _middle_entry()
    statements = [f"UPDATE core_activitylog SET summary = 'x' WHERE seq = {entry.seq}",
                  f"DELETE FROM core_activitylog WHERE seq >= {entry.seq}"]
    if connection.vendor == "postgresql":  # TRUNCATE fires no row triggers: refused by a statement trigger
        statements.append("TRUNCATE core_activitylog, core_auditanchor")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql)
    assert chain.verify().ok


def test_verify_names_an_entry_changed_in_the_database(chain) -> None:  # noqa: ANN001
    from django.core.management import CommandError, call_command

    entry = _middle_entry()
    _unguarded()
    _raw("UPDATE core_activitylog SET summary = %s WHERE seq = %s", "改过的摘要", entry.seq)
    result = chain.verify()
    assert not result.ok and result.broken == entry.seq and result.count == entry.seq - 1
    assert f"Entry {entry.seq} (id {entry.pk}" in result.problem and "altered" in result.problem
    with pytest.raises(CommandError, match=f"BROKEN: Entry {entry.seq} ") as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1


def test_verify_catches_an_entry_changed_and_hashed_again(chain) -> None:  # noqa: ANN001
    from duban.core.models import ActivityLog

    entry = _middle_entry()
    _unguarded()
    entry.summary = "悄悄改过"
    _raw("UPDATE core_activitylog SET summary = %s, hash = %s WHERE seq = %s",
         entry.summary, chain.entry_hash(entry.algo, entry), entry.seq)
    assert ActivityLog.objects.get(pk=entry.pk).summary == "悄悄改过"
    result = chain.verify()
    assert not result.ok and result.broken == entry.seq and f"Entry {entry.seq} was altered" in result.problem


def test_verify_catches_a_deleted_entry(chain) -> None:  # noqa: ANN001
    entry = _middle_entry()
    _unguarded()
    _raw("DELETE FROM core_activitylog WHERE seq = %s", entry.seq)
    result = chain.verify()
    assert not result.ok and result.broken == entry.seq and f"Entry {entry.seq} is missing" in result.problem


def test_verify_catches_entries_cut_off_the_end(chain) -> None:  # noqa: ANN001
    from duban.core.models import AuditChainHead

    last = AuditChainHead.objects.get().seq
    _unguarded()
    _raw("DELETE FROM core_activitylog WHERE seq >= %s", last - 1)
    result = chain.verify()
    assert not result.ok and result.broken == last - 1 and "missing" in result.problem


def test_verify_reports_missing_triggers(chain) -> None:  # noqa: ANN001
    from django.core.management import CommandError, call_command

    _unguarded()
    assert chain.verify().ok and chain.missing_guards()
    with pytest.raises(CommandError, match="UNPROTECTED"):
        call_command("audit", "verify")
    call_command("audit", "protect", stdout=io.StringIO())
    assert chain.missing_guards() == []
    call_command("audit", "verify", stdout=io.StringIO())


def test_purge_keeps_the_chain_verifiable(chain, settings, zhujian_task) -> None:  # noqa: ANN001
    import time_machine
    from django.core.management import CommandError, call_command
    from django.db import DatabaseError, transaction

    from duban.core import audit
    from duban.core.models import ActivityLog, AuditAnchor

    demo = ActivityLog.objects.count()
    settings.DUBAN_AUDIT_RETENTION_DAYS = 30
    assert chain.retention_days() == 180  # never less than six months
    settings.DUBAN_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(chain.RetentionError):  # today's entries are all inside the window
        chain.purge(dt.date(2026, 11, 1))
    with time_machine.travel(dt.datetime(2027, 12, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        kept = [audit.record(None, "task.update", zhujian_task, summary=f"一年后 {i}") for i in range(3)]
        with pytest.raises(CommandError, match="REFUSED: Entries are kept for 365 days"):
            call_command("audit", "purge", "--before", "2026-12-02")
        out = io.StringIO()
        call_command("audit", "purge", "--before", "2026-12-01", stdout=out)
        assert f"Purged {demo} entries" in out.getvalue()
        anchor = AuditAnchor.objects.get()
        assert (anchor.seq, anchor.hash, anchor.removed) == (kept[0].seq, kept[0].hash, demo)
        assert ActivityLog.objects.order_by("seq").first().seq == kept[0].seq
        assert ActivityLog.objects.filter(action="audit.purge").count() == 1
        result = chain.verify()
        assert result.ok and result.first == kept[0].seq and result.count == 4  # 3 kept + the purge's own
        assert chain.purge(dt.date(2026, 12, 1)) is None
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():  # only below the anchor
            _raw("DELETE FROM core_activitylog WHERE seq = %s", kept[1].seq)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw("DELETE FROM core_auditanchor")
        # A purge never runs over a broken chain: it would erase the evidence.
        _unguarded()
        _raw("UPDATE core_activitylog SET summary = 'x' WHERE seq = %s", kept[1].seq)
        with pytest.raises(chain.RetentionError, match="broken"):
            chain.purge(dt.date(2026, 12, 1))


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_writes_the_chinese_intact(chain, tmp_path) -> None:  # noqa: ANN001
    from django.core.management import call_command

    from duban.core.models import ActivityLog

    out = tmp_path / "log.csv"
    call_command("audit", "export", "--out", str(out), "--since", "2026-11-18", "--until", "2026-11-18",
                 stdout=io.StringIO())
    header, *rows = _read_csv(out.read_bytes())
    assert header[:5] == ["序号", "时间", "操作人", "操作", "说明"]
    entries = ActivityLog.objects.order_by("seq")
    assert [int(r[0]) for r in rows] == list(entries.values_list("seq", flat=True))
    task_entry = entries.filter(action="task.create").first()
    row = next(r for r in rows if int(r[0]) == task_entry.seq)
    assert row[7] == task_entry.summary and any("\u4e00" <= ch <= "\u9fff" for ch in row[7])
    assert row[4] == "创建了任务" and row[-1] == task_entry.hash
    call_command("audit", "export", "--out", str(out), "--until", "2026-11-17", stdout=io.StringIO())
    assert len(_read_csv(out.read_bytes())) == 1  # the header only


def test_admin_search_export_and_verify(chain, login, zhujian_task) -> None:  # noqa: ANN001
    from django.contrib.messages import SUCCESS, get_messages

    from duban.core.models import ActivityLog

    c = login("admin")
    own = ActivityLog.objects.filter(object_type="tasks.task", object_id=str(zhujian_task.pk))
    response = c.get("/admin/core/activitylog/", {"q": f"tasks.task#{zhujian_task.pk}"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == list(own)
    page = response.content.decode()
    assert "校验哈希链" in page and f'export/?q=tasks.task%23{zhujian_task.pk}"' in page
    assert c.get("/admin/core/activitylog/", {"q": "zhujian", "action__exact": "task.acknowledge",
                                              "at__year": "2026", "at__month": "11"}).status_code == 200
    response = c.get("/admin/core/activitylog/export/", {"q": f"tasks.task#{zhujian_task.pk}"})
    assert response.status_code == 200 and response.streaming
    rows = _read_csv(b"".join(response.streaming_content))[1:]
    assert [int(r[0]) for r in rows] == sorted(own.values_list("seq", flat=True))
    assert rows[0][7] == own.order_by("seq").first().summary
    response = c.get("/admin/core/activitylog/verify/")
    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [SUCCESS]
    assert login("zhujian").get("/admin/core/activitylog/export/").status_code == 302  # to the admin login


# ---------------------------------------------------------------------------------------------- processes

def _env(data_dir: Path, url: str | None) -> dict[str, str]:
    env = {**os.environ, "DUBAN_DATA_DIR": str(data_dir), "PYTHONPATH": ROOT,
           "DJANGO_SETTINGS_MODULE": "duban.settings"}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def _duban(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duban", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`duban demo --no-serve` once, in a process and database of its own; each test works on a copy."""
    from tests.support import fresh_database

    data_dir = tmp_path_factory.mktemp("audit-template")
    done = _duban(_env(data_dir, fresh_database("audit_template")), "demo", "--no-serve")
    assert done.returncode == 0, done.stderr[-3000:]
    return data_dir


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> dict[str, str]:
    from tests.support import fresh_database

    data_dir = tmp_path / "data"
    shutil.copytree(demo_template, data_dir)
    return _env(data_dir, fresh_database("audit", template="audit_template"))


def _sql(env: dict[str, str], *statements: str) -> None:
    """Run statements directly against the copy's database, as someone with database access would."""
    from tests.support import postgres_config

    if postgres_config():
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)
        return
    conn = sqlite3.connect(Path(env["DUBAN_DATA_DIR"]) / "duban.sqlite3", isolation_level=None, timeout=10)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def test_verify_passes_on_the_demo_and_fails_after_a_direct_edit(demo_copy: dict[str, str]) -> None:
    from tests.support import postgres_config

    done = _duban(demo_copy, "audit", "verify")
    assert done.returncode == 0 and done.stdout.startswith("OK: ") and "entries, chain intact" in done.stdout
    edit = "UPDATE core_activitylog SET summary = '已篡改' WHERE seq = 42"
    with pytest.raises(Exception, match="append-only"):
        _sql(demo_copy, edit)
    drop = ("DROP TRIGGER duban_audit_guard ON core_activitylog" if postgres_config()
            else "DROP TRIGGER duban_audit_no_update")
    _sql(demo_copy, drop, edit)
    done = _duban(demo_copy, "audit", "verify")
    assert done.returncode == 1 and "BROKEN: Entry 42 (id " in done.stderr, done.stderr


def test_verify_fails_after_a_row_is_deleted_directly(demo_copy: dict[str, str]) -> None:
    from tests.support import postgres_config

    drop = ("DROP TRIGGER duban_audit_guard ON core_activitylog" if postgres_config()
            else "DROP TRIGGER duban_audit_no_delete")
    _sql(demo_copy, drop, "DELETE FROM core_activitylog WHERE seq = 7")
    done = _duban(demo_copy, "audit", "verify")
    assert done.returncode == 1 and "BROKEN: Entry 7 is missing" in done.stderr, done.stderr


def test_concurrent_appends_never_fork_the_chain(demo_copy: dict[str, str]) -> None:
    done = _duban(demo_copy, "audit", "verify")
    before = int(done.stdout.split()[1])
    run = subprocess.run([sys.executable, __file__, "append", "4", "25"], env=demo_copy, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"appended": 100, "errors": []}
    done = _duban(demo_copy, "audit", "verify")
    assert done.returncode == 0 and done.stdout.startswith(f"OK: {before + 100} entries, chain intact"), done


def _append_concurrently(threads: int, each: int) -> dict:
    """``threads`` threads, each with its own connection, appending ``each`` entries in transactions that
    stay open a moment after appending, all released at once: the chain must come out unbroken."""
    import time

    from django.db import connection, transaction

    from duban.core import audit
    from duban.tasks.models import Task

    task = Task.objects.order_by("pk").first()
    start = threading.Barrier(threads)
    appended: list[int] = []
    errors: list[str] = []

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with transaction.atomic():
                    audit.record(None, "task.comment", task, summary=f"线程 {n} 第 {i} 条")
                    time.sleep(0.002)
                appended.append(n)
        except Exception as exc:  # noqa: BLE001 — reported to the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"appended": len(appended), "errors": errors}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    mode, *args = sys.argv[1:]
    assert mode == "append"
    print(json.dumps(_append_concurrently(*map(int, args)), ensure_ascii=False), flush=True)
