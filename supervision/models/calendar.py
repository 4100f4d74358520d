"""The official working-day calendar: statutory holidays and make-up working days (调休)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A date that differs from the plain Monday-to-Friday week.

    `is_workday=False`: a holiday (also on weekdays); `True`: a make-up working day on a weekend.
    Seeded from the `chinese-calendar` package; the office edits it when the State Council
    publishes the next year's arrangement.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"
