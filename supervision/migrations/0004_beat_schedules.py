"""Formerly created the beat schedule entries by calling the live job registry.

A migration must not import live code (it breaks fresh installs when that code moves), so this
is now a no-op: `manage.py sync_schedules`, run at every deploy (`make run`, the README's release
steps), creates and updates the entries from each app's registered jobs.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
