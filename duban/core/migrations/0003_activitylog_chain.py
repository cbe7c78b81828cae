"""Hash chain fields on the activity log, the chain head and purge anchors (filled in by 0004)."""
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='activitylog',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='time'),
        ),
        migrations.AddField(
            model_name='activitylog',
            name='seq',
            field=models.BigIntegerField(editable=False, null=True, verbose_name='sequence number'),
        ),
        migrations.AddField(
            model_name='activitylog',
            name='algo',
            field=models.CharField(default='', editable=False, max_length=10, verbose_name='hash algorithm'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='activitylog',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='previous hash'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='activitylog',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(default=0)),
                ('hash', models.CharField(max_length=64)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='single_audit_chain_head')],
            },
        ),
        migrations.CreateModel(
            name='AuditAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(unique=True, verbose_name='first kept entry')),
                ('hash', models.CharField(max_length=64, verbose_name='hash')),
                ('before', models.DateField(verbose_name='purged entries before')),
                ('removed', models.BigIntegerField(verbose_name='entries removed')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
            ],
            options={
                'verbose_name': 'audit log purge',
                'verbose_name_plural': 'audit log purges',
                'ordering': ['-seq'],
            },
        ),
    ]
