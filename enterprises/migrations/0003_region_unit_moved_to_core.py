"""Enterprise.region points at core.Unit (the same table as before)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_units_and_people_moved_here'),
        ('enterprises', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are; only Django's idea of which app owns them moves.
            state_operations=[
                migrations.AlterField(
                    model_name='enterprise',
                    name='region',
                    field=models.ForeignKey(help_text='企业所在的县区或乡镇。', limit_choices_to={'kind': 'government'}, on_delete=django.db.models.deletion.PROTECT, related_name='enterprises', to='core.unit', verbose_name='所属区域'),
                ),
            ],
        ),
    ]
