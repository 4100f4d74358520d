"""Sheet 月度指标: monthly figures as the statistics bureau sends them, keyed by enterprise + month.

Figures imported by the office are authoritative (source "statistics") and overwrite what a
cadre reported for that month; blank cells leave the existing figure alone.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from enterprises.choices import IndicatorSource
from enterprises.models import IndicatorReport
from enterprises.services import indicator_upsert

from .base import (
    CREATE,
    SKIP,
    UNCHANGED,
    UPDATE,
    Column,
    ParsedRow,
    SheetKind,
    parse_count,
    parse_credit_code,
    parse_decimal,
    parse_month,
    parse_text,
)
from .enterprise_sheet import EXAMPLE_CREDIT_CODE

MONEY_HELP = _l("当月数，单位万元；可带千分位逗号；不填表示不修改。")
FIGURES = ("output_value", "value_added", "revenue", "profit", "tax", "investment", "employees")


def _money(key, header, example, *, aliases=(), help=MONEY_HELP, allow_negative=False):
    return Column(
        key,
        header,
        parse_decimal(allow_negative=allow_negative),
        aliases=aliases,
        help=help,
        allowed=_l("数字（万元）"),
        example=example,
        width=14,
    )


class IndicatorSheet(SheetKind):
    kind = "indicators"
    label = _l("月度指标")
    sheet_name = "月度指标"
    sheet_aliases = ("经济指标", "月度经济指标", "指标")
    model = IndicatorReport
    columns = (
        Column(
            "credit_code",
            "统一社会信用代码",
            parse_credit_code,
            required=True,
            field="enterprise",
            aliases=("社会信用代码", "信用代码", "企业统一社会信用代码"),
            help=_l("系统中已有的企业，或本文件“企业”工作表中的企业。"),
            example=EXAMPLE_CREDIT_CODE,
            width=24,
            as_text=True,
        ),
        Column(
            "month",
            "月份",
            parse_month,
            required=True,
            aliases=("统计月份", "报告期"),
            help=_l("同一企业同一月份再次导入时更新原数据。"),
            allowed=_l("如 2026-03、2026年3月，或 Excel 日期"),
            example="2026-03",
            width=12,
            as_text=True,
        ),
        _money("output_value", "工业总产值", "1,250.5"),
        _money("value_added", "工业增加值", "380"),
        _money("revenue", "营业收入", "1,180", aliases=("主营业务收入",)),
        _money(
            "profit",
            "利润总额",
            "-35.2",
            help=_l("当月数，单位万元；亏损填负数；不填表示不修改。"),
            allow_negative=True,
        ),
        _money("tax", "税金", "42.8", aliases=("税金总额", "应交税金", "税金及附加")),
        _money("investment", "工业投资", "200", aliases=("工业投资额", "固定资产投资")),
        Column(
            "employees",
            "从业人数",
            parse_count,
            aliases=("从业人员", "从业人员数", "从业人员平均人数", "职工人数"),
            help=_l("整数，不填表示不修改。"),
            allowed=_l("整数"),
            example="320",
            width=10,
        ),
        Column(
            "enterprise_name",
            "企业名称",
            parse_text(200),
            field="enterprise_name",
            help=_l("仅供核对，导入时按统一社会信用代码匹配企业。"),
            example="示范机械制造有限公司",
            width=30,
        ),
    )

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        codes = {row.get("credit_code") for row in rows if row.has("credit_code")}
        months = {row.get("month") for row in rows if row.has("month")}
        existing = IndicatorReport.objects.filter(
            enterprise_id__in=ctx.enterprise_pks(codes), month__in=months
        )
        ctx.cache[self.kind] = {(i.enterprise_id, i.month): i for i in existing}

    def validate(self, ctx, row: ParsedRow) -> None:
        month = row.get("month")
        this_month = timezone.localdate().replace(day=1)
        if month and month > this_month:
            row.error(
                "month",
                _("月份 %(month)s 晚于本月，不能导入。") % {"month": f"{month:%Y-%m}"},
            )
        code = (
            ctx.resolve_enterprise(row, code_key="credit_code") if row.has("credit_code") else None
        )
        if row.errors or not (code and month):
            return
        first = ctx.first_with_key(self.kind, (code, month), row)
        if first is not None:
            row.duplicate_of(first, "month", _("同一企业同一月份的指标在文件中只能出现一次。"))
            return
        self._check_name(ctx, row, code)
        figures = row.given(FIGURES)
        if not figures:
            row.action = SKIP
            ctx.warnings.append(_("%(place)s没有任何指标数值，已跳过。") % {"place": row.place()})
            return
        row.refs.update(enterprise=code, month=month)
        fields = {**figures, "source": IndicatorSource.STATISTICS}
        enterprise = ctx.enterprises.get(code)
        existing = None
        if enterprise is not None:
            existing = ctx.cache[self.kind].get((enterprise.pk, month))
        if existing is None:
            row.action, row.changes = CREATE, fields
            return
        row.instance = existing
        row.changes = self.changed_fields(existing, fields)
        row.action = UPDATE if row.changes else UNCHANGED

    @staticmethod
    def _check_name(ctx, row: ParsedRow, code: str) -> None:
        """The name is only there to be read by people: a mismatch is worth a warning."""
        given = row.get("enterprise_name")
        if not given:
            return
        if code in ctx.file_enterprises:
            known = ctx.file_enterprises[code].get("name")
        else:
            known = getattr(ctx.enterprises.get(code), "name", None)
        if known and known != given:
            ctx.warnings.append(
                _(
                    "%(place)s的企业名称“%(given)s”与统一社会信用代码对应的企业“%(known)s”"
                    "不一致，已按统一社会信用代码导入。"
                )
                % {"place": row.place(), "given": given, "known": known}
            )

    def apply(self, ctx, row: ParsedRow) -> None:
        fields = dict(row.changes)
        if row.action == UPDATE:
            # The office's import replaces whoever reported this month before.
            fields["reported_by"] = ctx.by
        indicator_upsert(
            by=ctx.by,
            enterprise=ctx.enterprises[row.refs["enterprise"]],
            month=row.refs["month"],
            **fields,
        )
