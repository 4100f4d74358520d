"""The benchmark's data: a city or a province running one stationing programme.

city: 1,000 enterprises, 1,000 cadres, ~26,000 reports, 10,000 tickets with ~100,000 events;
province: ten times each. Plus what the pages read alongside: work plans with items and their
approved versions, surveys, two years of monthly indicators, enterprise contacts and their
ratings of the cadres, department clerks, work groups led by leaders, key projects and
notifications. The appraisal run is made by the benchmark itself (it is one of the measured jobs).

Distributions are meant to look like a programme in its thirteenth month: enterprises skewed
towards a few regions (Zipf), most reports on time and some late or missing, most tickets
closed and some open past their deadline (red), a minority yellow.

Everything is written with COPY (bench.copy) except the few rows that go through the services
(the programme and its periods, the organisation's top units), so the province builds in a few
minutes. The random generator is seeded and every moment is placed relative to today's local
midnight, so two runs on the same day build the same data.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from core.choices import Rank, Role, UnitKind, UnitLevel
from core.dates import SHANGHAI, end_of_day, start_of_day
from core.models import Profile, Unit
from core.ordering import natural_key, person_key, tree_key
from core.services import ensure_role_groups
from enterprises.choices import Industry, Ownership, Size
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.validators import credit_code_check_character
from notifications.models import Notification
from projects.choices import ProjectCategory, Stage
from projects.models import KeyProject
from stationing.choices import ItemStatus, PlanState, ReportRating, ReportState, TaskArea
from stationing.models import (
    Assignment,
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
    WorkGroup,
    WorkPlan,
    WorkPlanItem,
    WorkPlanVersion,
)
from stationing.services import programme_create, report_get_or_create_draft
from supervision.choices import Category, EventKind, Level, Satisfaction, TicketState, Urgency
from supervision.models import CadreRating, Ticket, TicketEvent
from supervision.workdays import YELLOW_SHARE, WorkCalendar, moment_at_share

from .copy import copy_rows, next_id, reset_sequences

SEED = 20261207
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database's only password
ITEMS_PER_PLAN = 6
MONTHS_OF_INDICATORS = 24
# Current-period drafts prepared for the measured submissions (30 + warm-up) and the burst (200).
DRAFTS = 260


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    tickets: int
    events_per_ticket: int  # on average
    cities: int  # province: cities under the province; city: 1 (the city itself)
    counties_per_city: int
    townships_per_county: int
    departments: int


SCALES = {
    "city": Scale("city", 1_000, 10_000, 10, 1, 10, 5, 40),
    "province": Scale("province", 10_000, 100_000, 10, 10, 10, 4, 80),
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉力永健世广义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
FIRMS = "恒昌 华鑫 宏达 金源 瑞丰 鼎盛 天成 永兴 中泰 远航 嘉和 利民 东方 新亚 盛世 富强 长青 兴业 万通 安泰".split()
TRADES = [
    ("机械制造", Industry.MANUFACTURING),
    ("纺织", Industry.MANUFACTURING),
    ("食品", Industry.MANUFACTURING),
    ("新材料", Industry.MANUFACTURING),
    ("电子科技", Industry.MANUFACTURING),
    ("建材", Industry.MANUFACTURING),
    ("物流", Industry.TRANSPORT),
    ("建筑工程", Industry.CONSTRUCTION),
    ("商贸", Industry.TRADE),
    ("农业开发", Industry.AGRICULTURE),
]
WORK = [
    "走访企业车间，了解订单和生产情况",
    "协调供电公司解决二期厂房用电增容问题",
    "陪同企业负责人对接银行，落实流动资金贷款",
    "宣讲稳岗补贴和研发费用加计扣除政策",
    "召开企业座谈会，收集用工、用地方面的困难",
    "跟进技改项目环评手续办理进度",
    "帮助企业梳理股改上市前的规范管理事项",
    "参加企业党支部主题党日活动",
]
PROBLEMS = [
    ("二期厂房用电增容迟迟未批", Category.UTILITIES),
    ("流动资金贷款续贷困难", Category.FINANCING),
    ("技改项目用地指标不足", Category.LAND),
    ("环评审批时间长", Category.APPROVALS),
    ("一线熟练工招聘难", Category.LABOUR),
    ("稳岗补贴尚未兑现", Category.POLICY),
    ("厂区道路破损影响运输", Category.INFRASTRUCTURE),
    ("与周边村民存在用地纠纷", Category.DISPUTES),
    ("产品市场开拓乏力", Category.MARKET),
]
ITEMS = [
    (TaskArea.STRATEGY, "协助制定三年发展规划", "完成规划文本并通过企业董事会审议"),
    (TaskArea.DIFFICULTIES, "协调解决用电增容", "新增变压器容量 2000 千伏安"),
    (TaskArea.DIFFICULTIES, "帮助落实融资需求", "落实银行贷款 500 万元"),
    (TaskArea.MANAGEMENT, "推动规范化股份制改造", "完成股改并挂牌区域股权市场"),
    (TaskArea.PARTY, "指导建立企业党支部", "党支部建成并按月开展活动"),
    (TaskArea.EMPLOYEES, "协助招聘一线工人", "新招聘熟练工 50 人"),
]


def _zipf_weights(count: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _credit_code(index: int) -> str:
    first17 = f"91{410000 + index // 1_000_000:06d}MA{index:07d}"
    return first17 + credit_code_check_character(first17)


def _at(day: datetime.date, hour: float) -> datetime.datetime:
    return start_of_day(day) + datetime.timedelta(hours=hour)


class Generator:
    def __init__(self, scale: Scale, say=print, seed: int = SEED):
        self.scale = scale
        self.say = say
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.midnight = start_of_day(self.today)
        self.password = make_password(PASSWORD, salt="benchsalt")
        self.counts: dict[str, int] = {}

    # --- the organisation ------------------------------------------------------------------

    def _units(self):
        """The top government, its regions (cities, counties, townships) and departments,
        written with their path and tree key as Unit.save() would."""
        scale = self.scale
        top_level = UnitLevel.PROVINCE if scale.name == "province" else UnitLevel.CITY
        top_name = "基准省人民政府" if scale.name == "province" else "基准市人民政府"
        rows = []
        unit_id = next_id(Unit)

        def add(name, parent, level, kind, **flags):
            nonlocal unit_id
            sort = natural_key(name)
            path = (parent["path"] if parent else "/") + f"{unit_id}/"
            row = {
                "id": unit_id,
                "name": name,
                "parent_id": parent["id"] if parent else None,
                "level": level,
                "kind": kind,
                "path": path,
                "sort_key": sort,
                "tree_key": tree_key(parent["tree_key"] if parent else "", sort)[:1000],
                "is_dispatching": flags.get("dispatching", False),
                "is_responsible": flags.get("responsible", False),
            }
            rows.append(row)
            unit_id += 1
            return row

        top = add(top_name, None, top_level, UnitKind.GOVERNMENT)
        cities = (
            [
                add(f"第{n + 1}市人民政府", top, UnitLevel.CITY, UnitKind.GOVERNMENT)
                for n in range(scale.cities)
            ]
            if scale.name == "province"
            else [top]
        )
        counties, townships = [], []
        for city_index, city in enumerate(cities):
            for n in range(scale.counties_per_city):
                county = add(
                    f"第{city_index + 1}市第{n + 1}县人民政府",
                    city,
                    UnitLevel.COUNTY,
                    UnitKind.GOVERNMENT,
                )
                counties.append(county)
                for t in range(scale.townships_per_county):
                    townships.append(
                        add(
                            f"第{city_index + 1}市第{n + 1}县第{t + 1}镇",
                            county,
                            UnitLevel.TOWNSHIP,
                            UnitKind.GOVERNMENT,
                        )
                    )
        departments = [
            add(
                f"第{n + 1}职能局",
                top,
                top_level,
                UnitKind.DEPARTMENT,
                dispatching=True,
                responsible=True,
            )
            for n in range(scale.departments)
        ]
        columns = list(rows[0])
        copy_rows(Unit, columns, ([row[c] for c in columns] for row in rows))
        self.top = top
        self.regions = townships
        self.departments = departments
        self.counts["units"] = len(rows)

    def _people(self):
        """Logins and profiles: the office, leaders, department clerks, cadres, contacts."""
        scale, rng = self.scale, self.rng
        groups = ensure_role_groups()
        users, profiles, memberships = [], [], []
        user_id, profile_id = next_id(User), next_id(Profile)
        now = timezone.now()
        phone = 13_900_000_000

        def person(username, name, role, **profile):
            nonlocal user_id, profile_id, phone
            users.append((user_id, self.password, username, now, True))
            phone += 1
            profiles.append(
                (
                    profile_id,
                    user_id,
                    name,
                    str(phone),
                    profile.get("unit"),
                    profile.get("enterprise"),
                    profile.get("rank", ""),
                    profile.get("title", ""),
                    person_key(name),
                )
            )
            memberships.append((user_id, groups[role].pk))
            ids = (user_id, profile_id)
            user_id += 1
            profile_id += 1
            return ids

        self.office = person("bench-office", "督查室值班员", Role.OFFICE, unit=self.top["id"])
        self.leaders = [
            person(
                f"bench-leader-{n:04d}",
                _name(rng),
                Role.LEADER,
                unit=self.top["id"],
                title="副市长",
            )
            for n in range(max(5, scale.enterprises // 200))
        ]
        self.clerks: dict[int, list[tuple[int, int]]] = {}
        for index, department in enumerate(self.departments):
            self.clerks[department["id"]] = [
                person(
                    f"bench-dept-{index:03d}-{n}",
                    _name(rng),
                    Role.DEPARTMENT,
                    unit=department["id"],
                )
                for n in range(2)
            ]
        weights = _zipf_weights(len(self.departments), 0.6)
        self.cadres = [
            person(
                f"bench-cadre-{n:05d}",
                _name(rng),
                Role.CADRE,
                unit=rng.choices(self.departments, weights)[0]["id"],
                rank=rng.choice([Rank.CLERK, Rank.DEPUTY_SECTION, Rank.SECTION]),
            )
            for n in range(scale.enterprises)
        ]
        self.contacts = [
            person(
                f"bench-contact-{n:05d}",
                _name(rng),
                Role.ENTERPRISE,
                enterprise=self.enterprise_ids[n],
                title="办公室主任",
            )
            for n in range(scale.enterprises)
        ]
        copy_rows(
            User,
            ["id", "password", "username", "date_joined", "is_active"],
            users,
        )
        copy_rows(
            Profile,
            [
                "id",
                "user_id",
                "name",
                "phone",
                "unit_id",
                "enterprise_id",
                "rank",
                "title",
                "sort_key",
            ],
            profiles,
        )
        copy_rows(User.groups.through, ["user_id", "group_id"], memberships)
        self.counts["users"] = len(users)

    def _enterprises(self):
        scale, rng = self.scale, self.rng
        first = next_id(Enterprise)
        weights = _zipf_weights(len(self.regions))
        rows = []
        self.enterprise_ids = list(range(first, first + scale.enterprises))
        self.enterprise_region = {}
        for n, pk in enumerate(self.enterprise_ids):
            region = rng.choices(self.regions, weights)[0]
            trade, industry = rng.choice(TRADES)
            name = f"{region['name'][-2:]}{rng.choice(FIRMS)}{trade}有限公司{n + 1}号"
            self.enterprise_region[pk] = region["id"]
            rows.append(
                (
                    pk,
                    name,
                    _credit_code(n),
                    industry,
                    rng.choice(Ownership.values),
                    rng.choices(Size.values, [1, 3, 6, 8][: len(Size.values)])[0],
                    region["id"],
                    rng.randint(20, 2000),
                    True,
                    natural_key(name),
                )
            )
        copy_rows(
            Enterprise,
            [
                "id",
                "name",
                "credit_code",
                "industry",
                "ownership",
                "size",
                "region_id",
                "employees",
                "is_key",
                "sort_key",
            ],
            rows,
        )
        self.counts["enterprises"] = len(rows)

    # --- the programme ---------------------------------------------------------------------

    def _programme(self):
        month = self.today.replace(day=1)
        start = (month - datetime.timedelta(days=366)).replace(day=1)
        end = (month + datetime.timedelta(days=62)).replace(day=1) - datetime.timedelta(days=1)
        office = User.objects.get(pk=self.office[0])
        self.programme = programme_create(
            by=office,
            name=f"{self.today.year}年度机关干部进厂驻企（基准）",
            organiser_id=self.top["id"],
            start_date=start,
            end_date=end,
            status="active",
            growth_targets={
                "output_value": 17,
                "value_added": 16,
                "profit_tax": 10,
                "profit": 10,
                "investment": 30,
            },
        )
        self.periods = list(
            ReportPeriod.objects.filter(programme=self.programme).order_by("number")
        )
        now = timezone.now()
        self.due_periods = [p for p in self.periods if p.due_at <= now]
        self.current = next(p for p in self.periods if p.start <= self.today <= p.end)

    def _groups_and_assignments(self):
        rng = self.rng
        group_size = 50
        first = next_id(WorkGroup)
        groups = []
        count = (len(self.cadres) + group_size - 1) // group_size
        for n in range(count):
            name = f"第{n + 1}工作组"
            groups.append(
                (first + n, self.programme.pk, name, rng.choice(self.leaders)[0], natural_key(name))
            )
        copy_rows(WorkGroup, ["id", "programme_id", "name", "leader_id", "sort_key"], groups)
        first_assignment = next_id(Assignment)
        rows = []
        self.assignments = []  # (assignment id, cadre profile id, cadre user id, enterprise id)
        for n, (cadre_user, cadre_profile) in enumerate(self.cadres):
            pk = first_assignment + n
            enterprise = self.enterprise_ids[n]
            rows.append(
                (
                    pk,
                    self.programme.pk,
                    cadre_profile,
                    enterprise,
                    first + n // group_size,
                    self.programme.start_date,
                    "leader" if n % group_size == 0 else "member",
                )
            )
            self.assignments.append((pk, cadre_profile, cadre_user, enterprise))
        copy_rows(
            Assignment,
            [
                "id",
                "programme_id",
                "cadre_id",
                "enterprise_id",
                "work_group_id",
                "start_date",
                "role",
            ],
            rows,
        )
        self.counts["assignments"] = len(rows)
        del rng

    def _plans(self):
        """One approved plan per enterprise, six items each, and its approved version."""
        rng = self.rng
        programme = self.programme
        span = (programme.end_date - programme.start_date).days
        plan_first, item_first, version_first = (
            next_id(WorkPlan),
            next_id(WorkPlanItem),
            next_id(WorkPlanVersion),
        )
        plans, items, versions = [], [], []
        self.plan_items: dict[int, list[int]] = {}
        submitted = _at(programme.start_date + datetime.timedelta(days=6), 10)
        decided = submitted + datetime.timedelta(days=2)
        item_id = item_first
        for n, (_, _, cadre_user, enterprise) in enumerate(self.assignments):
            plan_id = plan_first + n
            plans.append(
                (
                    plan_id,
                    programme.pk,
                    enterprise,
                    PlanState.APPROVED,
                    "围绕企业发展需求，一企一策。",
                    1,
                    1,
                    submitted,
                )
            )
            snapshot, ids = [], []
            for position, (area, title, target) in enumerate(ITEMS):
                due = programme.start_date + datetime.timedelta(days=int(span * (position + 1) / 7))
                elapsed = (self.today - programme.start_date).days / max(
                    1, (due - programme.start_date).days
                )
                progress = min(100, max(0, int(100 * elapsed + rng.randint(-25, 10))))
                status = ItemStatus.DONE if progress >= 100 else ItemStatus.IN_PROGRESS
                if progress == 0:
                    status = ItemStatus.NOT_STARTED
                items.append(
                    (
                        item_id,
                        plan_id,
                        position,
                        area,
                        title,
                        target,
                        "驻企干部",
                        due,
                        status,
                        progress,
                        True,
                    )
                )
                snapshot.append(
                    {
                        "id": item_id,
                        "area": area,
                        "title": title,
                        "target": target,
                        "owner": "驻企干部",
                        "due_date": due.isoformat(),
                        "position": str(position),
                    }
                )
                ids.append(item_id)
                item_id += 1
            self.plan_items[enterprise] = ids
            versions.append(
                (
                    version_first + n,
                    plan_id,
                    1,
                    "围绕企业发展需求，一企一策。",
                    snapshot,
                    PlanState.APPROVED,
                    cadre_user,
                    submitted,
                    self.office[0],
                    decided,
                )
            )
        copy_rows(
            WorkPlan,
            [
                "id",
                "programme_id",
                "enterprise_id",
                "state",
                "summary",
                "latest_number",
                "approved_number",
                "first_submitted_at",
            ],
            plans,
        )
        copy_rows(
            WorkPlanItem,
            [
                "id",
                "plan_id",
                "position",
                "area",
                "title",
                "target",
                "owner",
                "due_date",
                "status",
                "progress",
                "is_active",
            ],
            items,
        )
        copy_rows(
            WorkPlanVersion,
            [
                "id",
                "plan_id",
                "number",
                "summary",
                "items",
                "state",
                "submitted_by_id",
                "submitted_at",
                "decided_by_id",
                "decided_at",
            ],
            versions,
        )
        self.counts["plan_items"] = len(items)

    def _reports(self):
        """Every due period of every stationing: ~93% on time, ~4% late, ~3% missing; with
        their item progress and the submitted version."""
        rng = self.rng
        report_id, version_id = next_id(ProgressReport), next_id(ProgressReportVersion)
        ratings = [ReportRating.EXCELLENT, ReportRating.GOOD, ReportRating.FAIR, ReportRating.POOR]
        office = self.office[0]
        report_columns = [
            "id", "assignment_id", "period_id", "state", "work_done", "next_steps", "planned_steps",
            "days_on_site", "submitted_at", "first_submitted_at", "is_late", "submission_count",
            "rating", "review_comment", "reviewed_by_id", "reviewed_at",
        ]  # fmt: skip
        reports, progress, versions = [], [], []
        for assignment, _, cadre_user, enterprise in self.assignments:
            items = self.plan_items[enterprise]
            previous_next = ""
            for index, period in enumerate(self.due_periods):
                roll = rng.random()
                if roll < 0.03:
                    continue  # missing
                late = roll < 0.07
                if late:
                    submitted = period.due_at + datetime.timedelta(hours=rng.randint(2, 120))
                else:
                    submitted = period.due_at - datetime.timedelta(hours=rng.randint(1, 96))
                reviewed = index < len(self.due_periods) - 2 and rng.random() < 0.8
                work = "；".join(rng.sample(WORK, 3)) + "。"
                next_steps = "；".join(rng.sample(WORK, 2)) + "。"
                days = rng.randint(5, 12)
                rating = rng.choices(ratings, [3, 5, 2, 0.3])[0] if reviewed else ""
                reports.append(
                    (
                        report_id, assignment, period.pk,
                        ReportState.REVIEWED if reviewed else ReportState.SUBMITTED,
                        work, next_steps, previous_next, days, submitted, submitted, late, 1,
                        rating, "已阅。" if reviewed else "", office if reviewed else None,
                        submitted + datetime.timedelta(days=2) if reviewed else None,
                    )
                )  # fmt: skip
                share = (index + 1) / len(self.due_periods)
                rows = []
                for item in items:
                    value = min(100, int(100 * share * rng.uniform(0.8, 1.3)))
                    status = ItemStatus.DONE if value >= 100 else ItemStatus.IN_PROGRESS
                    progress.append((report_id, item, value, status, ""))
                    rows.append({"item": item, "progress": value, "status": status, "note": ""})
                versions.append(
                    (
                        version_id, report_id, 1,
                        {"work_done": work, "planned_steps": previous_next, "next_steps": next_steps,
                         "days_on_site": days, "behind_reason": "", "remedy": "", "items": rows, "problems": []},
                        cadre_user, submitted, late,
                    )
                )  # fmt: skip
                previous_next = next_steps
                report_id += 1
                version_id += 1
        copy_rows(ProgressReport, report_columns, reports)
        copy_rows(
            ReportItemProgress, ["report_id", "item_id", "progress", "status", "note"], progress
        )
        copy_rows(
            ProgressReportVersion,
            ["id", "report_id", "number", "content", "submitted_by_id", "submitted_at", "is_late"],
            versions,
        )
        self.counts["reports"] = len(reports)
        self.counts["report_item_progress"] = len(progress)

    def _current_drafts(self):
        """This period: some cadres have already reported; DRAFTS open drafts (through the
        service, as a cadre opening the form would) wait for the measured submissions."""
        drafts = self.assignments[:DRAFTS]
        by_pk = {a.pk: a for a in Assignment.objects.filter(pk__in=[row[0] for row in drafts])}
        users = {u.pk: u for u in User.objects.filter(pk__in=[row[2] for row in drafts])}
        for assignment, _, cadre_user, _ in drafts:
            report_get_or_create_draft(
                assignment=by_pk[assignment], period=self.current, by=users[cadre_user]
            )
        rng = self.rng
        rows = []
        report_id = next_id(ProgressReport)
        for assignment, _, _, _ in self.assignments[DRAFTS:]:
            if rng.random() < 0.15:
                at = self.midnight - datetime.timedelta(hours=rng.randint(1, 100))
                if at.date() < self.current.start:
                    continue
                rows.append(
                    (
                        report_id,
                        assignment,
                        self.current.pk,
                        ReportState.SUBMITTED,
                        "本期走访企业。",
                        "继续跟进。",
                        6,
                        at,
                        at,
                        False,
                        1,
                    )
                )
                report_id += 1
        copy_rows(
            ProgressReport,
            [
                "id",
                "assignment_id",
                "period_id",
                "state",
                "work_done",
                "next_steps",
                "days_on_site",
                "submitted_at",
                "first_submitted_at",
                "is_late",
                "submission_count",
            ],
            rows,
        )

    # --- the enterprises' figures ----------------------------------------------------------

    def _figures(self):
        rng = self.rng
        month = self.today.replace(day=1)
        months = []
        for _ in range(MONTHS_OF_INDICATORS):
            month = (month - datetime.timedelta(days=1)).replace(day=1)
            months.append(month)
        months.reverse()
        indicators, surveys = [], []
        for n, enterprise in enumerate(self.enterprise_ids):
            base = rng.uniform(200, 20000)
            growth = rng.gauss(0.14, 0.12)
            cadre_user = self.cadres[n][0]
            for index, first_day in enumerate(months):
                year_factor = (1 + growth) ** (index / 12)
                output = round(base * year_factor * rng.uniform(0.9, 1.1), 2)
                indicators.append(
                    (
                        enterprise, first_day, output, round(output * 0.3, 2), round(output * 1.05, 2),
                        round(output * 0.06, 2), round(output * 0.03, 2), round(output * rng.uniform(0, 0.2), 2),
                        rng.randint(20, 2000), cadre_user,
                    )
                )  # fmt: skip
            surveys.append(
                (enterprise, self.programme.start_date + datetime.timedelta(days=rng.randint(5, 40)), cadre_user,
                 round(base * 3, 2), round(base * 12, 2), round(base * 12.5, 2), round(base * 1.1, 2),
                 "省内及华东地区", "主要生产线为国内先进水平", "计划更新两条自动化生产线", "融资难、用工难", "加大政策支持力度")
            )  # fmt: skip
        copy_rows(
            IndicatorReport,
            [
                "enterprise_id",
                "month",
                "output_value",
                "value_added",
                "revenue",
                "profit",
                "tax",
                "investment",
                "employees",
                "reported_by_id",
            ],
            indicators,
        )
        copy_rows(
            EnterpriseSurvey,
            ["enterprise_id", "surveyed_on", "surveyed_by_id", "fixed_assets", "output_value", "sales", "profit_tax",
             "main_markets", "equipment", "renovation_plans", "difficulties", "suggestions"],
            surveys,
        )  # fmt: skip
        self.counts["indicators"] = len(indicators)
        self.counts["surveys"] = len(surveys)

    def _ratings(self):
        rng = self.rng
        rows = []
        for n, (contact_user, _) in enumerate(self.contacts):
            if rng.random() < 0.7:
                rows.append(
                    (
                        contact_user,
                        self.cadres[n][1],
                        self.programme.pk,
                        rng.choices([5, 4, 3, 2], [6, 3, 1, 0.2])[0],
                        "",
                    )
                )
        copy_rows(CadreRating, ["contact_id", "cadre_id", "programme_id", "stars", "comment"], rows)
        self.counts["cadre_ratings"] = len(rows)

    # --- tickets ---------------------------------------------------------------------------

    def _tickets(self):
        """Tickets with timelines. States at today: ~78% closed, some answered, open ones in
        progress (green, yellow, red), a few waiting, rejected or withdrawn."""
        scale, rng = self.scale, self.rng
        calendar = WorkCalendar.load(self.programme.start_date.year - 1, self.today.year + 1)
        start_day = self.programme.start_date
        days_running = (self.today - start_day).days
        ticket_first = next_id(Ticket)
        enterprise_weights = _zipf_weights(scale.enterprises, 0.5)
        department_weights = _zipf_weights(len(self.departments), 0.8)
        cadre_of = {row[3]: row[2] for row in self.assignments}
        contact_of = {self.enterprise_ids[n]: row[0] for n, row in enumerate(self.contacts)}
        office = self.office[0]
        leaders = [row[0] for row in self.leaders]
        states = [
            (TicketState.CLOSED, 78), (TicketState.ANSWERED, 4), ("green", 6), ("yellow", 2),
            ("red", 2.5), (TicketState.ASSIGNED, 1.5), (TicketState.ACCEPTED, 0.8),
            (TicketState.SUBMITTED, 1.7), (TicketState.REJECTED, 1.5), (TicketState.WITHDRAWN, 2),
        ]  # fmt: skip
        names, weights = zip(*states, strict=True)
        tickets, events, co_units = [], [], []
        self.twenty_event_tickets = []
        year_of_number: dict[int, int] = {}
        for n in range(scale.tickets):
            pk = ticket_first + n
            enterprise = rng.choices(self.enterprise_ids, enterprise_weights)[0]
            raiser = cadre_of[enterprise] if rng.random() < 0.7 else contact_of[enterprise]
            title, category = rng.choice(PROBLEMS)
            outcome = rng.choices(names, weights)[0]
            urgency = rng.choices(Urgency.values, [85, 12, 3])[0]
            limit = {Urgency.NORMAL: 10, Urgency.URGENT: 5, Urgency.CRITICAL: 3}[urgency]
            department = rng.choices(self.departments, department_weights)[0]
            clerk = rng.choice(self.clerks[department["id"]])[0]
            # When it was raised: open tickets recently, settled ones any time.
            if outcome == "red":
                created = self.midnight - datetime.timedelta(
                    days=rng.uniform(limit * 1.6 + 3, limit * 1.6 + 40)
                )
            elif outcome in (
                "green",
                TicketState.ASSIGNED,
                TicketState.ACCEPTED,
                TicketState.SUBMITTED,
            ):
                created = self.midnight - datetime.timedelta(days=rng.uniform(0.2, 3))
            elif outcome == "yellow":
                created = self.midnight - datetime.timedelta(days=limit * 1.4 * 0.8)
            else:
                created = self.midnight - datetime.timedelta(
                    days=rng.uniform(limit * 2 + 5, days_running)
                )
            if created.date() < start_day:
                created = _at(start_day, 10)
            row = {
                "id": pk, "number": f"{created.astimezone(SHANGHAI).year}-{pk:06d}", "enterprise_id": enterprise,
                "programme_id": self.programme.pk, "raised_by_id": raiser, "category": category,
                "title": f"{title}（{n + 1}）", "description": f"{title}，企业多次反映，影响正常生产经营，请协调解决。",
                "urgency": urgency, "state": TicketState.SUBMITTED, "level": "", "responsible_unit_id": None,
                "leader_id": None, "owner_id": None, "assigned_at": None, "clock_started_at": None,
                "time_limit_days": None, "deadline": None, "yellow_at": None, "assignment_fixed": False,
                "is_urged": False, "escalation_count": 0, "escalated_for_deadline": None, "answer": "",
                "answered_at": None, "satisfaction": "", "closed_at": None, "reason": "", "created_at": created,
                "updated_at": created,
            }  # fmt: skip
            timeline = [(EventKind.SUBMIT, raiser, created, "", TicketState.SUBMITTED, {})]
            at = created

            def step(kind, actor, after_hours, to_state, data=None, _row=row, _timeline=timeline):
                nonlocal at
                at = at + datetime.timedelta(hours=after_hours)
                _timeline.append((kind, actor, at, _row["state"], to_state, data or {}))
                _row["state"] = to_state
                _row["updated_at"] = at

            if outcome == TicketState.WITHDRAWN:
                step(EventKind.WITHDRAW, raiser, rng.uniform(1, 20), TicketState.WITHDRAWN)
                row["reason"] = "问题已自行解决。"
            elif outcome == TicketState.REJECTED:
                step(EventKind.REJECT, office, rng.uniform(2, 30), TicketState.REJECTED)
                row["reason"] = "不属于政府职能范围。"
            elif outcome != TicketState.SUBMITTED:
                step(EventKind.ACCEPT, office, rng.uniform(1, 8), TicketState.ACCEPTED)
                if outcome != TicketState.ACCEPTED:
                    step(
                        EventKind.ASSIGN,
                        office,
                        rng.uniform(0.2, 3),
                        TicketState.ASSIGNED,
                        {"unit": department["id"]},
                    )
                    assigned = at
                    deadline_day = calendar.add_working_days(
                        assigned.astimezone(SHANGHAI).date(), limit
                    )
                    row.update(
                        level=rng.choices([Level.ENTERPRISE, Level.SYSTEM], [7, 3])[0],
                        responsible_unit_id=department["id"], assigned_at=assigned, clock_started_at=assigned,
                        time_limit_days=limit, deadline=end_of_day(deadline_day),
                        yellow_at=moment_at_share(assigned, limit, YELLOW_SHARE, calendar),
                        assignment_fixed=True, leader_id=rng.choice(leaders),
                    )  # fmt: skip
                    if rng.random() < 0.1:
                        co_units.append((pk, rng.choice(self.departments)["id"]))
                if outcome not in (TicketState.ACCEPTED, TicketState.ASSIGNED):
                    row["owner_id"] = clerk
                    step(EventKind.PROGRESS, clerk, rng.uniform(2, 24), TicketState.IN_PROGRESS)
                    extra = max(0, round(rng.expovariate(1 / (scale.events_per_ticket - 5.2))))
                    if n % 997 == 0:
                        extra = 20 - 6  # a few with exactly 20 events, for the detail page
                    room = (
                        (row["deadline"] - at).total_seconds() / 3600
                        if outcome in (TicketState.CLOSED, TicketState.ANSWERED)
                        else 0
                    )
                    for _ in range(extra):
                        kind = rng.choices(
                            [EventKind.PROGRESS, EventKind.URGE, EventKind.HAND_OVER], [8, 1.5, 0.5]
                        )[0]
                        actor = office if kind == EventKind.URGE else clerk
                        step(
                            kind,
                            actor,
                            rng.uniform(0.5, max(1, room / (extra + 2))),
                            TicketState.IN_PROGRESS,
                        )
                        if kind == EventKind.URGE:
                            row["is_urged"] = True
                    if outcome in (TicketState.CLOSED, TicketState.ANSWERED):
                        late = rng.random() < 0.12
                        answer_at = (
                            row["deadline"] + datetime.timedelta(hours=rng.uniform(2, 72))
                            if late
                            else None
                        )
                        hours = (
                            (answer_at - at).total_seconds() / 3600
                            if late
                            else rng.uniform(2, max(2.5, room / 2))
                        )
                        step(EventKind.ANSWER, clerk, max(0.5, hours), TicketState.ANSWERED)
                        row.update(
                            answer="已协调相关部门办理完毕，企业问题已解决。", answered_at=at
                        )
                        if outcome == TicketState.CLOSED:
                            satisfaction = rng.choices(Satisfaction.values[:2], [85, 15])[0]
                            step(
                                EventKind.RATE,
                                raiser,
                                rng.uniform(2, 48),
                                TicketState.CLOSED,
                                {"satisfaction": satisfaction},
                            )
                            row.update(satisfaction=satisfaction, closed_at=at)
                    elif outcome == "red":
                        row.update(escalation_count=1, level=Level.SYSTEM)
                        if rng.random() < 0.9:  # the scan has already escalated most of them
                            step(
                                EventKind.ESCALATE,
                                None,
                                (row["deadline"] - at).total_seconds() / 3600 + 0.1,
                                TicketState.IN_PROGRESS,
                            )
                            row["escalated_for_deadline"] = row["deadline"]
                        else:
                            row["escalation_count"] = 0
            if len(timeline) == 20:
                self.twenty_event_tickets.append(pk)
            year_of_number[pk] = 1
            tickets.append(row)
            for kind, actor, moment, from_state, to_state, data in timeline:
                events.append(
                    (
                        pk,
                        kind,
                        actor,
                        min(moment, timezone.now()),
                        from_state or TicketState.SUBMITTED,
                        to_state,
                        "",
                        data,
                    )
                )
        columns = list(tickets[0])
        copy_rows(Ticket, columns, ([row[c] for c in columns] for row in tickets))
        copy_rows(
            TicketEvent,
            ["ticket_id", "kind", "actor_id", "at", "from_state", "to_state", "comment", "data"],
            events,
        )
        copy_rows(Ticket.co_units.through, ["ticket_id", "unit_id"], co_units)
        self.counts["tickets"] = len(tickets)
        self.counts["ticket_events"] = len(events)

    def _projects(self):
        rng = self.rng
        rows = []
        first = next_id(KeyProject)
        for n in range(max(30, self.scale.enterprises // 20)):
            name = f"第{n + 1}号重点项目"
            rows.append(
                (first + n, self.programme.pk, name, rng.choice(ProjectCategory.values), round(rng.uniform(1000, 200000), 2),
                 self.today.year, round(rng.uniform(500, 50000), 2), rng.choice(self.enterprise_ids), rng.choice(self.leaders)[0],
                 rng.choice(self.departments)["id"], rng.choice(self.regions)["id"], rng.choice(Stage.values), natural_key(name))
            )  # fmt: skip
        copy_rows(
            KeyProject,
            ["id", "programme_id", "name", "category", "total_investment", "plan_year", "year_planned_investment",
             "enterprise_id", "leader_id", "lead_unit_id", "region_id", "stage", "sort_key"],
            rows,
        )  # fmt: skip
        self.counts["projects"] = len(rows)

    def _notifications(self):
        rng = self.rng
        rows = []
        kinds = [
            "report_due_soon",
            "report_due_today",
            "report_reviewed",
            "ticket_answered",
            "ticket_assigned",
        ]
        for cadre_user, _ in self.cadres:
            for _ in range(10):
                at = self.midnight - datetime.timedelta(days=rng.uniform(0, 360))
                kind = rng.choice(kinds)
                rows.append(
                    (kind, f"bench:{len(rows)}", "", cadre_user, "半月报提醒", "请按时报送本期半月报。", "/", at,
                     at + datetime.timedelta(hours=3) if rng.random() < 0.8 else None, "skipped")
                )  # fmt: skip
        copy_rows(
            Notification,
            [
                "kind",
                "object_key",
                "period_key",
                "recipient_id",
                "subject",
                "body",
                "link",
                "created_at",
                "read_at",
                "email_state",
            ],
            rows,
        )
        self.counts["notifications"] = len(rows)

    # ---------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        steps = [
            ("units", self._units),
            ("enterprises", self._enterprises),
            ("people", self._people),
            ("programme", self._programme),
            ("assignments", self._groups_and_assignments),
            ("plans", self._plans),
            ("reports", self._reports),
            ("figures", self._figures),
            ("ratings", self._ratings),
            ("tickets", self._tickets),
            ("projects", self._projects),
            ("notifications", self._notifications),
            ("drafts", self._current_drafts),
        ]
        sequenced = [
            Unit, User, Profile, Enterprise, WorkGroup, Assignment, WorkPlan, WorkPlanItem,
            WorkPlanVersion, ProgressReport, ProgressReportVersion, Ticket, KeyProject,
        ]  # fmt: skip
        for label, function in steps:
            started = timezone.now()
            with transaction.atomic():
                function()
                reset_sequences(sequenced)  # later steps save through the ORM
            self.say(f"  {label:<14} {(timezone.now() - started).total_seconds():6.1f} s")
        # As autovacuum would have left a live database: statistics and visibility maps.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        Group.objects.count()
        return self.counts
