"""The shape every API viewset and serializer shares: selector in, service out.

- A viewset's get_queryset calls the app's selector with request.user (the only path to data),
  so an object out of scope is a 404.
- perform_create / perform_update call the app's service inside `service_errors()`, which turns
  its ValidationError into a 400 under the field names and a stale version into a 409.
- A serializer validates shape only. Uniqueness and cross-field rules belong to the services
  (full_clean), and related fields take their querysets from the user's scope, so an id out of
  scope is refused like an id that does not exist.
"""

from collections.abc import Callable
from typing import ClassVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.validators import UniqueValidator

from .errors import service_errors
from .schema import ErrorDetailSerializer


class ServiceModelSerializer(serializers.ModelSerializer):
    """ModelSerializer for reading and for validating input that a service will save.

    `scoped_fields` maps a writable related field to `scope(user) -> QuerySet`.
    """

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("记录版本号。修改时可带上读取时的版本号，若记录已被他人修改则返回 409。"),
    )

    scoped_fields: ClassVar[dict[str, Callable[..., QuerySet]]] = {}

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None) or AnonymousUser()

    def get_fields(self):
        fields = super().get_fields()
        for name, scope in self.scoped_fields.items():
            field = fields.get(name)
            if field is not None and not field.read_only:
                field.queryset = scope(self.user)
        return fields

    def get_validators(self):
        # No UniqueTogetherValidator: the services decide (and word) uniqueness errors.
        return []

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in kwargs:
            kwargs["validators"] = [
                v for v in kwargs["validators"] if not isinstance(v, UniqueValidator)
            ]
        return field_class, kwargs

    def create(self, validated_data):  # pragma: no cover - writes go through the services
        raise NotImplementedError("ServiceViewSet.perform_create calls the service")

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError("ServiceViewSet.perform_update calls the service")


FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description=_("数据有误：按字段名列出错误信息（字段名：[错误信息，…]）。")
)
FORBIDDEN = OpenApiResponse(ErrorDetailSerializer, description=_("无权修改。"))
NOT_FOUND = OpenApiResponse(ErrorDetailSerializer, description=_("记录不存在或不在您的范围内。"))
STALE = OpenApiResponse(ErrorDetailSerializer, description=_("版本号已过期：记录已被他人修改。"))
STATE_CONFLICT = OpenApiResponse(
    ErrorDetailSerializer,
    description=_("记录当前的状态不允许此操作（如已报送待审批），或版本号已过期。"),
)


def document_writes(viewset: type) -> type:
    """Describe in the schema the answers a write can get: 400 by field, 403, 404, 409."""
    serializer = viewset.serializer_class
    update = extend_schema(
        responses={200: serializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE}
    )
    return extend_schema_view(
        create=extend_schema(responses={201: serializer, 400: FIELD_ERRORS, 403: FORBIDDEN}),
        update=update,
        partial_update=update,
    )(viewset)


class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create and update (no delete) through a selector and two services.

    Subclasses set `create_service` and `update_service` (wrapped in staticmethod) and
    `instance_kwarg`, the keyword under which the update service takes the object.
    """

    create_service: Callable[..., Model]
    update_service: Callable[..., Model]
    instance_kwarg: str

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "serializer_class", None) is not None:
            document_writes(cls)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        with service_errors():
            obj = self.create_service(by=self.request.user, **data)
        serializer.instance = self._reload(obj)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected_version = data.pop("version", None)
        with service_errors():
            obj = self.update_service(
                **{self.instance_kwarg: serializer.instance},
                by=self.request.user,
                expected_version=expected_version,
                **data,
            )
        serializer.instance = self._reload(obj)

    def _reload(self, obj: Model) -> Model:
        """Read the saved object back through the selector (annotations, related names)."""
        return self.get_queryset().filter(pk=obj.pk).first() or obj
