"""Schema helpers: choice fields documented as one named enum component each, and the
AutoSchema that documents every operation in Chinese with its errors (PortalAutoSchema).

drf-spectacular names enums after the field ("state", "status") and warns when one field name
carries several choice sets (a plan's state and a report's state). `NamedChoiceField` names its
enum after the choices class instead, so `PlanStateEnum`, `ReportStateEnum`, `ItemStatusEnum`
and `PeriodStatusEnum` are distinct components however many serializers use them.
"""

import re

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list, get_doc
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

HAN = re.compile(r"[\u4e00-\u9fff]")

STANDARD_SUMMARIES = {
    "list": _("{noun}列表"),
    "retrieve": _("{noun}详情"),
    "create": _("新增{noun}"),
    "update": _("修改{noun}"),
    "partial_update": _("修改{noun}（部分字段）"),
}
STANDARD_DESCRIPTIONS = {
    "list": _("列出当前用户可查看的{noun}，可筛选、排序（ordering）和分页（page）。"),
    "retrieve": _("读取一条{noun}。不存在或不在您范围内的返回 404。"),
    "create": _("新增一条{noun}。数据有误时按字段返回 400，无权新增时返回 403。"),
    "update": _(
        "修改一条{noun}的全部字段。带上读取时的版本号（version）时，若已被他人修改则返回 409。"
    ),
    "partial_update": _(
        "只修改提供的字段，其余保持不变。"
        "带上读取时的版本号（version）时，若已被他人修改则返回 409。"
    ),
}
ERROR_DESCRIPTIONS = {
    "400": _("请求有误：按字段名或查询参数名列出错误信息（名称：[错误信息，…]）。"),
    "401": _("未登录，或认证令牌无效、已过期。"),
    "403": _("无权执行此操作（未登录时也可能是 403）。"),
    "404": _("记录不存在或不在您的范围内（列表：页码超出范围）。"),
    "415": _("请求体的格式（Content-Type）不受支持，或无法解析。"),
}


class ErrorDetailSerializer(serializers.Serializer):
    """The body of an error that is not about fields: {"detail": "…"}."""

    detail = serializers.CharField()


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
        if not (field.allow_blank or field.allow_null):
            return component.ref
        # Blank ("" when not chosen yet) or null documented beside the enum.
        schema = {"oneOf": [component.ref]}
        if field.allow_blank:
            schema["oneOf"].append({"type": "string", "enum": [""]})
        if field.allow_null:
            schema["nullable"] = True
        return schema


class PortalAutoSchema(AutoSchema):
    """Every operation in Chinese, with the errors it can answer.

    - Summary and description: an explicit `extend_schema` wins; the standard actions (list,
      retrieve, create, update, partial_update) otherwise read from the model's Chinese name
      (or the viewset's `schema_noun`); a Chinese docstring of the action method is kept, while
      the viewsets' English docstrings (notes for developers) stay out of the schema.
    - Errors: 401 and 403 for every operation (not signed in, not allowed), 404 where the path
      names a record and for lists (a page past the end), 400 where a body or query
      parameters are taken (errors by field or parameter name), 415 where a body is (a
      media type the view does not parse). An error the view documents itself is left as
      it is.
    """

    def _noun(self) -> str | None:
        noun = getattr(self.view, "schema_noun", None)
        if noun:
            return str(noun)
        serializer = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        return str(model._meta.verbose_name) if model is not None else None

    def _standard_action(self) -> str | None:
        action = getattr(self.view, "action", None)
        return action if action in STANDARD_SUMMARIES else None

    def get_summary(self):
        action, noun = self._standard_action(), self._noun()
        if action and noun:
            return STANDARD_SUMMARIES[action].format(noun=noun)
        return super().get_summary()

    def get_description(self):
        action_or_method = getattr(
            self.view, getattr(self.view, "action", None) or self.method.lower(), None
        )
        own = get_doc(action_or_method) if action_or_method is not None else ""
        if own and HAN.search(own):
            return own
        action, noun = self._standard_action(), self._noun()
        if action and noun:
            return str(STANDARD_DESCRIPTIONS[action]).format(noun=noun)
        return ""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        wanted = {"401": ErrorDetailSerializer, "403": ErrorDetailSerializer}
        if any(p["in"] == "path" for p in parameters) or self._is_list_view():
            wanted["404"] = ErrorDetailSerializer
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            wanted["400"] = OpenApiTypes.OBJECT
        if "requestBody" in operation:
            wanted["415"] = ErrorDetailSerializer
        for code, serializer in wanted.items():
            if code not in responses:
                response = self._get_response_for_code(serializer, code, direction="response")
                response["description"] = str(ERROR_DESCRIPTIONS[code])
                responses[code] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation
