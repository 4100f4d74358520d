"""Sheet 驻企安排: who is stationed where, keyed by programme + cadre + enterprise.

The cadre and the enterprise may be new in the same workbook: those sheets are validated and
written first, and an assignment whose cadre or enterprise row failed is not written.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from stationing.choices import AssignmentRole, ProgrammeStatus
from stationing.models import Assignment
from stationing.services import assignment_create, assignment_update

from .base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    ParsedRow,
    SheetKind,
    labels_of,
    parse_choice,
    parse_credit_code,
    parse_date,
    parse_phone,
    parse_text,
)
from .enterprise_sheet import EXAMPLE_CREDIT_CODE


class AssignmentSheet(SheetKind):
    kind = "assignments"
    label = _l("驻企安排")
    sheet_name = "驻企安排"
    sheet_aliases = ("进驻安排", "驻企名单", "结对安排")
    model = Assignment
    columns = (
        Column(
            "programme",
            "驻企批次",
            parse_text(100),
            required=True,
            help=_l("系统中已建立的驻企批次名称。"),
            example="2026年示范县干部驻企",
            width=24,
        ),
        Column(
            "cadre",
            "干部手机号",
            parse_phone,
            required=True,
            field="cadre",
            aliases=("手机号", "手机号码"),
            help=_l("驻企干部的手机号：系统中已有的干部，或本文件“干部”工作表中的干部。"),
            example="13912345678",
            width=16,
            as_text=True,
        ),
        Column(
            "enterprise_code",
            "企业统一社会信用代码",
            parse_credit_code,
            field="enterprise",
            aliases=("统一社会信用代码", "社会信用代码"),
            help=_l(
                "系统中已有的企业，或本文件“企业”工作表中的企业。不填时按企业名称查找，名称须唯一。"
            ),
            example=EXAMPLE_CREDIT_CODE,
            width=24,
            as_text=True,
        ),
        Column(
            "enterprise_name",
            "企业名称",
            parse_text(200),
            field="enterprise_name",
            help=_l("未填统一社会信用代码时用于查找企业。"),
            example="示范机械制造有限公司",
            width=30,
        ),
        Column(
            "work_group",
            "工作组",
            parse_text(100),
            help=_l("该批次中已建立的工作组名称，可不填。"),
            example="第一工作组",
            width=14,
        ),
        Column(
            "start_date",
            "进驻日期",
            parse_date,
            required=True,
            help=_l("须在驻企批次的起止日期之内。"),
            allowed=_l("日期，如 2026-03-01"),
            example="2026-03-01",
            width=12,
        ),
        Column(
            "end_date",
            "撤离日期",
            parse_date,
            help=_l("不填表示尚未撤离。"),
            allowed=_l("日期，如 2027-02-28"),
            example="",
            width=12,
        ),
        Column(
            "role",
            "角色",
            parse_choice(AssignmentRole),
            help=_l("不填视为“队员”。"),
            example="组长",
            width=10,
            options=labels_of(AssignmentRole),
        ),
    )

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        ctx.load_enterprises(
            {row.get("enterprise_code") for row in rows if row.has("enterprise_code")}
        )
        phones = {row.get("cadre") for row in rows if row.has("cadre")}
        ctx.load_profiles(phones)
        existing = Assignment.objects.select_related("work_group").filter(cadre__phone__in=phones)
        ctx.cache[self.kind] = {(a.programme_id, a.cadre_id, a.enterprise_id): a for a in existing}

    def validate(self, ctx, row: ParsedRow) -> None:
        programme = work_group = None
        if row.has("programme"):
            programme, problem = ctx.programme(row.get("programme"))
            if problem:
                row.error("programme", problem)
            elif programme.status == ProgrammeStatus.CLOSED:
                row.error(
                    "programme",
                    _("驻企批次“%(name)s”已结束，不能再安排进驻。") % {"name": programme.name},
                )
                programme = None
        phone = ctx.resolve_cadre(row, "cadre")
        code = ctx.resolve_enterprise(row, code_key="enterprise_code", name_key="enterprise_name")
        if programme and row.has("work_group"):
            work_group = ctx.work_group(programme, row.get("work_group"))
            if work_group is None:
                row.error(
                    "work_group",
                    _(
                        "驻企批次“%(programme)s”中没有名为“%(name)s”的工作组，"
                        "请先在批次中建立该工作组。"
                    )
                    % {"programme": programme.name, "name": row.get("work_group")},
                )
        start, end = row.get("start_date"), row.get("end_date")
        if start and end and end < start:
            row.error("end_date", _("撤离日期不能早于进驻日期。"))
        if programme and start and not programme.start_date <= start <= programme.end_date:
            row.error(
                "start_date",
                _("进驻日期应在驻企批次的起止日期（%(start)s 至 %(end)s）之内。")
                % {"start": programme.start_date, "end": programme.end_date},
            )
        if row.errors or not (programme and phone and code):
            return
        first = ctx.first_with_key(self.kind, (programme.pk, phone, code), row)
        if first is not None:
            row.duplicate_of(
                first, "cadre", _("同一批次、干部和企业的驻企安排在文件中只能出现一次。")
            )
            return
        row.refs.update(programme=programme, cadre=phone, enterprise=code)
        fields = row.given(("start_date", "end_date", "role"))
        if work_group is not None:
            fields["work_group"] = work_group
        cadre, enterprise = ctx.cadres.get(phone), ctx.enterprises.get(code)
        existing = None
        if cadre is not None and enterprise is not None:
            existing = ctx.cache[self.kind].get((programme.pk, cadre.pk, enterprise.pk))
        if existing is None:
            row.action, row.changes = CREATE, fields
            return
        row.instance = existing
        row.changes = self.changed_fields(existing, fields)
        row.action = UPDATE if row.changes else UNCHANGED

    def apply(self, ctx, row: ParsedRow) -> None:
        if row.action == CREATE:
            assignment_create(
                by=ctx.by,
                programme=row.refs["programme"],
                cadre=ctx.cadres[row.refs["cadre"]],
                enterprise=ctx.enterprises[row.refs["enterprise"]],
                **row.changes,
            )
        else:
            assignment_update(
                assignment=row.instance, by=ctx.by, expected_version=None, **row.changes
            )
