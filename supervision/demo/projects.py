"""The demo county's key projects (领导包项): five projects across the three lists and several
stages, each with its leader, lead and co-units, team, milestones and monthly progress.

Plain data like data.py and activity.py: fixed lists plus the day the seed runs (`today`), so
the milestones show one late, one due within the week and some met, and the monthly progress
runs from the programme's first month to the latest one fallen due, with one project missing
that month. Two builds with the same day give the same data. seed_demo writes it through the
projects services. The Chinese strings are demo data, not messages to translate.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from core.dates import SHANGHAI
from projects.choices import ProjectCategory, Stage
from supervision.choices import Category, Urgency

from .data import PROGRAMME_START, DemoCounty

D = datetime.timedelta


@dataclass(frozen=True)
class MilestoneData:
    title: str
    planned: datetime.date
    actual: datetime.date | None = None


@dataclass(frozen=True)
class ProgressData:
    month: datetime.date
    investment: Decimal
    stage: str
    work_done: str
    next_steps: str
    problems: tuple[str, ...]
    filed_at: datetime.datetime


@dataclass(frozen=True)
class ProblemTicketData:
    """The first problem of the project's latest progress, raised as a ticket by the team head
    (only for a project with an investing enterprise: the loop feeds back to it), an hour after
    that progress was filed."""

    category: str
    urgency: str
    title: str


@dataclass(frozen=True)
class ProjectData:
    name: str
    category: str
    industry_chain: str
    description: str
    total_investment: Decimal
    year_planned_investment: Decimal
    enterprise_code: str | None
    leader_phone: str
    lead_unit: str
    co_units: tuple[str, ...]
    region: str
    start_stage: str
    team_phones: tuple[str, ...]  # the first is the team head (组长)
    start_date: datetime.date | None
    end_date: datetime.date | None
    milestones: tuple[MilestoneData, ...]
    progress: tuple[ProgressData, ...]
    ticket: ProblemTicketData | None = None


def months_due(today: datetime.date, due_day: int) -> list[datetime.date]:
    """The months from the programme's first to the latest whose progress has fallen due."""
    last = (today.replace(day=1) - D(days=1)).replace(day=1)
    if today.day <= due_day:
        last = (last - D(days=1)).replace(day=1)
    months, month = [], PROGRAMME_START.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + D(days=32)).replace(day=1)
    return months


def _filed(month: datetime.date, day: int) -> datetime.datetime:
    following = (month + D(days=32)).replace(day=day)
    return datetime.datetime.combine(following, datetime.time(16, 30), tzinfo=SHANGHAI)


def _progress(months, stages, amounts, work, problems_at=None, *, skip_last=False):
    """One report per month: `stages` maps a month's index to the stage reached from then on,
    `amounts` repeat over the months, `problems_at` adds problems to the latest report."""
    if skip_last:
        months = months[:-1]
    rows, stage = [], stages[0]
    for index, month in enumerate(months):
        stage = stages.get(index, stage)
        last = index == len(months) - 1
        rows.append(
            ProgressData(
                month=month,
                investment=amounts[index % len(amounts)],
                stage=stage,
                work_done=work[index % len(work)].format(month=month.month),
                next_steps="按节点计划推进，确保下月完成既定工作量。",
                problems=tuple(problems_at or ()) if last else (),
                # On time, on the 3rd or 4th of the next month.
                filed_at=_filed(month, 3 + index % 2),
            )
        )
    return tuple(rows)


def build_projects(
    county: DemoCounty, today: datetime.date, due_day: int, leader_phones: list[str]
) -> list[ProjectData]:
    """`leader_phones`: the county leaders, the demo login first."""
    codes = [enterprise.credit_code for enterprise in county.enterprises]
    cadres = [a.cadre_phone for a in county.assignments]
    demo_cadre = cadres[0]  # the `cadre` login, stationed at 宏达机械 (enterprise 0)
    months = months_due(today, due_day)
    demo_leader, other_leader = leader_phones[0], leader_phones[1]
    return [
        ProjectData(
            name="宏达智能农机装备产业园",
            category=ProjectCategory.INDUSTRY,
            industry_chain="农机装备",
            description="新建智能化总装车间、焊接车间和试验场，形成年产玉米收获机3000台能力。",
            total_investment=Decimal("68000"),
            year_planned_investment=Decimal("24000"),
            enterprise_code=codes[0],
            leader_phone=demo_leader,
            lead_unit="青山县工业和信息化局",
            co_units=("青山县自然资源局", "青山县行政审批局"),
            region="青山经济开发区管理委员会",
            start_stage=Stage.SIGN,
            team_phones=(demo_cadre, cadres[1]),
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2027, 10, 31),
            milestones=(
                MilestoneData(
                    "完成立项备案", PROGRAMME_START + D(days=30), PROGRAMME_START + D(28)
                ),
                MilestoneData(
                    "取得施工许可", PROGRAMME_START + D(days=60), PROGRAMME_START + D(57)
                ),
                MilestoneData("总装车间主体封顶", today - D(days=12)),
                MilestoneData("设备进场安装", today + D(days=75)),
            ),
            progress=_progress(
                months,
                {0: Stage.FILING, 1: Stage.APPROVAL, 2: Stage.CONSTRUCTION},
                [Decimal("1800"), Decimal("2600"), Decimal("3100")],
                [
                    "{month}月完成总装车间基础施工，钢结构进场。",
                    "{month}月焊接车间主体施工，完成形象进度计划。",
                ],
                ["总装车间钢结构施工需临时用电增容，供电方案尚未批复，影响夜间施工。"],
            ),
            ticket=ProblemTicketData(Category.UTILITIES, Urgency.URGENT, "产业园施工临时用电增容"),
        ),
        ProjectData(
            name="青山经济开发区标准化厂房二期",
            category=ProjectCategory.INFRASTRUCTURE,
            industry_chain="",
            description="新建标准化厂房12栋8万平方米及配套道路、管网，用于承接招商落地项目。",
            total_investment=Decimal("32000"),
            year_planned_investment=Decimal("15000"),
            enterprise_code=None,
            leader_phone=demo_leader,
            lead_unit="青山县发展和改革局",
            co_units=("青山县住房和城乡建设局", "青山县财政局"),
            region="青山经济开发区管理委员会",
            start_stage=Stage.FILING,
            team_phones=(cadres[2], demo_cadre),
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2027, 6, 30),
            milestones=(
                MilestoneData(
                    "完成初步设计批复", PROGRAMME_START + D(days=45), PROGRAMME_START + D(50)
                ),
                MilestoneData("完成施工招标", today + D(days=5)),
                MilestoneData("开工建设", today + D(days=40)),
            ),
            progress=_progress(
                months,
                {0: Stage.FILING, 3: Stage.APPROVAL},
                [Decimal("600"), Decimal("900")],
                ["{month}月推进初步设计和施工图审查。", "{month}月完成场地平整和临建。"],
                ["厂房用地中有2户未完成征迁，影响场地移交。"],
            ),
        ),
        ProjectData(
            name="青山县人民医院门诊综合楼",
            category=ProjectCategory.LIVELIHOOD,
            industry_chain="",
            description="新建门诊综合楼2.6万平方米，设床位300张，配套医技用房和停车场。",
            total_investment=Decimal("21000"),
            year_planned_investment=Decimal("9000"),
            enterprise_code=None,
            leader_phone=demo_leader,
            lead_unit="青山县住房和城乡建设局",
            co_units=("青山县财政局",),
            region="青山县城关镇",
            start_stage=Stage.APPROVAL,
            team_phones=(cadres[3],),
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2027, 12, 31),
            milestones=(
                MilestoneData(
                    "主体结构施工至十层", PROGRAMME_START + D(days=180), PROGRAMME_START + D(178)
                ),
                MilestoneData("主体封顶", today + D(days=50)),
            ),
            # The team has not filed the latest month: it shows as missing (缺报).
            progress=_progress(
                months,
                {0: Stage.APPROVAL, 2: Stage.CONSTRUCTION},
                [Decimal("700"), Decimal("850")],
                ["{month}月门诊楼主体结构施工。", "{month}月完成砌体和机电预埋。"],
                skip_last=True,
            ),
        ),
        ProjectData(
            name="青山重工矿山装备智能化技改",
            category=ProjectCategory.INDUSTRY,
            industry_chain="矿山装备",
            description="购置智能焊接机器人和数控加工中心，改造两条输送机生产线。",
            total_investment=Decimal("18500"),
            year_planned_investment=Decimal("8000"),
            enterprise_code=codes[1],
            leader_phone=other_leader,
            lead_unit="青山县工业和信息化局",
            co_units=("青山县人民政府金融工作办公室",),
            region="青山经济开发区管理委员会",
            start_stage=Stage.NEGOTIATE,
            team_phones=(cadres[1],),
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2027, 5, 31),
            milestones=(
                MilestoneData(
                    "签订技改合同", PROGRAMME_START + D(days=40), PROGRAMME_START + D(38)
                ),
                MilestoneData("技改贷款到位", today + D(days=30)),
            ),
            progress=_progress(
                months,
                {0: Stage.SIGN, 2: Stage.FILING, 5: Stage.FINANCING},
                [Decimal("300"), Decimal("650")],
                ["{month}月完成设备选型和询价。", "{month}月对接银行办理技改贷款。"],
            ),
        ),
        ProjectData(
            name="国道青山过境段改线工程",
            category=ProjectCategory.INFRASTRUCTURE,
            industry_chain="",
            description="国道青山过境段改线12.8公里，按一级公路标准建设。",
            total_investment=Decimal("96000"),
            year_planned_investment=Decimal("5000"),
            enterprise_code=None,
            leader_phone=other_leader,
            lead_unit="青山县交通运输局",
            co_units=("青山县自然资源局", "青山县生态环境局"),
            region="青山县东风镇",
            start_stage=Stage.NEGOTIATE,
            team_phones=(cadres[4],),
            start_date=None,
            end_date=None,
            milestones=(MilestoneData("完成工程可行性研究报告", today + D(days=90)),),
            progress=_progress(
                months,
                {0: Stage.NEGOTIATE, 4: Stage.FILING},
                [Decimal("0"), Decimal("120")],
                ["{month}月配合编制工程可行性研究报告。", "{month}月完成线位比选。"],
            ),
        ),
    ]
