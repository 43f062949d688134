"""Coverage runs become jobs (ADR 0106): the machinery columns move to ``jobs_job``.

Nothing points at a coverage run, so each run is given a new id, that of its ``jobs_job`` row
(after every id billing runs took), with its state, stage, progress, heartbeat, process,
starter and error; then those columns leave ``coverage_coveragerun`` and its ``id`` becomes
the link to the job.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max

from jamsos.jobs.migration_ops import IdBecomesJobLink, reset_job_ids

MOVED = (
    "status", "stage", "progress_done", "progress_total", "started_at", "finished_at",
    "heartbeat_at", "process", "started_by", "error",
)


def runs_to_jobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    CoverageRun = apps.get_model("coverage", "CoverageRun")
    after = max(
        Job.objects.aggregate(m=Max("id"))["m"] or 0,
        CoverageRun.objects.aggregate(m=Max("id"))["m"] or 0,
    )
    for offset, run in enumerate(CoverageRun.objects.order_by("pk"), start=1):
        Job.objects.create(
            id=after + offset,
            kind="coverage.build",
            lock_key="coverage.build",
            status=run.status,
            stage=run.stage,
            progress_done=run.progress_done,
            progress_total=run.progress_total,
            created_at=run.started_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            heartbeat_at=run.heartbeat_at,
            process=run.process,
            started_by=run.started_by,
            error=run.error,
        )
        CoverageRun.objects.filter(pk=run.pk).update(id=after + offset)
    reset_job_ids(Job)


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0001_initial'),
        ('billing', '0003_billingrun_job'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(runs_to_jobs, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name='coveragerun', name=name) for name in MOVED],
        IdBecomesJobLink(
            model_name='coveragerun',
            field_name='job',
            field=models.OneToOneField(db_column='id', on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='coverage_run', serialize=False, to='jobs.job'),
        ),
        migrations.AlterModelOptions(name='coveragerun', options={'ordering': ['-started_at', '-pk']}),
    ]
