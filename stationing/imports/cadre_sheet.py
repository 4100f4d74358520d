"""Sheet 干部: stationed cadres, keyed by mobile number (which is also their login name)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from core.choices import Rank
from core.models import Profile
from core.services import cadre_create, profile_update

from .base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    ParsedRow,
    SheetKind,
    labels_of,
    parse_choice,
    parse_email,
    parse_phone,
    parse_text,
)

RANK_ALIASES = {
    "副科": Rank.DEPUTY_SECTION,
    "正科": Rank.SECTION,
    "副处": Rank.DEPUTY_DIVISION,
    "正处": Rank.DIVISION,
    "一级科员": Rank.CLERK,
    "二级科员": Rank.CLERK,
}


class CadreSheet(SheetKind):
    kind = "cadres"
    label = _l("驻企干部")
    sheet_name = "干部"
    sheet_aliases = ("驻企干部", "干部名单", "驻企干部名单")
    model = Profile
    columns = (
        Column("name", "姓名", parse_text(50), required=True, example="张三", width=12),
        Column(
            "phone",
            "手机号",
            parse_phone,
            required=True,
            aliases=("手机号码", "手机"),
            help=_l(
                "11位大陆手机号，用作登录名。再次导入同一手机号时更新该干部信息，不会重复建号。"
            ),
            example="13912345678",
            width=16,
            as_text=True,
        ),
        Column(
            "unit",
            "派出单位",
            parse_text(100),
            required=True,
            help=_l("干部原工作单位的全称，须是系统中标为“派出单位”的单位。"),
            example="示范县发展和改革局",
            width=24,
        ),
        Column(
            "rank",
            "职级",
            parse_choice(Rank, aliases=RANK_ALIASES),
            example="正科级",
            width=12,
            options=labels_of(Rank),
        ),
        Column("title", "职务", parse_text(50), example="副局长", width=16),
        Column(
            "email",
            "电子邮箱",
            parse_email,
            aliases=("邮箱", "电子邮件", "邮件地址", "Email", "email", "E-mail"),
            help=_l("可不填。填写后，提醒和退回通知会同时发到该邮箱；留空不会清除已有的邮箱。"),
            example="zhang@example.gov.cn",
            width=26,
        ),
    )

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        ctx.load_profiles({row.get("phone") for row in rows if row.has("phone")})

    def validate(self, ctx, row: ParsedRow) -> None:
        phone = row.get("phone")
        if phone:
            first = ctx.file_cadres.get(phone)
            if first is not None:
                row.duplicate_of(first, "phone", _("同一手机号在文件中只能出现一次。"))
            else:
                ctx.file_cadres[phone] = row
        existing = ctx.profile_in_db(phone) if phone else None
        unit = None
        if row.has("unit"):
            unit, problem = ctx.dispatching_unit(
                row.get("unit"), current_id=existing.unit_id if existing else None
            )
            if problem:
                row.error("unit", problem)
        if row.errors:
            return
        fields = row.given(("name", "rank", "title"))
        fields["unit"] = unit
        email = row.get("email")  # the login's address (User.email), not a Profile field
        if existing is None:
            if ctx.username_taken(phone):
                row.error(
                    "phone", _("手机号 %(phone)s 已被用作其他账号的登录名。") % {"phone": phone}
                )
                return
            row.action, row.changes = CREATE, {**fields, **({"email": email} if email else {})}
            return
        if not ctx.is_cadre(existing):
            row.error(
                "phone",
                _("手机号 %(phone)s 已被非驻企干部的人员（%(name)s）使用。")
                % {"phone": phone, "name": existing.name},
            )
            return
        if not ctx.may_touch_cadre(existing):
            row.error("phone", _("该手机号的干部不在您的管理范围内，不能在此修改。"))
            return
        ctx.cadres[phone] = existing
        row.instance = existing
        row.changes = self.changed_fields(existing, fields)
        if email and email != existing.user.email:
            row.changes["email"] = email
        row.action = UPDATE if row.changes else UNCHANGED

    def apply(self, ctx, row: ParsedRow) -> None:
        phone = row.get("phone")
        if row.action == CREATE:
            fields = dict(row.changes)
            ctx.cadres[phone] = cadre_create(
                by=ctx.by, name=fields.pop("name"), phone=phone, **fields
            )
        else:
            ctx.cadres[phone] = profile_update(
                profile=row.instance, by=ctx.by, expected_version=None, **row.changes
            )
