from django.db import migrations, models
from django.db.models import F


def clock_from_assignment(apps, schema_editor):
    """Tickets assigned before the field existed counted their limit from the assignment."""
    Ticket = apps.get_model("supervision", "Ticket")
    Ticket.objects.filter(assigned_at__isnull=False).update(clock_started_at=F("assigned_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_notifications_and_units_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="clock_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="计时起点"),
        ),
        migrations.RunPython(clock_from_assignment, migrations.RunPython.noop),
    ]
