"""Enterprises, the cadre's surveys of them and their monthly economic figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import non_negative_errors
from core.models import NaturallyOrdered, TrackedModel
from core.validators import EMAIL_MAX_LENGTH, mobile_validator, validate_email_address

from .choices import IndicatorSource, Industry, ListingStatus, Ownership, Size
from .validators import normalize_credit_code, validate_credit_code

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class Enterprise(NaturallyOrdered, TrackedModel):
    """An enterprise in the registry; key enterprises (重点企业) are the ones cadres are sent to."""

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    industry = models.CharField(_("行业门类"), max_length=2, choices=Industry.choices)
    industry_detail = models.CharField(_("细分行业"), max_length=50, blank=True)
    ownership = models.CharField(_("经济类型"), max_length=16, choices=Ownership.choices)
    size = models.CharField(_("企业规模"), max_length=8, choices=Size.choices)
    region = models.ForeignKey(
        "core.Unit",
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"kind": "government"},
        help_text=_("企业所在的县区或乡镇。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # The contact's own mobile and e-mail (core.validators). When the contact has a login (an
    # enterprise contact whose profile has this mobile), the e-mail is that login's address too
    # (enterprises.services): notices reach them by e-mail.
    contact_mobile = models.CharField(
        _("联系人手机"), max_length=11, blank=True, validators=[mobile_validator]
    )
    contact_email = models.CharField(
        _("联系人邮箱"),
        max_length=EMAIL_MAX_LENGTH,
        blank=True,
        validators=[validate_email_address],
    )
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    main_products = models.CharField(_("主要产品"), max_length=200, blank=True)
    is_key = models.BooleanField(_("重点企业"), default=False)
    listing_status = models.CharField(
        _("上市情况"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.UNLISTED
    )

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["sort_key", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)


class EnterpriseSurvey(TrackedModel):
    """The cadre's survey of an enterprise (企业调研), figures in 10,000 yuan (万元)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="surveys"
    )
    surveyed_on = models.DateField(_("调研日期"))
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调研人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fixed_assets = models.DecimalField(_("固定资产（万元）"), **MONEY)
    output_value = models.DecimalField(_("年产值（万元）"), **MONEY)
    sales = models.DecimalField(_("年销售收入（万元）"), **MONEY)
    profit_tax = models.DecimalField(_("年利税（万元）"), **MONEY)
    main_markets = models.TextField(_("主要市场"), blank=True)
    equipment = models.TextField(_("主要装备情况"), blank=True)
    renovation_plans = models.TextField(_("技术改造计划"), blank=True)
    difficulties = models.TextField(_("存在的困难和问题"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)

    class Meta:
        verbose_name = _("企业调研")
        verbose_name_plural = _("企业调研")
        ordering = ["-surveyed_on", "-id"]

    def __str__(self):
        return f"{self.enterprise} {self.surveyed_on}"

    def clean(self):
        # Figures a survey records are never below zero; profit and tax may be a loss.
        errors = non_negative_errors(self, ("fixed_assets", "output_value", "sales"))
        if self.surveyed_on and self.surveyed_on > timezone.localdate():
            errors["surveyed_on"] = _("调研日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)


class IndicatorReport(TrackedModel):
    """One month of an enterprise's economic figures (当月数, 万元), one row per month."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="indicators"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天。"))
    output_value = models.DecimalField(_("工业总产值（万元）"), **MONEY)
    value_added = models.DecimalField(_("工业增加值（万元）"), **MONEY)
    revenue = models.DecimalField(_("营业收入（万元）"), **MONEY)
    profit = models.DecimalField(_("利润总额（万元）"), **MONEY)
    tax = models.DecimalField(_("税金（万元）"), **MONEY)
    investment = models.DecimalField(_("工业投资（万元）"), **MONEY)
    employees = models.PositiveIntegerField(
        _("从业人数"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    source = models.CharField(
        _("数据来源"), max_length=16, choices=IndicatorSource.choices, default=IndicatorSource.CADRE
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("月度经济指标")
        verbose_name_plural = _("月度经济指标")
        ordering = ["enterprise", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="indicator_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="indicator_month_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.month:%Y-%m}"

    def clean(self):
        # Output, revenue, tax and investment are never below zero; value added and profit
        # may be (a loss-making month).
        errors = non_negative_errors(self, ("output_value", "revenue", "tax", "investment"))
        if errors:
            raise ValidationError(errors)

    @property
    def profit_tax(self):
        """利税 = 利润 + 税金, the figure the programme's growth target is set on."""
        if self.profit is None and self.tax is None:
            return None
        return (self.profit or 0) + (self.tax or 0)
