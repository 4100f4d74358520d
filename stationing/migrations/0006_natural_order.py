"""Natural order: sort keys on programmes and work groups (第十组 after 第九组; core.ordering),
and the lists that named enterprises and cadres by name now order by their keys."""

from django.db import migrations, models

from core.ordering import natural_key


def fill_keys(apps, schema_editor):
    for name in ("Programme", "WorkGroup"):
        model = apps.get_model("stationing", name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.sort_key = natural_key(row.name)
        model.objects.bulk_update(rows, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("stationing", "0005_units_and_people_moved_to_core"),
        ("core", "0002_natural_order"),
        ("enterprises", "0004_natural_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="排序键"
            ),
        ),
        migrations.AddField(
            model_name="workgroup",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="排序键"
            ),
        ),
        # Going back, the columns are dropped with their keys: nothing to undo.
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="assignment",
            options={
                "ordering": ["programme", "enterprise__sort_key", "cadre__sort_key", "pk"],
                "verbose_name": "驻企安排",
                "verbose_name_plural": "驻企安排",
            },
        ),
        migrations.AlterModelOptions(
            name="programme",
            options={
                "ordering": ["-start_date", "sort_key", "pk"],
                "verbose_name": "驻企批次",
                "verbose_name_plural": "驻企批次",
            },
        ),
        migrations.AlterModelOptions(
            name="workgroup",
            options={
                "ordering": ["programme", "sort_key", "pk"],
                "verbose_name": "工作组",
                "verbose_name_plural": "工作组",
            },
        ),
        migrations.AlterModelOptions(
            name="workplan",
            options={
                "ordering": ["programme", "enterprise__sort_key", "pk"],
                "verbose_name": "工作计划",
                "verbose_name_plural": "工作计划",
            },
        ),
    ]
