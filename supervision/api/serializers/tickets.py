"""Serializers for the ticket API (/api/v1/tickets/).

Reading: `TicketListItemSerializer` for the list (no query per row: colour and working days left
come from one WorkCalendar loaded for the whole page), `TicketSerializer` for one ticket (adds
the actions the user may take and the attachments). Input serializers validate the shape of
each step; supervision.services decides the rest (states, required reasons, whose turn it is).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField
from core.dates import local_date
from core.models import Unit
from enterprises.models import Enterprise
from stationing.models import ReportProblem
from supervision import attachments, permissions
from supervision.choices import (
    CLOCK_STATES,
    Category,
    Colour,
    EventKind,
    Level,
    Satisfaction,
    TicketState,
    Urgency,
)
from supervision.models import Ticket, TicketAttachment, TicketEvent
from supervision.selectors import (
    hand_over_target_list,
    raisable_enterprise_list,
    report_problem_list,
    responsible_unit_list,
    ticket_leader_list,
)
from supervision.workdays import WorkCalendar, colour, working_days_left

MAX_FILES = 10
VERSION_HELP = _("记录版本号。可带上读取时的版本号，若诉求已被他人处理则返回 409。")


class TicketAction(models.TextChoices):
    """The steps of the loop, named as their URL: POST /api/v1/tickets/{id}/<action>/."""

    ACCEPT = "accept", _("受理")
    ASSIGN = "assign", _("交办")
    CONFIRM = "confirm", _("维持交办")
    REJECT = "reject", _("不予受理")
    DECIDE_EXTENSION = "decide-extension", _("审批延期")
    PROGRESS = "progress", _("办理进展")
    ANSWER = "answer", _("答复")
    REQUEST_EXTENSION = "request-extension", _("申请延期")
    OBJECT = "object", _("提出交办异议")
    HAND_OVER = "hand-over", _("移交经办人")
    RATE = "rate", _("评价")
    WITHDRAW = "withdraw", _("撤回")
    ESCALATE = "escalate", _("升级督办")
    URGE = "urge", _("催办")


def action_slug(name: str) -> str:
    """supervision.permissions names an action "request_extension"; its URL is hyphenated."""
    return name.replace("_", "-")


def person_name(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "name", "") or user.get_username()


def load_calendar(tickets, now: datetime.datetime) -> WorkCalendar | None:
    """One calendar covering today and every running ticket's deadline (None when none runs)."""
    deadlines = [t.deadline for t in tickets if t.deadline is not None and t.state in CLOCK_STATES]
    if not deadlines:
        return None
    years = [local_date(now).year] + [local_date(d).year for d in deadlines]
    return WorkCalendar.load(min(years) - 1, max(years) + 1)


# --- Attachments and events -------------------------------------------------------------------


class TicketAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True, label=_("文件名"))
    url = serializers.SerializerMethodField(
        label=_("下载地址"), help_text=_("仅能看到该诉求的用户可以下载。")
    )

    class Meta:
        model = TicketAttachment
        fields = ["id", "name", "size", "content_type", "uploaded_at", "event", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        path = reverse(
            "api-ticket-attachment",
            kwargs={"pk": attachment.ticket_id, "attachment_id": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class TicketEventSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(EventKind, read_only=True, label=_("动作"))
    from_state = NamedChoiceField(TicketState, read_only=True, label=_("原状态"))
    to_state = NamedChoiceField(TicketState, read_only=True, label=_("新状态"))
    actor_name = serializers.SerializerMethodField(label=_("操作人姓名"))
    data = serializers.JSONField(
        read_only=True,
        label=_("附加信息"),
        help_text=_("随动作而定，如交办的承办单位、期限，延期的天数，升级前后的层级。"),
    )
    attachments = TicketAttachmentSerializer(many=True, read_only=True, label=_("附件"))

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "kind",
            "at",
            "actor",
            "actor_name",
            "from_state",
            "to_state",
            "comment",
            "data",
            "attachments",
        ]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return person_name(event.actor) if event.actor_id else _("系统")


# --- Tickets ----------------------------------------------------------------------------------


class TicketPageSerializer(serializers.ListSerializer):
    """Loads the working-day calendar once for the whole page before the rows are shown."""

    def to_representation(self, data):
        tickets = list(data.all() if isinstance(data, models.Manager) else data)
        context = self.root._context
        now = context.setdefault("now", timezone.now())
        context.setdefault("calendar", load_calendar(tickets, now))
        return super().to_representation(tickets)


class TicketListItemSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, label=_("企业名称")
    )
    category = NamedChoiceField(Category, read_only=True, label=_("类别"))
    urgency = NamedChoiceField(Urgency, read_only=True, label=_("紧急程度"))
    state = NamedChoiceField(TicketState, read_only=True, label=_("状态"))
    level = NamedChoiceField(
        Level, read_only=True, allow_null=True, label=_("层级"), help_text=_("交办前为空。")
    )
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, default="", label=_("承办单位名称")
    )
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True, label=_("协办单位"))
    leader_name = serializers.SerializerMethodField(label=_("包案领导姓名"))
    owner_name = serializers.SerializerMethodField(label=_("当前责任人姓名"))
    raised_by_name = serializers.SerializerMethodField(label=_("提出人姓名"))
    colour = serializers.SerializerMethodField(
        label=_("亮牌"),
        help_text=_(
            "承办单位办理期间：正常、黄牌（已用去四分之三时限）或红牌（已超期）；其他状态为空。"
        ),
    )
    working_days_left = serializers.SerializerMethodField(
        label=_("剩余工作日"),
        help_text=_("今天（若为工作日）至办结期限的工作日数，超期为负数；未在办理中为空。"),
    )
    satisfaction = NamedChoiceField(
        Satisfaction,
        read_only=True,
        allow_null=True,
        label=_("满意度"),
        help_text=_("评价前为空。"),
    )

    class Meta:
        model = Ticket
        list_serializer_class = TicketPageSerializer
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "category",
            "title",
            "description",
            "urgency",
            "state",
            "level",
            "responsible_unit",
            "responsible_unit_name",
            "co_units",
            "leader",
            "leader_name",
            "owner",
            "owner_name",
            "assigned_at",
            "time_limit_days",
            "deadline",
            "yellow_at",
            "colour",
            "working_days_left",
            "is_urged",
            "escalation_count",
            "satisfaction",
            "rating_comment",
            "answer",
            "answered_at",
            "reason",
            "closed_at",
            "report_problem",
            "raised_by",
            "raised_by_name",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "owner": {"help_text": _("首问负责：第一位接手的人负责到底，直至明确移交。")},
            "reason": {"help_text": _("不予受理或撤回的原因。")},
        }

    def to_representation(self, instance):
        context = self.root._context
        now = context.setdefault("now", timezone.now())
        if "calendar" not in context:
            context["calendar"] = load_calendar([instance], now)
        data = super().to_representation(instance)
        for name in ("level", "satisfaction"):
            data[name] = data[name] or None
        return data

    @property
    def _now(self) -> datetime.datetime:
        return self.context.get("now") or timezone.now()

    def get_leader_name(self, ticket) -> str:
        return person_name(ticket.leader) if ticket.leader_id else ""

    def get_owner_name(self, ticket) -> str:
        return person_name(ticket.owner) if ticket.owner_id else ""

    def get_raised_by_name(self, ticket) -> str:
        return person_name(ticket.raised_by)

    @extend_schema_field(NamedChoiceField(Colour, allow_null=True))
    def get_colour(self, ticket):
        return colour(ticket, self._now)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_working_days_left(self, ticket):
        calendar = self.context.get("calendar")
        if calendar is None or colour(ticket, self._now) is None:
            return None
        return working_days_left(ticket.deadline, local_date(self._now), calendar)


class TicketSerializer(TicketListItemSerializer):
    """One ticket: the list's fields, the steps the user may take now, and its attachments."""

    allowed_actions = serializers.SerializerMethodField(
        label=_("可执行的操作"),
        help_text=_(
            "当前用户此刻可对该诉求执行的操作，即 POST /api/v1/tickets/{id}/<操作>/ 中的操作名。"
        ),
    )
    attachments = serializers.SerializerMethodField(label=_("附件"))

    class Meta(TicketListItemSerializer.Meta):
        fields = [*TicketListItemSerializer.Meta.fields, "allowed_actions", "attachments"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(TicketAction)))
    def get_allowed_actions(self, ticket):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [action_slug(name) for name in permissions.allowed_actions(user, ticket, self._now)]

    @extend_schema_field(TicketAttachmentSerializer(many=True))
    def get_attachments(self, ticket):
        # Fetched through the selector by the viewset (`visible_attachments`): out of scope never.
        files = getattr(ticket, "visible_attachments", [])
        return TicketAttachmentSerializer(files, many=True, context=self.context).data


# --- Input ------------------------------------------------------------------------------------


class AttachmentsField(serializers.ListField):
    """Files sent as multipart/form-data under one name, each checked by its content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField())
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_FILES)
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault(
            "help_text",
            _(
                "以 multipart/form-data 上传，可多个。支持图片、PDF 和 Office 文档，"
                "按文件内容检查类型；被拒绝的文件在本字段下说明原因。"
            ),
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        uploads = super().to_internal_value(data)
        refused = []
        for upload in uploads:
            try:
                attachments.check_upload(upload)
            except Exception as exc:  # django ValidationError: the message says why
                refused.extend(getattr(exc, "messages", [str(exc)]))
        if refused:
            raise serializers.ValidationError(refused)
        return uploads


class TicketCreateSerializer(serializers.Serializer):
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        scope=lambda user: raisable_enterprise_list(user=user),
        label=_("企业"),
        help_text=_("驻企干部可为所驻企业提出，企业联络人为本企业提出。"),
    )
    category = NamedChoiceField(Category, label=_("类别"))
    title = serializers.CharField(max_length=200, label=_("标题"))
    description = serializers.CharField(label=_("问题描述"))
    urgency = NamedChoiceField(Urgency, default=Urgency.NORMAL, label=_("紧急程度"))
    report_problem = ScopedPrimaryKeyRelatedField(
        model=ReportProblem,
        scope=lambda user: report_problem_list(user=user),
        required=False,
        allow_null=True,
        label=_("来源半月报问题"),
        help_text=_("由半月报中的问题转为诉求时填写；每个问题只能转一次。"),
    )
    attachments = AttachmentsField()


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class TicketAcceptSerializer(VersionedSerializer):
    pass


class TicketRejectSerializer(VersionedSerializer):
    reason = serializers.CharField(allow_blank=True, label=_("不予受理理由"))


class TicketScopedField(serializers.PrimaryKeyRelatedField):
    """An id chosen from a selector of the user and the ticket (the step's context carries the
    ticket): the same selector the page's form takes its choices from."""

    def __init__(self, *, model: type[models.Model], scope, **kwargs):
        self.scope = scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        ticket = self.context.get("ticket")
        if ticket is None:
            return super().get_queryset()
        request = self.context.get("request")
        return self.scope(user=getattr(request, "user", None) or AnonymousUser(), ticket=ticket)


def responsible_units(user):
    return responsible_unit_list(user=user)


class TicketAssignSerializer(VersionedSerializer):
    level = NamedChoiceField(Level, label=_("层级"))
    responsible_unit = ScopedPrimaryKeyRelatedField(
        model=Unit, scope=responsible_units, label=_("承办单位")
    )
    co_units = ScopedPrimaryKeyRelatedField(
        model=Unit, scope=responsible_units, many=True, required=False, label=_("协办单位")
    )
    leader = TicketScopedField(
        model=get_user_model(),
        scope=ticket_leader_list,
        required=False,
        allow_null=True,
        label=_("包案领导"),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class TicketConfirmSerializer(CommentSerializer):
    pass


class TicketObjectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, label=_("异议理由"))


class TicketHandOverSerializer(CommentSerializer):
    to = TicketScopedField(
        model=get_user_model(),
        scope=hand_over_target_list,
        label=_("移交给"),
        help_text=_("承办单位的另一位经办人。"),
    )


class TicketProgressSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, label=_("办理进展"))
    attachments = AttachmentsField()


class TicketRequestExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=60, label=_("延长工作日"))
    reason = serializers.CharField(allow_blank=True, label=_("延期理由"))


class TicketDecideExtensionSerializer(CommentSerializer):
    approve = serializers.BooleanField(
        label=_("同意延期"), help_text=_("true 同意，false 不同意（须在 comment 中说明理由）。")
    )


class TicketAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, label=_("答复内容"))
    attachments = AttachmentsField()


class TicketRateSerializer(CommentSerializer):
    satisfaction = NamedChoiceField(
        Satisfaction,
        label=_("满意度"),
        help_text=_("满意、基本满意办结；不满意退回承办单位重新办理（须说明原因）。"),
    )


class TicketWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, label=_("撤回原因"))


class TicketUrgeSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, label=_("催办意见"))


class TicketEscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("督办说明")
    )
