"""Every entry now has its seq; the triggers that refuse changing or deleting entries (see chain.py)."""
from django.db import migrations, models


def install(apps, schema_editor) -> None:  # noqa: ANN001
    from duban.core.chain import install_guards

    install_guards(schema_editor.connection)


def remove(apps, schema_editor) -> None:  # noqa: ANN001
    from duban.core.chain import remove_guards

    remove_guards(schema_editor.connection)


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
