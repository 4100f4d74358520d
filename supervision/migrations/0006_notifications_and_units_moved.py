"""Units now belong to core, the notification models to notifications; no table changes."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Admin history and permissions follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ['notification', 'webhookdelivery', 'notificationpreference', 'calendarfeed', 'jobrun']:
        if ContentType.objects.filter(app_label="notifications", model=model).exists():
            ContentType.objects.filter(app_label="supervision", model=model).delete()
        else:
            ContentType.objects.filter(app_label="supervision", model=model).update(app_label="notifications")


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_moved_from_supervision'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_units_and_people_moved_here'),
        ('supervision', '0005_notification_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are; only Django's idea of which app owns them moves.
            state_operations=[
                migrations.RemoveField(
                    model_name='calendarfeed',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='JobRun',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='notificationpreference',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='webhookdelivery',
                    name='unit',
                ),
                migrations.AlterField(
                    model_name='categorysetting',
                    name='default_unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.unit', verbose_name='默认承办单位'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='co_units',
                    field=models.ManyToManyField(blank=True, related_name='co_tickets', to='core.unit', verbose_name='协办单位'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='responsible_unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='core.unit', verbose_name='承办单位'),
                ),
                migrations.DeleteModel(
                    name='CalendarFeed',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationPreference',
                ),
                migrations.DeleteModel(
                    name='WebhookDelivery',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
