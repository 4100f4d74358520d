"""Bulletins (通报): a period's report rates, missed reports, red tickets, praise and criticism,
drafted from the data, edited by the office and published with a number.

The generated facts are stored as JSON (`facts`), frozen with the names as they were, so a
published bulletin reads the same whatever changes later; the office edits the four text
sections. The number (驻企通报〔2027〕第3期) is given at publishing (services.bulletins).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel

from ..choices import BulletinState

# The editable text sections, in the order a bulletin prints them.
TEXT_SECTIONS = ("overview", "praise", "criticism", "requirements")


class Bulletin(TrackedModel):
    """One bulletin per report period: drafted (and redrafted) from the data, then published.

    `year` and `sequence` are empty until publishing; the pair is unique per programme.
    """

    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    period = models.OneToOneField(
        "stationing.ReportPeriod",
        verbose_name=_("报告期"),
        on_delete=models.PROTECT,
        related_name="bulletin",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=100)
    facts = models.JSONField(_("数据"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("数据生成时间"))
    overview = models.TextField(_("总体情况"), blank=True)
    praise = models.TextField(_("表扬"), blank=True)
    criticism = models.TextField(_("批评"), blank=True)
    requirements = models.TextField(_("下一步要求"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-published_at", "-period__start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "sequence"], name="bulletin_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(year__isnull=False, sequence__isnull=False, published_at__isnull=False),
                name="bulletin_published_has_number",
            ),
        ]

    def __str__(self):
        return self.number_label or self.title

    @property
    def number_label(self) -> str:
        """驻企通报〔2027〕第3期; empty for a draft."""
        if self.year is None or self.sequence is None:
            return ""
        return _("驻企通报〔%(year)d〕第%(sequence)d期") % {
            "year": self.year,
            "sequence": self.sequence,
        }

    @property
    def is_published(self) -> bool:
        return self.state == BulletinState.PUBLISHED
