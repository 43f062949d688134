"""Billing runs become jobs (ADR 0106): the machinery columns move to ``jobs_job``.

Each run gets a ``jobs_job`` row with the run's own id (so that invoices, rejects and journal
entries keep pointing at the same value), its state, stage, progress, heartbeat, process,
starter and error; then those columns leave ``billing_billingrun`` and its ``id`` becomes the
link to the job.
"""

import django.db.models.deletion
from django.db import migrations, models

from jamsos.jobs.migration_ops import IdBecomesJobLink, process_of, reset_job_ids

MOVED = (
    "status", "stage", "progress_done", "progress_total", "started_at", "finished_at",
    "heartbeat_at", "host", "pid", "started_by", "error",
)


def runs_to_jobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    BillingRun = apps.get_model("billing", "BillingRun")
    jobs = [
        Job(
            id=run.pk,
            kind="billing.run",
            lock_key=f"billing.run:{run.period}",
            status=run.status,
            stage=run.stage[:80],
            progress_done=run.progress_done,
            progress_total=run.progress_total,
            created_at=run.started_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            heartbeat_at=run.heartbeat_at,
            process=process_of(run.host, run.pid),
            started_by=run.started_by,
            error=run.error,
        )
        for run in BillingRun.objects.order_by("pk").iterator()
    ]
    Job.objects.bulk_create(jobs, batch_size=500)
    reset_job_ids(Job)


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0002_bulk_references_checked_per_run'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='billingrun', name='billing_one_running_run_per_period'),
        migrations.RemoveIndex(model_name='billingrun', name='billing_run_period'),
        migrations.RunPython(runs_to_jobs, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name='billingrun', name=name) for name in MOVED],
        IdBecomesJobLink(
            model_name='billingrun',
            field_name='job',
            field=models.OneToOneField(db_column='id', on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='billing_run', serialize=False, to='jobs.job'),
        ),
        migrations.AlterModelOptions(name='billingrun', options={'ordering': ['-started_at', '-pk']}),
        migrations.AddIndex(model_name='billingrun', index=models.Index(fields=['period'], name='billing_run_period')),
    ]
