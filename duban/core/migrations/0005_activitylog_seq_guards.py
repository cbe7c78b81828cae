"""Every entry now has its seq; the triggers that refuse changing or deleting entries.

Self-contained on purpose: the trigger SQL below is a frozen copy of ``install_guards`` / ``remove_guards``
in ``duban.core.chain`` as they were when this migration was written (trigger names included, so that
``duban audit protect`` and ``missing_guards`` recognise them), so later changes to the live code cannot change
what this migration does. The table names come from the historical models.
"""
from __future__ import annotations

from django.db import migrations, models

_PG_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION duban_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '{log}' THEN
        IF EXISTS (SELECT 1 FROM {anchor} WHERE seq > OLD.seq) THEN
            RETURN OLD;  -- below a purge anchor: a retention purge
        END IF;
    END IF;
    RAISE EXCEPTION 'duban: % on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$"""


def _tables(apps) -> tuple[str, str]:  # noqa: ANN001
    return (apps.get_model("core", "ActivityLog")._meta.db_table,
            apps.get_model("core", "AuditAnchor")._meta.db_table)


def _guards(vendor: str, log: str, anchor: str) -> dict[str, str]:
    """Trigger name → SQL creating it, for ``vendor``; empty for databases Duban does not run on."""
    if vendor == "postgresql":
        row = "BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION duban_audit_guard()"
        truncate = "BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION duban_audit_guard()"
        return {f"{name}:{table}": f"CREATE TRIGGER {name} " + sql.format(table=table)
                for table in (log, anchor)
                for name, sql in (("duban_audit_guard", row), ("duban_audit_no_truncate", truncate))}
    if vendor == "sqlite":
        refuse = "BEGIN SELECT RAISE(ABORT, 'duban: the audit log is append-only'); END"
        return {
            "duban_audit_no_update": f"CREATE TRIGGER duban_audit_no_update BEFORE UPDATE ON {log} {refuse}",
            "duban_audit_no_delete": f"CREATE TRIGGER duban_audit_no_delete BEFORE DELETE ON {log} "
                                     f"WHEN NOT EXISTS (SELECT 1 FROM {anchor} WHERE seq > OLD.seq) {refuse}",
            "duban_anchor_no_update": f"CREATE TRIGGER duban_anchor_no_update BEFORE UPDATE ON {anchor} "
                                      f"{refuse}",
            "duban_anchor_no_delete": f"CREATE TRIGGER duban_anchor_no_delete BEFORE DELETE ON {anchor} "
                                      f"{refuse}",
        }
    return {}


def _drop(vendor: str, key: str) -> str:
    if vendor == "postgresql":
        name, table = key.split(":")
        return f"DROP TRIGGER IF EXISTS {name} ON {table}"
    return f"DROP TRIGGER IF EXISTS {key}"


def install(apps, schema_editor) -> None:  # noqa: ANN001
    conn = schema_editor.connection
    log, anchor = _tables(apps)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(_PG_GUARD_FUNCTION.format(log=log, anchor=anchor))
        for key, sql in _guards(conn.vendor, log, anchor).items():
            cursor.execute(_drop(conn.vendor, key))
            cursor.execute(sql)


def remove(apps, schema_editor) -> None:  # noqa: ANN001
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        for key in _guards(conn.vendor, *_tables(apps)):
            cursor.execute(_drop(conn.vendor, key))
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS duban_audit_guard()")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_chain_existing_entries'),
    ]

    operations = [
        migrations.AlterField(
            model_name='activitylog',
            name='seq',
            field=models.BigIntegerField(editable=False, unique=True, verbose_name='sequence number'),
        ),
        migrations.RunPython(install, remove),
    ]
