"""Duban steps in a process of their own, on the database and data directory of its environment, for the
backup tests (see test_backup.py). Prints one JSON line.

    python tests/security/harness.py demo       `duban demo --no-serve` (with a fast password hasher)
    python tests/security/harness.py extras     add what the demo lacks: binary evidence, a generated file,
                                                groups and permissions, an admin log entry, a comment
    python tests/security/harness.py snapshot   every row of every model, every file, and the API's view
    python tests/security/harness.py rows       every row of every model and every file, nothing written
    python tests/security/harness.py state      tables with rows, files, applied migrations (cheap)
    python tests/security/harness.py write      new rows after a restore: fresh ids (sequences were reset)
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # demo accounts, quickly


def _plain(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _files() -> dict[str, str]:
    from django.conf import settings

    out = {}
    for name, root in (("uploads", Path(settings.MEDIA_ROOT)), ("generated", Path(settings.GENERATED_ROOT))):
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[f"{name}/{path.relative_to(root).as_posix()}"] = digest
    return out


def _rows() -> dict[str, Any]:
    """Per model (auto-created m2m tables included): row count and a digest of every value of every row."""
    from django.apps import apps

    out = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label == "sessions.session" or model._meta.proxy:
            continue
        if model._meta.auto_created:  # an m2m table: its own ids are not data
            names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            rows = sorted(model._base_manager.values_list(*names))
        else:
            rows = list(model._base_manager.order_by("pk").values())
        blob = json.dumps(rows, default=_plain, sort_keys=True, ensure_ascii=False)
        out[label] = [len(rows), hashlib.sha256(blob.encode()).hexdigest()]
    return out


def _api() -> dict[str, Any]:
    from django.test import Client

    from duban.api.auth import issue_token
    from duban.people.models import User

    token = issue_token(None, User.objects.get(username="supervisor"), "backup-test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    out = {}
    for path in ("/api/v1/tasks", "/api/v1/reports", "/api/v1/letters"):
        results, page = [], 1
        while True:
            response = client.get(path, {"page": page, "page_size": 200})
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
            body = response.json()
            results += body["results"]
            if len(results) >= body["count"] or not body["results"]:
                break
            page += 1
        out[path] = results
    return out


def do_snapshot() -> dict:
    rows = _rows()  # before the API calls below, which write (a token, log entries)
    files = _files()
    chain = None
    try:
        from duban.core import chain as audit_chain
    except ImportError:
        pass
    else:
        result = audit_chain.verify()
        chain = {"ok": result.ok, "count": result.count, "problem": str(result.problem or "")}
    return {"rows": rows, "files": files, "chain": chain, "api": _api()}


def do_demo() -> dict:
    from django.core.management import call_command

    call_command("demo", "--no-serve")
    return {"ok": True}


def do_rows() -> dict:
    return {"rows": _rows(), "files": _files()}


def do_state() -> dict:
    from django.db import connection

    from duban.core.backup import applied_migrations, nonempty_tables

    return {"tables": nonempty_tables(connection), "files": _files(),
            "migrations": applied_migrations(connection) if "django_migrations" in
            connection.introspection.table_names() else {}}


def do_write() -> dict:
    from duban.people.models import User
    from duban.tasks.models import Comment, Task
    from duban.tasks.services import add_comment

    before = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    task = Task.objects.actionable().order_by("-path").first()
    comment = add_comment(User.objects.get(username="leader"), task, "恢复后新增的批示。")
    return {"before": before, "new": comment.pk}


def do_extras() -> dict:
    """Data the demo does not have, so that the round trip covers it: binary files in uploads/ and
    generated/, m2m rows to Group and Permission, an admin LogEntry (a ContentType id), a comment."""
    from django.conf import settings
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from duban.people.models import User
    from duban.tasks.models import Task
    from duban.tasks.reporting.models import ProgressReport, ReportAttachment
    from duban.tasks.services import add_comment

    blob = bytes(range(256)) * 40 + "证据材料".encode("gb18030")
    report = ProgressReport.objects.order_by("pk").first()
    attachment = ReportAttachment(report=report, name="现场照片.bin", size=len(blob))
    attachment.file.save("现场照片.bin", ContentFile(blob), save=True)
    generated = Path(settings.GENERATED_ROOT) / "reports" / "2026" / "通报-第1期.txt"
    generated.parent.mkdir(parents=True, exist_ok=True)
    generated.write_bytes("督查通报\r\n".encode() + b"\x00\xff")
    supervisor = User.objects.get(username="supervisor")
    group = Group.objects.create(name="督查室")
    group.permissions.set(Permission.objects.filter(content_type__app_label="tasks")[:5])
    supervisor.groups.add(group)
    supervisor.user_permissions.add(Permission.objects.get(codename="view_letter"))
    task = Task.objects.actionable().order_by("path").first()
    LogEntry.objects.create(user=supervisor, content_type=ContentType.objects.get_for_model(Task),
                            object_id=str(task.pk), object_repr=str(task)[:200], action_flag=CHANGE,
                            change_message="changed deadline")
    add_comment(User.objects.get(username="leader"), task, "请加快进度,月底前报结果。")
    return {"ok": True}


if __name__ == "__main__":
    _setup()
    print(json.dumps(globals()[f"do_{sys.argv[1]}"](*sys.argv[2:]), ensure_ascii=False), flush=True)
