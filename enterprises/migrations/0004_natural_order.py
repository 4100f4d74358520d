"""Natural order: a sort key on enterprises (pinyin, numbers by value; see core.ordering)."""

from django.db import migrations, models

from core.ordering import natural_key


def fill_keys(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    enterprises = list(Enterprise.objects.only("pk", "name"))
    for enterprise in enterprises:
        enterprise.sort_key = natural_key(enterprise.name)
    Enterprise.objects.bulk_update(enterprises, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_region_unit_moved_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="排序键"
            ),
        ),
        # Going back, the column is dropped with its keys: nothing to undo.
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="enterprise",
            options={
                "ordering": ["sort_key", "pk"],
                "verbose_name": "企业",
                "verbose_name_plural": "企业",
            },
        ),
    ]
