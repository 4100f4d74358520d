"""Filter building blocks every app's FilterSets share (pages and API alike).

- `ScopedModelChoiceFilter`: a choice of the objects the user may see (the queryset is a scoped
  selector's). An id outside that choice — out of scope or not existing — matches nothing, on
  the page and in the API, instead of an error: the answer is the same for an object that does
  not exist and one the user may not see, so a list discloses nothing.
- `StableOrderingFilter`: the sortable columns (`ordering`); every order ends with the primary
  key so pages never overlap. Without `ordering` the selector's own order stays.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from django_filters.filters import FilterMethod

from .choices import AuditAction
from .forms import DateInput
from .models import AuditEvent
from .selectors import unit_list
from .widgets import ScopedSelect

# The cleaned value of a ScopedModelChoiceFilter given an id outside its choice.
NO_MATCH = object()


def unit_choices(request, **conditions):
    """Units for a filter dropdown: the scoped unit list without its parent join (a unit's label
    is its own name), so a province's 500 regions do not build 1,000 objects per page."""
    return unit_list(user=getattr(request, "user", None)).select_related(None).filter(**conditions)


class ScopedModelChoiceField(ModelChoiceField):
    widget = ScopedSelect  # a long choice is searched on the server (core.widgets)

    def __init__(self, *args, remote_query=None, always_remote=False, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, ScopedSelect):
            self.widget.remote_query = dict(remote_query or {})
            self.widget.always_remote = always_remote

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if str(value).strip().isdigit():
                return NO_MATCH
            raise


class ScopedFilterMethod(FilterMethod):
    """A filter `method` is never handed NO_MATCH (it would meet a query as an id)."""

    def __call__(self, qs, value):
        if value is NO_MATCH:
            return qs.none()
        return super().__call__(qs, value)


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ScopedModelChoiceField

    @property
    def method(self):
        return self._method

    @method.setter
    def method(self, value):
        # As django-filters' own setter, with a method that also knows NO_MATCH.
        self._method = value
        self.__dict__.pop("filter", None)
        if value is not None:
            self.filter = ScopedFilterMethod(self)

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


# --- The audit trail (core.views.AuditEventListView) -------------------------------------------

ANY = _("全部")


def audit_object_types() -> list[tuple[str, str]]:
    """The object types that have events ("app_label.model", the model's name), by name."""
    used = AuditEvent.objects.values("content_type")
    choices = []
    for content_type in ContentType.objects.filter(pk__in=used):
        model = content_type.model_class()
        label = model._meta.verbose_name if model is not None else content_type.model
        choices.append((f"{content_type.app_label}.{content_type.model}", str(label)))
    return sorted(choices, key=lambda choice: choice[1])


class AuditEventFilterSet(django_filters.FilterSet):
    """Who did what to which object when: the office's /audit/ page (and its export)."""

    q = django_filters.CharFilter(label=_("搜索操作人、对象、说明或IP"), method="filter_q")
    actor = django_filters.CharFilter(label=_("操作人"), method="filter_actor")
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=AuditAction.choices, empty_label=ANY
    )
    object_type = django_filters.ChoiceFilter(
        label=_("对象类型"), choices=[], empty_label=ANY, method="filter_object_type"
    )
    object_id = django_filters.CharFilter(label=_("对象编号"), field_name="object_id")
    date_from = django_filters.DateFilter(
        label=_("日期起"), field_name="at", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("日期止"), field_name="at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        model = AuditEvent
        fields = ["q", "actor", "action", "object_type", "object_id", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = audit_object_types()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_name__icontains=value)
            | Q(actor__profile__name__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(note__icontains=value)
            | Q(ip_address__startswith=value)
        )

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_name__icontains=value) | Q(actor__profile__name__icontains=value)
        )

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
