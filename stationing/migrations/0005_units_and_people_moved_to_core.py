"""Units, people and submission tokens now belong to core; no table changes."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Admin history and permissions follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ['unit', 'profile', 'submissiontoken']:
        if ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="stationing", model=model).delete()
        else:
            ContentType.objects.filter(app_label="stationing", model=model).update(app_label="core")


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0006_notifications_and_units_moved'),
        ('enterprises', '0003_region_unit_moved_to_core'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_units_and_people_moved_here'),
        ('stationing', '0004_unit_webhook_url'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are; only Django's idea of which app owns them moves.
            state_operations=[
                migrations.AlterField(
                    model_name='assignment',
                    name='cadre',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='core.profile', verbose_name='驻企干部'),
                ),
                migrations.RemoveField(
                    model_name='submissiontoken',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='unit',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='unit',
                    name='updated_by',
                ),
                migrations.AlterField(
                    model_name='programme',
                    name='organiser',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='core.unit', verbose_name='主办单位'),
                ),
                migrations.DeleteModel(
                    name='Profile',
                ),
                migrations.DeleteModel(
                    name='SubmissionToken',
                ),
                migrations.DeleteModel(
                    name='Unit',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
