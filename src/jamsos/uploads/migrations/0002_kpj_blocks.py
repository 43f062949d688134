# Rows are no longer rewritten at commit (status "written" and their KPJ): the upload records the
# first KPJ serial of each start year's block instead, and the written rows are the valid rows of
# a committed upload. Uploads committed before keep their KPJs: the blocks are read from the rows.

from django.db import migrations, models


def blocks_from_rows(apps, schema_editor):
    WorkerUpload = apps.get_model("uploads", "WorkerUpload")
    WorkerUploadRow = apps.get_model("uploads", "WorkerUploadRow")
    written = WorkerUploadRow.objects.filter(status="written").exclude(kpj="")
    blocks = {}
    for upload_id, start_date, kpj in written.values_list("upload_id", "start_date", "kpj"):
        year = str(start_date.year)
        serial = int(kpj[2:10])
        first = blocks.setdefault(upload_id, {})
        first[year] = min(first.get(year, serial), serial)
    for upload_id, first in blocks.items():
        WorkerUpload.objects.filter(pk=upload_id).update(kpj_blocks=first)
    WorkerUploadRow.objects.filter(status="written").update(status="valid")


class Migration(migrations.Migration):

    dependencies = [
        ('uploads', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='workeruploadrow',
            name='uploads_row_status_known',
        ),
        migrations.AddField(
            model_name='workerupload',
            name='kpj_blocks',
            field=models.JSONField(blank=True, default=dict, help_text="Start year → first KPJ serial of the block the commit reserved; the written rows of that year got the block's serials in row order"),
        ),
        migrations.RunPython(blocks_from_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='workeruploadrow',
            name='kpj',
        ),
        migrations.AlterField(
            model_name='workeruploadrow',
            name='status',
            field=models.CharField(choices=[('valid', 'Valid'), ('rejected', 'Ditolak / rejected')], max_length=8),
        ),
        migrations.AddConstraint(
            model_name='workeruploadrow',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['valid', 'rejected'])), name='uploads_row_status_known'),
        ),
    ]
