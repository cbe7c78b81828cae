"""One template row per kind of document, with the built-in wording, for the office to edit in the admin."""
from __future__ import annotations

from django.db import migrations

from duban.documents.defaults import DEFAULT_TEMPLATES


def create_defaults(apps, schema_editor) -> None:
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, fields in DEFAULT_TEMPLATES.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
