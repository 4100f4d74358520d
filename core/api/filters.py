"""The API's `ordering` parameter in natural order (core.ordering).

Clients keep sorting by the names they see (`ordering=name`, `-enterprise__name`, `unit__path`);
where the field ends at a model that stores a natural-order key, the query orders by that key
instead, so the API lists 第十组 after 第九组 and names by pinyin, as the pages do. Every order
ends with the primary key, so pages never overlap.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework.filters import OrderingFilter

from ..models import NaturallyOrdered, Unit

# The field a client names -> the key column that orders it on a NaturallyOrdered model.
NATURAL_FIELDS = {"name": "sort_key", "path": "tree_key"}


def natural_field(model, term: str) -> str:
    """`enterprise__name` -> `enterprise__sort_key` when Enterprise stores a sort key."""
    sign, path = ("-", term[1:]) if term.startswith("-") else ("", term)
    *relations, last = path.split("__")
    target = model
    try:
        for relation in relations:
            target = target._meta.get_field(relation).related_model
    except (FieldDoesNotExist, AttributeError):
        return term
    if target is None or not issubclass(target, NaturallyOrdered):
        return term
    key = NATURAL_FIELDS.get(last)
    if key is None or (key == "tree_key" and not issubclass(target, Unit)):
        return term
    return sign + "__".join([*relations, key])


class NaturalOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or request.query_params.get(self.ordering_param) is None:
            # No `ordering` asked for: the view's or the model's own (already natural) order.
            return ordering
        fields = [natural_field(queryset.model, term) for term in ordering]
        if not any(field.lstrip("-") == "pk" for field in fields):
            fields.append("-pk" if fields[0].startswith("-") else "pk")
        return fields
