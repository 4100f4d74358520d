"""Serializers for the bulletin API (/api/v1/bulletins/).

`BulletinSerializer` reads a bulletin as its page shows it (the generated facts included);
the input serializers validate the shape of drafting, editing and publishing, and
supervision.services decides the rest (who, states, stale versions, numbers).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField
from stationing.models import ReportPeriod
from supervision.choices import BulletinState
from supervision.models import Bulletin
from supervision.selectors import bulletin_period_list

VERSION_HELP = _("读取时的版本号。若通报已被他人修改或重新生成，返回 409。")


def person_name(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "name", "") or user.get_username()


class BulletinSerializer(serializers.ModelSerializer):
    state = NamedChoiceField(BulletinState, read_only=True, help_text=_("草稿或已发布"))
    number = serializers.CharField(
        source="number_label", read_only=True, help_text=_("如“驻企通报〔2027〕第3期”；草稿为空。")
    )
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    published_by_name = serializers.SerializerMethodField(help_text=_("发布人姓名"))
    facts = serializers.SerializerMethodField(
        help_text=_(
            "生成时的数据（发布后不再变化）：totals 合计；units 各派出单位报送情况；"
            "missed 未报人员及连续未报期数（in_a_row）；red_tickets 红牌诉求；"
            "departments 各承办单位红牌数；praised_reports 评定为“优”的半月报；"
            "praised_tickets 提前办结且企业满意的诉求；criticised_missed 连续两期及以上未报人员；"
            "suggested 按数据起草的标题和各节文字。"
        )
    )

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "programme",
            "programme_name",
            "period",
            "period_label",
            "state",
            "year",
            "sequence",
            "number",
            "title",
            "issuer",
            "overview",
            "praise",
            "criticism",
            "requirements",
            "facts",
            "generated_at",
            "published_at",
            "published_by_name",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_published_by_name(self, obj) -> str:
        return person_name(obj.published_by)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_facts(self, obj):
        return obj.facts


class BulletinListItemSerializer(BulletinSerializer):
    """The list leaves out the facts and the texts: read one bulletin for them."""

    class Meta(BulletinSerializer.Meta):
        fields = [
            "id",
            "programme",
            "programme_name",
            "period",
            "period_label",
            "state",
            "year",
            "sequence",
            "number",
            "title",
            "issuer",
            "generated_at",
            "published_at",
            "published_by_name",
            "version",
        ]
        read_only_fields = fields


class BulletinGenerateSerializer(serializers.Serializer):
    period = ScopedPrimaryKeyRelatedField(
        model=ReportPeriod,
        scope=lambda user: bulletin_period_list(user=user),
        help_text=_("报告期编号：已过报送截止时间、本人督查室所辖批次的报告期。"),
    )


class BulletinUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    title = serializers.CharField(max_length=200, required=False)
    issuer = serializers.CharField(max_length=100, required=False)
    overview = serializers.CharField(required=False, allow_blank=True)
    praise = serializers.CharField(required=False, allow_blank=True)
    criticism = serializers.CharField(required=False, allow_blank=True)
    requirements = serializers.CharField(required=False, allow_blank=True)


class BulletinPublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
