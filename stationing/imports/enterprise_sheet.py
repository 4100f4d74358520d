"""Sheet 企业: the enterprise registry, keyed by unified social credit code."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from enterprises.choices import Industry, ListingStatus, Ownership, Size
from enterprises.models import Enterprise
from enterprises.services import enterprise_create, enterprise_update

from .base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    ParsedRow,
    SheetKind,
    labels_of,
    parse_bool,
    parse_choice,
    parse_count,
    parse_credit_code,
    parse_email,
    parse_phone,
    parse_text,
)

EXAMPLE_CREDIT_CODE = "91350100MA0000001P"  # 91350100MA0000001 + its check character

OWNERSHIP_ALIASES = {
    "国有企业": Ownership.STATE,
    "国营": Ownership.STATE,
    "集体企业": Ownership.COLLECTIVE,
    "私营": Ownership.PRIVATE,
    "私营企业": Ownership.PRIVATE,
    "民营企业": Ownership.PRIVATE,
    "外商投资": Ownership.FOREIGN,
    "外商投资企业": Ownership.FOREIGN,
    "港澳台": Ownership.HMT,
    "港澳台商投资": Ownership.HMT,
    "股份有限公司": Ownership.JOINT_STOCK,
    "股份合作": Ownership.JOINT_STOCK,
}
SIZE_ALIASES = {
    "大": Size.LARGE,
    "中": Size.MEDIUM,
    "小": Size.SMALL,
    "微": Size.MICRO,
    "大型企业": Size.LARGE,
    "中型企业": Size.MEDIUM,
    "小型企业": Size.SMALL,
    "微型企业": Size.MICRO,
}
LISTING_ALIASES = {
    "否": ListingStatus.UNLISTED,
    "无": ListingStatus.UNLISTED,
    "未": ListingStatus.UNLISTED,
    "上市": ListingStatus.LISTED,
    "是": ListingStatus.LISTED,
    "新三板": ListingStatus.NEEQ,
}

WRITTEN = (
    "name",
    "credit_code",
    "industry",
    "industry_detail",
    "ownership",
    "size",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_mobile",
    "contact_email",
    "employees",
    "main_products",
    "is_key",
    "listing_status",
)


class EnterpriseSheet(SheetKind):
    kind = "enterprises"
    label = _l("企业")
    sheet_name = "企业"
    sheet_aliases = ("企业名录", "企业名单", "企业信息", "企业基本信息")
    model = Enterprise
    columns = (
        Column(
            "name",
            "企业名称",
            parse_text(200),
            required=True,
            help=_l("营业执照上的企业全称。"),
            example="示范机械制造有限公司",
            width=32,
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            parse_credit_code,
            required=True,
            aliases=("社会信用代码", "信用代码"),
            help=_l("18位，末位是校验码，系统会核对。再次导入同一代码时更新该企业，不会重复登记。"),
            example=EXAMPLE_CREDIT_CODE,
            width=24,
            as_text=True,
        ),
        Column(
            "industry",
            "行业门类",
            parse_choice(Industry, with_code_prefix=True),
            required=True,
            help=_l("国民经济行业分类（GB/T 4754-2017）门类，可填名称或字母代码。"),
            allowed=_l("A–R 门类名称或代码，如 制造业 或 C"),
            example="制造业",
            width=18,
            options=labels_of(Industry),
        ),
        Column(
            "industry_detail",
            "细分行业",
            parse_text(50),
            help=_l("行业大类或中类名称，可不填。"),
            example="通用设备制造业",
            width=18,
        ),
        Column(
            "ownership",
            "经济类型",
            parse_choice(Ownership, aliases=OWNERSHIP_ALIASES),
            required=True,
            example="民营",
            width=12,
            options=labels_of(Ownership),
        ),
        Column(
            "size",
            "企业规模",
            parse_choice(Size, aliases=SIZE_ALIASES),
            required=True,
            example="中型",
            width=12,
            options=labels_of(Size),
        ),
        Column(
            "region",
            "所属区域",
            parse_text(100),
            required=True,
            help=_l("企业所在县区或乡镇（街道）的属地单位名称，须与系统中的单位名称一致。"),
            example="城关镇",
            width=18,
        ),
        Column("address", "地址", parse_text(200), example="城关镇工业园区1号", width=30),
        Column("legal_representative", "法定代表人", parse_text(50), example="王某", width=12),
        Column("contact_name", "联系人", parse_text(50), example="李某", width=12),
        Column(
            "contact_phone",
            "联系电话",
            parse_text(30),
            help=_l("手机或座机均可。"),
            example="0591-12345678",
            width=16,
            as_text=True,
        ),
        Column(
            "employees",
            "职工人数",
            parse_count,
            help=_l("整数，可不填。"),
            example="320",
            width=10,
        ),
        Column("main_products", "主要产品", parse_text(200), example="数控机床", width=24),
        Column(
            "is_key",
            "重点企业",
            parse_bool,
            help=_l("填“是”或“否”，不填视为“否”。"),
            example="是",
            width=10,
            options=lambda: ["是", "否"],
        ),
        Column(
            "listing_status",
            "上市情况",
            parse_choice(ListingStatus, aliases=LISTING_ALIASES),
            help=_l("不填视为“未上市”。"),
            example="拟上市",
            width=12,
            options=labels_of(ListingStatus),
        ),
        # The contact's own mobile and e-mail: optional, at the end so files made for the
        # earlier template keep their column order.
        Column(
            "contact_mobile",
            "联系人手机",
            parse_phone,
            aliases=("联系人手机号", "联系人手机号码", "手机", "手机号", "手机号码"),
            help=_l(
                "联系人的11位手机号，可不填。联系人有平台账号（以此手机号登录）时，"
                "下一列的邮箱也作为其接收通知的邮箱。"
            ),
            example="13912345678",
            width=16,
            as_text=True,
        ),
        Column(
            "contact_email",
            "联系人邮箱",
            parse_email,
            aliases=("联系人电子邮箱", "电子邮箱", "邮箱", "电子邮件", "Email", "email", "E-mail"),
            help=_l("可不填；留空不会清除已有的邮箱。"),
            example="li@example.com",
            width=26,
        ),
    )

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        ctx.load_enterprises({row.get("credit_code") for row in rows if row.has("credit_code")})

    def validate(self, ctx, row: ParsedRow) -> None:
        code = row.get("credit_code")
        if code:
            first = ctx.file_enterprises.get(code)
            if first is not None:
                row.duplicate_of(
                    first, "credit_code", _("同一统一社会信用代码在文件中只能出现一次。")
                )
            else:
                ctx.register_enterprise(code, row)
        region = None
        if row.has("region"):
            region, problem = ctx.region(row.get("region"))
            if problem:
                row.error("region", problem)
        if row.errors:
            return
        fields = row.given(WRITTEN)
        fields["region"] = region
        existing = ctx.enterprise_in_db(code)
        if existing is None:
            row.action, row.changes = CREATE, fields
            return
        if not ctx.may_touch_enterprise(existing):
            row.error(
                "credit_code",
                _("该统一社会信用代码已登记在您管辖范围以外的企业名下，不能在此修改。"),
            )
            return
        ctx.enterprises[code] = existing
        row.instance = existing
        row.changes = self.changed_fields(existing, fields)
        row.action = UPDATE if row.changes else UNCHANGED

    def apply(self, ctx, row: ParsedRow) -> None:
        code = row.get("credit_code")
        if row.action == CREATE:
            ctx.enterprises[code] = enterprise_create(by=ctx.by, **row.changes)
        else:
            ctx.enterprises[code] = enterprise_update(
                enterprise=row.instance, by=ctx.by, expected_version=None, **row.changes
            )
