"""Sheet 重点项目 of the Excel import: the project list as the development office sends it.

It joins stationing's one import (stationing.imports: upload → preview → confirm, the template
download, `manage.py import_xlsx`), registered from ProjectsConfig.ready(): the same
all-or-nothing run with every row's errors, validated and written after the enterprises, cadres
and assignments of the same file. A project is keyed by programme + name: importing the list
again updates the projects (blank cells leave what is there) and moves a project's stage forward
through the stage service (a stage further back is refused: that needs a reason, on the page).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from core.choices import Role
from enterprises.validators import normalize_credit_code, validate_credit_code
from stationing.choices import ProgrammeStatus
from stationing.imports import register_kind
from stationing.imports.base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CellError,
    Column,
    ParsedRow,
    SheetKind,
    as_text,
    fold,
    labels_of,
    parse_choice,
    parse_credit_code,
    parse_date,
    parse_decimal,
    parse_phone,
    parse_text,
)

from .choices import ProjectCategory, Stage
from .models import KeyProject
from .permissions import is_backward
from .services import project_create, project_move_stage, project_update

UNIT_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def parse_year(value) -> int:
    text = fold(value).removesuffix("年")
    if not re.fullmatch(r"20\d\d", text):
        raise CellError(_("“%(value)s”不是年份，请填写如 2026。") % {"value": as_text(value)})
    return int(text)


def parse_units(value) -> list[str]:
    return [name for name in UNIT_SEPARATORS.split(parse_text(1000)(value)) if name]


class ProjectSheet(SheetKind):
    kind = "projects"
    label = _l("重点项目")
    sheet_name = "重点项目"
    sheet_aliases = ("项目", "重点项目清单", "项目清单", "重大项目")
    model = KeyProject
    columns = (
        Column(
            "programme",
            "驻企批次",
            parse_text(100),
            required=True,
            help=_l("项目所属的驻企批次（系统中已建立的批次名称）；同一批次中按项目名称更新。"),
            example="2026年示范县干部驻企",
            width=24,
        ),
        Column(
            "name",
            "项目名称",
            parse_text(200),
            required=True,
            example="年产5万吨新材料项目",
            width=30,
        ),
        Column(
            "category",
            "类别",
            parse_choice(
                ProjectCategory,
                aliases={
                    "产业项目": "industry",
                    "基础设施项目": "infrastructure",
                    "民生项目": "livelihood",
                    "工业": "industry",
                },
            ),
            required=True,
            options=labels_of(ProjectCategory),
            example="产业",
        ),
        Column(
            "total_investment",
            "总投资",
            parse_decimal(),
            required=True,
            aliases=("总投资（万元）", "计划总投资"),
            help=_l("单位：万元。"),
            example="50000",
        ),
        Column(
            "year_planned_investment",
            "本年计划投资",
            parse_decimal(),
            aliases=("年度计划投资", "本年度计划投资"),
            help=_l("单位：万元。"),
            example="12000",
        ),
        Column(
            "plan_year",
            "计划年度",
            parse_year,
            help=_l("本年计划投资所属年度；不填为今年。"),
            example="2026",
            width=10,
        ),
        Column(
            "enterprise_name",
            "投资企业",
            parse_text(200),
            field="enterprise",
            aliases=("投资主体", "业主单位"),
            help=_l("企业名称或统一社会信用代码：系统中已有的企业，或本文件“企业”工作表中的企业。"),
            example="示范机械制造有限公司",
            width=30,
        ),
        Column(
            "enterprise_code",
            "投资企业统一社会信用代码",
            parse_credit_code,
            field="enterprise",
            help=_l("可不填；填写时按代码查找投资企业。"),
            width=24,
            as_text=True,
        ),
        Column(
            "leader",
            "包项领导",
            parse_phone,
            required=True,
            field="leader",
            aliases=("包项领导手机号", "包项县领导"),
            help=_l("包项领导的手机号（系统中已有、具有领导角色的人员）。"),
            example="13900000002",
            width=16,
            as_text=True,
        ),
        Column(
            "lead_unit",
            "牵头单位",
            parse_text(100),
            required=True,
            field="lead_unit",
            aliases=("责任单位",),
            help=_l("单位全称或简称。"),
            example="示范县发展和改革局",
            width=22,
        ),
        Column(
            "co_units",
            "协办单位",
            parse_units,
            field="co_units",
            aliases=("配合单位",),
            help=_l("多个单位用顿号“、”分隔。"),
            example="示范县自然资源局、示范县生态环境局",
            width=30,
        ),
        Column(
            "region",
            "所在区域",
            parse_text(100),
            field="region",
            aliases=("所在地区", "建设地点", "所在乡镇"),
            help=_l("县区或乡镇（街道）党委政府的单位全称。"),
            example="城关镇",
        ),
        Column(
            "stage",
            "当前阶段",
            parse_choice(Stage),
            aliases=("项目阶段", "进展阶段"),
            help=_l("不填时新项目为本批次的第一个阶段，已有项目不变；阶段只能向前推进。"),
            options=labels_of(Stage),
            example="建设",
        ),
        Column(
            "start_date",
            "计划开工日期",
            parse_date,
            aliases=("开工日期", "开工时间"),
            allowed=_l("日期，如 2026-04-01"),
            example="2026-04-01",
            width=12,
        ),
        Column(
            "end_date",
            "计划竣工日期",
            parse_date,
            aliases=("竣工日期", "计划完成日期"),
            allowed=_l("日期，如 2027-12-31"),
            example="2027-12-31",
            width=12,
        ),
        Column(
            "description",
            "建设内容",
            parse_text(2000),
            aliases=("建设规模及内容", "建设规模"),
            width=40,
        ),
    )

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        for row in rows:
            # One 投资企业 column takes a name or a credit code: a valid code is looked up as one.
            text = row.get("enterprise_name")
            if text and not row.has("enterprise_code"):
                code = normalize_credit_code(fold(text))
                if len(code) == 18:
                    try:
                        validate_credit_code(code)
                    except Exception:  # noqa: BLE001, S110 # not a code: a name  # nosec B110
                        pass
                    else:
                        row.values["enterprise_code"] = code
                        row.values["enterprise_name"] = None
        ctx.load_profiles({row.get("leader") for row in rows if row.has("leader")})
        names = {row.get("name") for row in rows if row.has("name")}
        ctx.cache[self.kind] = {
            (p.programme_id, p.name): p
            for p in KeyProject.objects.filter(name__in=names).prefetch_related("co_units")
        }

    def _unit(self, ctx, row, key, name):
        units = ctx.units_named(name)
        if not units:
            row.error(key, _("系统中没有名为“%(name)s”的单位。") % {"name": name})
            return None
        if len(units) > 1:
            row.error(key, _("有多个单位简称为“%(name)s”，请填写单位全称。") % {"name": name})
            return None
        return units[0]

    def validate(self, ctx, row: ParsedRow) -> None:
        if ctx.user is None:
            # The project services record and check the office clerk who registers a project.
            row.error(None, _("导入重点项目须以督查室人员的身份进行（命令行请加 --user）。"))
            return
        programme = None
        if row.has("programme"):
            programme, problem = ctx.programme(row.get("programme"))
            if problem:
                row.error("programme", problem)
            elif programme.status == ProgrammeStatus.CLOSED:
                row.error("programme", _("驻企批次“%(name)s”已结束。") % {"name": programme.name})
                programme = None
        fields = row.given(
            (
                "name",
                "category",
                "total_investment",
                "year_planned_investment",
                "plan_year",
                "start_date",
                "end_date",
                "description",
            )
        )
        code = None
        if row.has("enterprise_code") or row.has("enterprise_name"):
            code = ctx.resolve_enterprise(
                row, code_key="enterprise_code", name_key="enterprise_name"
            )
        leader = None
        if row.has("leader"):
            profile = ctx.profile_in_db(row.get("leader"))
            if (
                profile is None
                or profile.user is None
                or not any(group.name == Role.LEADER for group in profile.user.groups.all())
            ):
                row.error(
                    "leader",
                    _("没有手机号为 %(phone)s 的领导。") % {"phone": row.get("leader")},
                )
            else:
                leader = profile.user
                fields["leader"] = leader
        if row.has("lead_unit"):
            unit = self._unit(ctx, row, "lead_unit", row.get("lead_unit"))
            if unit is not None:
                fields["lead_unit"] = unit
        co_units = None
        if row.has("co_units"):
            co_units = [self._unit(ctx, row, "co_units", name) for name in row.get("co_units")]
        if row.has("region"):
            region, problem = ctx.region(row.get("region"))
            if problem:
                row.error("region", problem)
            else:
                fields["region"] = region
        start, end = row.get("start_date"), row.get("end_date")
        if start and end and end < start:
            row.error("end_date", _("计划竣工日期不能早于计划开工日期。"))
        if row.errors or programme is None:
            return
        first = ctx.first_with_key(self.kind, (programme.pk, row.get("name")), row)
        if first is not None:
            row.duplicate_of(first, "name", _("同一批次的项目名称在文件中只能出现一次。"))
            return
        row.refs.update(programme=programme, enterprise=code, co_units=co_units)
        existing = ctx.cache[self.kind].get((programme.pk, row.get("name")))
        stage = row.get("stage")
        if existing is None:
            if stage:
                fields["stage"] = stage
            row.action, row.changes = CREATE, fields
            return
        row.instance = existing
        changes = self.changed_fields(existing, fields)
        if code is not None and code in ctx.enterprises:
            if existing.enterprise_id != ctx.enterprises[code].pk:
                changes["enterprise"] = None  # resolved in apply (the enterprise may be new)
        if co_units is not None and {u.pk for u in co_units} != {
            u.pk for u in existing.co_units.all()
        }:
            changes["co_units"] = co_units
        if stage and stage != existing.stage:
            if is_backward(existing.stage, stage):
                row.error(
                    "stage",
                    _(
                        "项目已处于“%(current)s”阶段，不能通过导入回退到“%(stage)s”；回退须在项目页面说明原因。"
                    )
                    % {"current": existing.get_stage_display(), "stage": Stage(stage).label},
                )
                return
            changes["stage"] = stage
        row.changes = changes
        row.action = UPDATE if changes else UNCHANGED

    def apply(self, ctx, row: ParsedRow) -> None:
        changes = dict(row.changes)
        code = row.refs.get("enterprise")
        if code:
            changes["enterprise"] = ctx.enterprises[code]
        co_units = changes.pop(
            "co_units", row.refs.get("co_units") if row.action == CREATE else None
        )
        if row.action == CREATE:
            project_create(
                by=ctx.by,
                programme=row.refs["programme"],
                co_units=co_units or (),
                **changes,
            )
            return
        stage = changes.pop("stage", None)
        project = row.instance
        if changes or co_units is not None:
            project = project_update(
                project=project, by=ctx.by, expected_version=None, co_units=co_units, **changes
            )
        if stage:
            project_move_stage(project=project, by=ctx.by, to_stage=stage)


register_kind(ProjectSheet())
