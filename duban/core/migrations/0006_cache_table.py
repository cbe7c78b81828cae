"""The table of the database cache (settings.CACHES), made here so `duban migrate` is the only setup step."""
from __future__ import annotations

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:  # noqa: ANN001
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_activitylog_seq_guards")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
