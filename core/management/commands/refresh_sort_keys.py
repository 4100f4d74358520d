"""Recompute the natural-order keys of every model that stores one (core.ordering).

Saving a row keeps its key current; run this after upgrading pypinyin or changing the rules in
core.ordering, so rows saved earlier sort by the new rules too. Units get their tree keys
again, parents first.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import NaturallyOrdered, Unit
from core.models.organisation import TREE_KEY_LENGTH
from core.ordering import tree_key


class Command(BaseCommand):
    help = _("重新计算单位、人员、企业、批次和工作组的排序键。")

    @transaction.atomic
    def handle(self, *args, **options):
        for model in apps.get_models():
            if not issubclass(model, NaturallyOrdered):
                continue
            rows = list(model.objects.all())
            changed = [row for row in rows if row.sort_key != row.compute_sort_key()]
            for row in changed:
                row.sort_key = row.compute_sort_key()
            model.objects.bulk_update(changed, ["sort_key"], batch_size=500)
            self.stdout.write(f"{model._meta.label}: {len(changed)}/{len(rows)}")
        units = sorted(Unit.objects.all(), key=lambda unit: len(unit.path))
        tree_keys = {}
        for unit in units:
            unit.tree_key = tree_key(tree_keys.get(unit.parent_id, ""), unit.sort_key)
            unit.tree_key = unit.tree_key[:TREE_KEY_LENGTH]
            tree_keys[unit.pk] = unit.tree_key
        Unit.objects.bulk_update(units, ["tree_key"], batch_size=500)
