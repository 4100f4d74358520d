"""Natural order: a sort key on units and people, and each unit's place in the tree.

Existing rows get their keys here, with the functions the models use (core.ordering); should
the rules change later, `manage.py refresh_sort_keys` recomputes them.
"""

from django.db import migrations, models

from core.ordering import natural_key, person_key, tree_key


def fill_keys(apps, schema_editor):
    Unit = apps.get_model("core", "Unit")
    Profile = apps.get_model("core", "Profile")
    tree_keys = {}
    # Parents before children: a shorter path is higher up the tree.
    units = sorted(Unit.objects.only("pk", "name", "parent_id", "path"), key=lambda u: len(u.path))
    for unit in units:
        unit.sort_key = natural_key(unit.name)
        unit.tree_key = tree_key(tree_keys.get(unit.parent_id, ""), unit.sort_key)[:1000]
        tree_keys[unit.pk] = unit.tree_key
    Unit.objects.bulk_update(units, ["sort_key", "tree_key"], batch_size=500)
    people = list(Profile.objects.only("pk", "name"))
    for person in people:
        person.sort_key = person_key(person.name)
    Profile.objects.bulk_update(people, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_units_and_people_moved_here"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="排序键"
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="排序键"
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="tree_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=1000, verbose_name="树形排序键"
            ),
        ),
        # Going back, the columns are dropped with their keys: nothing to undo.
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="profile",
            options={
                "ordering": ["sort_key", "pk"],
                "verbose_name": "人员",
                "verbose_name_plural": "人员",
            },
        ),
        migrations.AlterModelOptions(
            name="unit",
            options={
                "ordering": ["tree_key", "pk"],
                "verbose_name": "单位",
                "verbose_name_plural": "单位",
            },
        ),
    ]
