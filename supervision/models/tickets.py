"""Problem tickets (企业诉求): the closed loop from an enterprise's problem to a rated answer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.paging import PartOrderedQuerySet

from ..choices import (
    CLOCK_STATES,
    OPEN_STATES,
    Category,
    EventKind,
    ExtensionState,
    Level,
    Satisfaction,
    TicketState,
    Urgency,
)


class CategorySetting(models.Model):
    """Time limits (working days) per category and urgency, and where a category goes by default.

    Arbitrary charges (乱收费乱罚款乱摊派) default to discipline inspection, for example.
    """

    category = models.CharField(_("类别"), max_length=32, choices=Category.choices, unique=True)
    normal_days = models.PositiveSmallIntegerField(
        _("一般（工作日）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    urgent_days = models.PositiveSmallIntegerField(
        _("紧急（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    critical_days = models.PositiveSmallIntegerField(
        _("特急（工作日）"), default=2, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    default_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("默认承办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("诉求类别设置")
        verbose_name_plural = _("诉求类别设置")
        ordering = ["category"]

    def __str__(self):
        return self.get_category_display()

    def days_for(self, urgency: str) -> int:
        return {
            Urgency.NORMAL: self.normal_days,
            Urgency.URGENT: self.urgent_days,
            Urgency.CRITICAL: self.critical_days,
        }[urgency]


class Ticket(TrackedModel):
    """A problem raised by a stationed cadre or an enterprise contact, routed to a department.

    The clock starts when the office assigns it (交办): `deadline` is the end of the N-th working
    day, `yellow_at` the moment 75% of that working time has passed. Both are stored so lists can
    filter and sort by colour in SQL.
    """

    number = models.CharField(_("编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    report_problem = models.OneToOneField(
        "stationing.ReportProblem",
        verbose_name=_("来源半月报问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
    )
    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("重点项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    project_problem = models.OneToOneField(
        "projects.ProjectProblem",
        verbose_name=_("来源项目问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
    )
    project_formality = models.OneToOneField(
        "projects.ProjectFormality",
        verbose_name=_("来源审批手续"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="raised_tickets",
    )
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=TicketState.choices, default=TicketState.SUBMITTED
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, blank=True)
    responsible_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    co_units = models.ManyToManyField(
        "core.Unit", verbose_name=_("协办单位"), blank=True, related_name="co_tickets"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包案领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tickets",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tickets",
        help_text=_("首问负责：第一位接手的人负责到底，直至明确移交。"),
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    # Where the current time limit is counted from: the assignment, or the reopening after
    # 不满意 (assigned_at keeps the 交办 time). See services.tickets.ticket_rate.
    clock_started_at = models.DateTimeField(_("计时起点"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True
    )
    deadline = models.DateTimeField(_("办结期限"), null=True, blank=True, db_index=True)
    yellow_at = models.DateTimeField(_("黄牌时间"), null=True, blank=True, db_index=True)
    objection_until = models.DateTimeField(_("异议期限"), null=True, blank=True)
    assignment_fixed = models.BooleanField(_("交办已确定"), default=False)
    is_urged = models.BooleanField(_("督办"), default=False)
    escalation_count = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    escalated_for_deadline = models.DateTimeField(
        _("已按此期限升级"), null=True, blank=True, help_text=_("红牌升级每个期限只做一次。")
    )
    unsatisfied_count = models.PositiveSmallIntegerField(_("不满意次数"), default=0)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    rating_comment = models.TextField(_("评价意见"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reason = models.TextField(_("不予受理或撤回原因"), blank=True)

    objects = PartOrderedQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            # The lists' orders, read along an index instead of sorting every ticket: the
            # urgency order after red and yellow (selectors.CALM_ORDER), the API's newest first.
            models.Index(fields=["deadline", "-created_at", "-id"], name="ticket_calm_order"),
            models.Index(fields=["-created_at", "-id"], name="ticket_newest_first"),
            # The state tabs' counts under the office's scope (enterprise or project) and the
            # most used filter (category), read from the index alone instead of the table.
            models.Index(
                fields=["state"],
                include=["enterprise", "project", "category", "id"],
                name="ticket_state_scope",
            ),
            # Red and yellow, the head of the urgency order and the dashboards' counts: the
            # tickets whose clock runs, by deadline, with all those reads need.
            models.Index(
                fields=["deadline"],
                include=["yellow_at", "state", "enterprise", "project", "created_at", "id"],
                condition=models.Q(state__in=CLOCK_STATES),
                name="ticket_running_by_deadline",
            ),
            # The to-do counts of open tickets (to accept, objections, red, yellow) under the
            # office's scope, from the index alone: the closed majority is not in it.
            models.Index(
                fields=["state"],
                include=["deadline", "yellow_at", "enterprise", "project", "id"],
                condition=models.Q(state__in=OPEN_STATES),
                name="ticket_open_todo",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class TicketEvent(models.Model):
    """One step in a ticket's life. Append-only: the timeline is evidence."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    from_state = models.CharField(_("原状态"), max_length=16, choices=TicketState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=TicketState.choices)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["ticket", "at", "id"]

    def __str__(self):
        return f"{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("办理记录不可修改。"))
        super().save(*args, **kwargs)


class ExtensionRequest(models.Model):
    """A department's request for more time (申请延期), decided by the office."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    days = models.PositiveSmallIntegerField(
        _("延长工作日"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reason = models.TextField(_("延期理由"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["ticket", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(state="pending"),
                name="one_pending_extension_per_ticket",
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} +{self.days}"


class TicketAttachment(models.Model):
    """A file attached to a ticket: stored under a random name outside the web root."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    storage_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["ticket", "uploaded_at"]

    def __str__(self):
        return self.original_name
