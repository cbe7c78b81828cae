"""Chain the entries written before the log was a hash chain, in id order, and create the chain head."""
from django.db import migrations

BATCH = 1000


def chain_existing(apps, schema_editor) -> None:  # noqa: ANN001
    from duban.core.chain import GENESIS, configured_algo, entry_hash

    ActivityLog = apps.get_model("core", "ActivityLog")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    algo = configured_algo()
    seq, prev, last_id = 0, GENESIS, 0
    while True:
        page = list(ActivityLog.objects.using(db).filter(id__gt=last_id).order_by("id")[:BATCH])
        if not page:
            break
        for entry in page:
            seq += 1
            entry.seq, entry.algo, entry.prev_hash = seq, algo, prev
            entry.hash = prev = entry_hash(algo, entry)
        ActivityLog.objects.using(db).bulk_update(page, ["seq", "algo", "prev_hash", "hash"])
        last_id = page[-1].id
    AuditChainHead.objects.using(db).create(pk=1, seq=seq, hash=prev)


def unchain(apps, schema_editor) -> None:  # noqa: ANN001
    apps.get_model("core", "AuditChainHead").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_activitylog_chain'),
    ]

    operations = [
        migrations.RunPython(chain_existing, unchain),
    ]
