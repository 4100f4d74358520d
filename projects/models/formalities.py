"""Approval formalities run for the investor (审批手续代办制, seed 004): a checklist template per
kind of project, kept by the office, and each project's own chain instantiated from it.

A project's formalities are copies of the template's steps (name, order, unit, time limit), not
references to them: the office may edit the template later without rewriting the history of
projects already under way.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TrackedModel

from ..choices import FormalityKind, FormalityState


class FormalityTemplate(models.Model):
    """The chain of formalities one kind of project needs (地勘 → 环评 → … → 施工许可)."""

    kind = models.CharField(
        _("项目类型"), max_length=16, choices=FormalityKind.choices, unique=True
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("审批手续模板")
        verbose_name_plural = _("审批手续模板")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class FormalityStep(models.Model):
    template = models.ForeignKey(
        FormalityTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("手续名称"), max_length=50)
    default_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("默认责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审批手续步骤")
        verbose_name_plural = _("审批手续步骤")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="formalitystep_unique_name")
        ]

    def __str__(self):
        return self.name


class ProjectFormality(TrackedModel):
    """One formality of one project, run by an agent (代办员) with a responsible unit.

    `deadline` is the last working day of the time limit, counted from `started_on`
    (projects.services.formalities.formality_deadline); a formality 办理中 past it is stuck and
    can become a ticket (supervision: ticket from a formality).
    """

    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=pgettext_lazy("key project", "项目"),
        on_delete=models.CASCADE,
        related_name="formalities",
    )
    template = models.ForeignKey(
        FormalityTemplate,
        verbose_name=_("模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("手续名称"), max_length=50)
    responsible_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_formalities",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agent_formalities",
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=FormalityState.choices,
        default=FormalityState.NOT_STARTED,
        db_index=True,
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    started_on = models.DateField(_("开始办理日期"), null=True, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("项目审批手续")
        verbose_name_plural = _("项目审批手续")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="projectformality_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(finished_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(finished_on__gte=models.F("started_on")),
                name="projectformality_finished_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.name}"
