"""Create the beat schedule entries for the scheduled jobs (supervision.jobs.JOBS)."""

from django.db import migrations


def create(apps, schema_editor):
    from supervision.schedules import sync_schedules

    sync_schedules()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
