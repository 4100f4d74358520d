import datetime

from django.db import migrations, models
from django.db.models import F

import notifications.models


def backfill(apps, schema_editor):
    # The rule before this field: a skipped e-mail was resent within 7 days of being written.
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.update(relevant_until=F("created_at") + datetime.timedelta(days=7))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_claimed_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="relevant_until",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="notification",
            name="relevant_until",
            field=models.DateTimeField(
                default=notifications.models.default_relevant_until,
                help_text="收件人补填邮箱后，此时间之前的通知才补发邮件。",
                verbose_name="补发截止",
            ),
        ),
    ]
