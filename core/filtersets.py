"""Filter building blocks every app's FilterSets share (pages and API alike).

- `ScopedModelChoiceFilter`: a choice of the objects the user may see (the queryset is a scoped
  selector's). An id outside that choice — out of scope or not existing — matches nothing, on
  the page and in the API, instead of an error: the answer is the same for an object that does
  not exist and one the user may not see, so a list discloses nothing.
- `StableOrderingFilter`: the sortable columns (`ordering`); every order ends with the primary
  key so pages never overlap. Without `ordering` the selector's own order stays.
"""

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelChoiceField

from .widgets import ScopedSelect

# The cleaned value of a ScopedModelChoiceFilter given an id outside its choice.
NO_MATCH = object()


class ScopedModelChoiceField(ModelChoiceField):
    widget = ScopedSelect  # a long choice is searched on the server (core.widgets)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if str(value).strip().isdigit():
                return NO_MATCH
            raise


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ScopedModelChoiceField

    def filter(self, qs, value):
        if value is NO_MATCH:
            return qs.none()
        return super().filter(qs, value)


class StableOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        fields = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*fields, "-pk" if fields[0].startswith("-") else "pk")
