import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=64)),
                ('lock_key', models.CharField(blank=True, help_text='One running job per key; empty: not locked', max_length=120)),
                ('status', models.CharField(choices=[('queued', 'Menunggu (queued)'), ('running', 'Berjalan (running)'), ('finished', 'Selesai (finished)'), ('failed', 'Gagal (failed)'), ('abandoned', 'Terhenti (abandoned: the process died)')], default='running', max_length=10)),
                ('stage', models.CharField(blank=True, help_text='What the job is doing now', max_length=80)),
                ('progress_done', models.BigIntegerField(default=0)),
                ('progress_total', models.BigIntegerField(default=0)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('process', models.CharField(blank=True, help_text='host:pid', max_length=300)),
                ('started_by', models.CharField(blank=True, max_length=150)),
                ('params', models.JSONField(blank=True, default=dict)),
                ('result', models.JSONField(blank=True, default=dict)),
                ('error', models.TextField(blank=True)),
                ('task_id', models.CharField(blank=True, help_text="The worker task's id", max_length=64)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['kind', '-created_at'], name='jobs_job_kind')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'running'), models.Q(('lock_key', ''), _negated=True)), fields=('lock_key',), name='jobs_one_running_job_per_lock_key')],
            },
        ),
    ]
