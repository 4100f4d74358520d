"""Schema helpers: choice fields documented as one named enum component each.

drf-spectacular names enums after the field ("state", "status") and warns when one field name
carries several choice sets (a plan's state and a report's state). `NamedChoiceField` names its
enum after the choices class instead, so `PlanStateEnum`, `ReportStateEnum`, `ItemStatusEnum`
and `PeriodStatusEnum` are distinct components however many serializers use them.
"""

from django.db.models import TextChoices
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField over a TextChoices class, documented as the enum `<ClassName>Enum`."""

    def __init__(self, choices_class: type[TextChoices], **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        name = f"{field.choices_class.__name__}Enum"
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={
                "type": "string",
                "enum": list(field.choices_class.values),
                "description": build_choice_description_list(field.choices_class.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
