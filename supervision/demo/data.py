"""The demo county for `manage.py seed_demo`, modelled on seed 001 (县"领导包项、干部驻企").

Everything here is plain data built without touching the database, from fixed lists and a seeded
random.Random, so two runs (or two machines) produce exactly the same county. The seed_demo
command then writes it through the services. The county, its division code and every company are
fictional; the Chinese strings are data, not messages to translate.
"""

# random.Random with fixed seeds is the point here: reproducible demo data, nothing secret.
# ruff: noqa: S311

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from enterprises.validators import ALPHABET, credit_code_check_character

# Shared by the five demo logins and the admin. Demo only: seed_demo refuses to run with DEBUG
# off unless forced, because anyone who has read this file knows the password.
DEMO_PASSWORD = "demo-2026"  # noqa: S105 # the published demo login  # nosec B105

COUNTY = "青山县"
COUNTY_GOVERNMENT = "青山县人民政府"
# A made-up administrative division code (digits 3-8 of every credit code below).
DIVISION_CODE = "239021"

PROGRAMME_NAME = "2026年县领导包项、干部驻企活动"
PROGRAMME_START = date(2026, 3, 1)
PROGRAMME_END = date(2027, 2, 28)
STATIONED_ON = date(2026, 3, 2)
# Seed 001: 工业总产值增幅不低于17%, 增加值16%, 利税10%, 利润10%, 工业投资30%.
GROWTH_TARGETS = {
    "output_value": 17,
    "value_added": 16,
    "profit_tax": 10,
    "profit": 10,
    "investment": 30,
}
PROGRAMME_DESCRIPTION = (
    "通过重点产业大项目的推进和党政机关干部下基层、进企业，帮助企业解决生产经营中的实际困难。"
    "驻企干部当好调研员、宣传员、服务员、协调员、指导员，按照多服务、少干预、多帮忙、不添乱的原则"
    "开展工作；进驻后一周内研究制订工作计划上报，每半月上报工作进展、存在的问题和下一步工作措施。"
)
# The six months cadres have reported (当月数), and the same months a year earlier as the
# statistics bureau's baseline, so year-on-year growth can be compared with GROWTH_TARGETS.
REPORT_MONTHS = [date(2026, month, 1) for month in range(5, 11)]
BASELINE_MONTHS = [date(2025, month, 1) for month in range(5, 11)]

# Demo usernames (the login is printed by seed_demo). Other people sign in with their phone
# number once the office gives them a password; until then their password is unusable.
DEMO_USERNAMES = {
    "office": "office",
    "cadre": "cadre",
    "department": "department",
    "enterprise": "enterprise",
    "leader": "leader",
    "admin": "admin",
}


@dataclass(frozen=True)
class UnitData:
    name: str
    short_name: str
    level: str
    kind: str
    parent: str | None = None
    is_dispatching: bool = False
    is_responsible: bool = False


@dataclass(frozen=True)
class PersonData:
    name: str
    phone: str
    roles: tuple[str, ...]
    username: str | None = None
    unit: str | None = None
    enterprise_code: str | None = None
    rank: str = ""
    title: str = ""


@dataclass(frozen=True)
class SurveyData:
    surveyed_on: date
    fixed_assets: Decimal
    output_value: Decimal
    sales: Decimal
    profit_tax: Decimal
    main_markets: str
    equipment: str
    renovation_plans: str
    difficulties: str
    suggestions: str


@dataclass(frozen=True)
class IndicatorData:
    month: date
    output_value: Decimal
    value_added: Decimal
    revenue: Decimal
    profit: Decimal
    tax: Decimal
    investment: Decimal
    employees: int
    source: str


@dataclass
class EnterpriseData:
    name: str
    credit_code: str
    industry: str
    industry_detail: str
    ownership: str
    size: str
    region: str
    address: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    employees: int
    main_products: str
    listing_status: str
    survey: SurveyData | None = None
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass(frozen=True)
class AssignmentData:
    cadre_phone: str
    enterprise_code: str
    work_group: str
    role: str


@dataclass(frozen=True)
class WorkGroupData:
    name: str
    leader_phone: str
    description: str


@dataclass
class DemoCounty:
    units: list[UnitData]
    enterprises: list[EnterpriseData]
    people: list[PersonData]
    work_groups: list[WorkGroupData]
    assignments: list[AssignmentData]


# --- Units ------------------------------------------------------------------------------------

TOWNSHIPS = [
    ("青山县城关镇", "城关镇"),
    ("青山经济开发区管理委员会", "经济开发区"),
    ("青山县东风镇", "东风镇"),
    ("青山县柳河镇", "柳河镇"),
    ("青山县石桥镇", "石桥镇"),
    ("青山县新兴镇", "新兴镇"),
    ("青山县红旗镇", "红旗镇"),
    ("青山县白云乡", "白云乡"),
    ("青山县永安乡", "永安乡"),
]

# (name, short name, dispatches cadres, handles tickets)
DEPARTMENTS = [
    ("中共青山县委组织部", "县委组织部", True, False),
    ("青山县发展和改革局", "县发改局", True, True),
    ("青山县工业和信息化局", "县工信局", True, True),
    ("青山县财政局", "县财政局", True, True),
    ("青山县自然资源局", "县自然资源局", True, True),
    ("青山县人力资源和社会保障局", "县人社局", True, True),
    ("青山县市场监督管理局", "县市场监管局", True, True),
    ("国家税务总局青山县税务局", "县税务局", True, True),
    ("青山县商务局", "县商务局", True, True),
    ("青山县科学技术局", "县科技局", True, True),
    ("青山县生态环境局", "县生态环境局", True, True),
    ("青山县住房和城乡建设局", "县住建局", True, True),
    ("青山县交通运输局", "县交通运输局", True, True),
    ("青山县应急管理局", "县应急局", True, True),
    ("青山县行政审批局", "县行政审批局", True, True),
    ("青山县人民政府金融工作办公室", "县金融办", True, True),
    # Utilities (水电气) tickets go to the power company; it sends no cadres.
    ("国网青山县供电公司", "县供电公司", False, True),
    # Arbitrary fees, fines and levies (乱收费、乱罚款、乱摊派) are routed to discipline inspection.
    ("中共青山县纪律检查委员会", "县纪委监委", False, True),
]

DEMO_DEPARTMENT = "青山县自然资源局"


def _units() -> list[UnitData]:
    units = [UnitData(COUNTY_GOVERNMENT, "青山县", level="county", kind="government")]
    units += [
        UnitData(name, short, level="township", kind="government", parent=COUNTY_GOVERNMENT)
        for name, short in TOWNSHIPS
    ]
    units += [
        UnitData(
            name,
            short,
            level="county",
            kind="department",
            parent=COUNTY_GOVERNMENT,
            is_dispatching=dispatching,
            is_responsible=responsible,
        )
        for name, short, dispatching, responsible in DEPARTMENTS
    ]
    return units


# --- Enterprises ------------------------------------------------------------------------------

# (name, industry section, detail, ownership, size, township short name, employees,
#  main products, listing status)
ENTERPRISES = [
    ("青山县宏达机械制造有限公司", "C", "机械制造", "private", "medium", "经济开发区", 420,
     "玉米收获机、农机配件", "unlisted"),
    ("青山重工装备股份有限公司", "C", "机械制造", "joint_stock", "large", "经济开发区", 1350,
     "矿山机械、带式输送机", "preparing"),
    ("青山县鑫源精密铸造有限公司", "C", "机械制造", "private", "small", "石桥镇", 160,
     "精密铸件、阀体", "unlisted"),
    ("青山恒力汽车零部件有限公司", "C", "机械制造", "foreign", "medium", "经济开发区", 580,
     "汽车制动盘、轮毂", "unlisted"),
    ("青山县锦绣纺织有限公司", "C", "纺织服装", "private", "medium", "城关镇", 650,
     "精梳棉纱、坯布", "unlisted"),
    ("青山雪莲服饰有限公司", "C", "纺织服装", "private", "medium", "东风镇", 820,
     "羽绒服、职业装", "unlisted"),
    ("青山县华纶化纤有限公司", "C", "纺织服装", "joint_stock", "medium", "经济开发区", 390,
     "涤纶短纤维", "unlisted"),
    ("青山县绿源米业有限公司", "C", "食品加工", "private", "medium", "柳河镇", 210,
     "绿色有机大米", "unlisted"),
    ("青山县雪原乳业有限公司", "C", "食品加工", "joint_stock", "large", "白云乡", 1100,
     "液态奶、婴幼儿配方奶粉", "preparing"),
    ("青山县金穗粮油有限公司", "C", "食品加工", "collective", "medium", "永安乡", 300,
     "大豆油、豆粕", "unlisted"),
    ("青山县康源肉类食品有限公司", "C", "食品加工", "private", "medium", "红旗镇", 480,
     "冷鲜猪肉、熟食制品", "unlisted"),
    ("青山县山珍食品有限公司", "C", "食品加工", "private", "small", "新兴镇", 120,
     "黑木耳、蓝莓饮品", "unlisted"),
    ("青山北药制药有限公司", "C", "医药制造", "joint_stock", "medium", "经济开发区", 530,
     "中成药、中药饮片", "neeq"),
    ("青山县鼎新石墨材料有限公司", "C", "新材料", "private", "medium", "经济开发区", 260,
     "球形石墨、石墨烯导热膜", "preparing"),
    ("青山中天新材料科技有限公司", "C", "新材料", "joint_stock", "small", "经济开发区", 140,
     "碳纤维复合材料制品", "unlisted"),
    ("青山县晶硅科技有限公司", "C", "新材料", "private", "medium", "石桥镇", 310,
     "工业硅、有机硅单体", "unlisted"),
    ("青山县龙江化工有限公司", "C", "化工", "state", "large", "石桥镇", 900,
     "甲醇、合成氨", "unlisted"),
    ("青山县绿田生物化工有限公司", "C", "化工", "private", "small", "柳河镇", 150,
     "生物有机肥、水溶肥", "unlisted"),
    ("青山县东方涂料有限公司", "C", "化工", "private", "small", "经济开发区", 95,
     "水性工业涂料", "unlisted"),
    ("青山县鼎盛水泥有限公司", "C", "建材", "joint_stock", "large", "石桥镇", 620,
     "水泥、熟料", "unlisted"),
    ("青山县新型墙体材料有限公司", "C", "建材", "private", "small", "东风镇", 130,
     "蒸压加气混凝土砌块", "unlisted"),
    ("青山县华美玻璃制品有限公司", "C", "建材", "private", "small", "城关镇", 110,
     "中空玻璃、钢化玻璃", "unlisted"),
    ("青山县博远电子科技有限公司", "C", "电子", "private", "medium", "经济开发区", 700,
     "汽车线束、连接器", "unlisted"),
    ("青山光电科技股份有限公司", "C", "电子", "joint_stock", "medium", "经济开发区", 450,
     "LED照明模组", "neeq"),
    ("青山县智联电器有限公司", "C", "电子", "private", "medium", "城关镇", 380,
     "智能电表、配电箱", "unlisted"),
    ("青山县森工木业有限公司", "C", "木材加工", "state", "medium", "新兴镇", 560,
     "实木复合地板、集成材", "unlisted"),
    ("青山县林海家具有限公司", "C", "木材加工", "private", "small", "新兴镇", 200,
     "实木家具", "unlisted"),
    ("青山县金山矿业有限公司", "B", "黑色金属矿采选", "state", "medium", "红旗镇", 340,
     "铁精粉", "unlisted"),
    ("青山县热电有限公司", "D", "热电联产", "state", "medium", "城关镇", 260,
     "电力、城区集中供热", "unlisted"),
    ("青山县第一建筑工程有限公司", "E", "房屋建筑", "collective", "medium", "城关镇", 760,
     "房屋建筑、市政工程施工", "unlisted"),
    ("青山县路桥建设有限公司", "E", "公路桥梁", "state", "medium", "东风镇", 420,
     "公路、桥梁施工", "unlisted"),
    ("青山县农资有限公司", "F", "农资批发", "collective", "small", "城关镇", 85,
     "化肥、农药、种子批发", "unlisted"),
    ("青山县万家福商贸有限公司", "F", "连锁零售", "private", "medium", "城关镇", 520,
     "连锁超市、生鲜配送", "unlisted"),
    ("青山县云数科技有限公司", "I", "软件和信息技术服务", "private", "small", "经济开发区", 70,
     "政务软件、数据服务", "unlisted"),
    ("青山县农村电商运营有限公司", "I", "互联网平台", "private", "micro", "城关镇", 45,
     "农产品电商运营、直播带货", "unlisted"),
    ("青山县顺通物流有限公司", "G", "冷链物流", "private", "small", "经济开发区", 180,
     "冷链运输、仓储配送", "unlisted"),
]  # fmt: skip

# Enterprises (by index) that get two cadres: the biggest ones and the demo enterprise.
TWO_CADRES = {0, 1, 8, 16, 19, 25, 29}

STREETS = {
    "经济开发区": ["创业大道", "兴业路", "科技路", "工业园区一路", "工业园区三路"],
    "城关镇": ["人民路", "建设大街", "青山路", "解放路"],
}
OTHER_STREETS = ["工业街", "振兴路", "站前路", "长青路"]

MARKETS = {
    "C": ["东北三省", "京津冀", "华东地区", "俄罗斯及中亚出口"],
    "B": ["省内钢铁企业"],
    "D": ["县城区居民和企业", "省电网"],
    "E": ["县内及周边市县工程项目"],
    "F": ["县城及各乡镇"],
    "G": ["省内冷链客户", "京津冀"],
    "I": ["省内政府部门", "全国电商平台"],
}

DIFFICULTIES = [
    "流动资金紧张，银行授信额度收紧，新增贷款审批周期长。",
    "技改项目用地指标未落实，土地报批手续尚未办结。",
    "熟练技术工人短缺，一线岗位招工难、留人难。",
    "原材料价格上涨，产品利润空间收窄。",
    "二期厂区电力增容申请已提交三个月，尚未接电。",
    "环评手续办理时间较长，影响新生产线投产进度。",
    "销售渠道单一，过度依赖省内少数客户。",
    "研发能力薄弱，缺少高层次技术人才。",
    "技改补贴、稳岗补贴等政策兑现不及时。",
    "厂区道路和配套管网不完善，雨季排水不畅。",
    "应收账款回款慢，占用大量流动资金。",
    "天然气供应价格偏高，冬季存在限气风险。",
]

RENOVATION = {
    "机械制造": "购置数控加工中心和焊接机器人，建设智能化生产线。",
    "纺织服装": "更新高速纺纱设备，建设数字化印染车间。",
    "食品加工": "新建低温仓储和自动化包装线，申请绿色食品认证。",
    "医药制造": "中药提取车间GMP改造，建设质量追溯系统。",
    "新材料": "建设中试基地，扩大高端产品产能。",
    "化工": "实施节能降耗和尾气回收改造。",
    "建材": "窑炉余热发电和超低排放改造。",
    "电子": "引进自动化检测设备，建设MES生产管理系统。",
    "木材加工": "建设涂装废气治理设施，开发定制家居产品。",
}
DEFAULT_RENOVATION = "推进信息化管理，提升运营效率。"

SUGGESTIONS = [
    "希望协调银行开展银企对接，扩大信用贷款规模。",
    "建议县里组织专场招聘会，帮助企业招聘技术工人。",
    "希望加快项目审批手续办理，实行并联审批。",
    "建议组织企业参加省内外产品推介会。",
    "希望落实好各项惠企政策，简化申报流程。",
]

CONTACT_TITLES = ["办公室主任", "综合部部长", "副总经理", "行政部经理"]

# --- People -----------------------------------------------------------------------------------

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董曹彭曾吕苏丁魏任姜范孟邹崔蒋"
)
GIVEN_NAMES = [
    "建国", "志强", "海燕", "丽华", "文斌", "晓东", "秀英", "国庆", "春生", "玉梅",
    "立新", "红梅", "振华", "子涵", "雪梅", "宏伟", "建军", "丽娟", "永刚", "晓燕",
    "俊杰", "桂芳", "德明", "淑珍", "国栋", "静怡", "鹏飞", "雅琴", "志刚", "爱华",
    "明轩", "欣怡", "庆丰", "秀兰", "卫东", "婷婷", "浩然", "凤霞", "新民", "慧敏",
    "长青", "艳红", "向阳", "玉兰", "天宇", "佳琪", "金山", "美玲", "海涛", "晓丽",
    "磊", "伟", "勇", "静", "敏", "军", "杰", "娜", "强", "芳", "涛", "艳", "斌", "鑫",
]  # fmt: skip
PHONE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "155", "156", "157", "158", "159",
    "180", "181", "182", "186", "187", "188", "189",
]  # fmt: skip

# (title, rank) of the six county leaders who lead a work group each; the first is the demo login
# and leads the group with the demo cadre and enterprise.
LEADERS = [
    ("县委副书记", "deputy_division"),
    ("县委常委、常务副县长", "deputy_division"),
    ("县委常委、组织部部长", "deputy_division"),
    ("县委常委、宣传部部长", "deputy_division"),
    ("副县长", "deputy_division"),
    ("副县长", "deputy_division"),
]
DEMO_LEADER_INDEX = 0
GROUP_NAMES = ["第一工作组", "第二工作组", "第三工作组", "第四工作组", "第五工作组", "第六工作组"]

# Civil-service grades (职级) that match each rank, so the title never names a post in a unit.
CADRE_TITLES = {
    "section": ["一级主任科员", "二级主任科员"],
    "deputy_section": ["三级主任科员", "四级主任科员"],
    "clerk": ["一级科员", "二级科员"],
}


class _Names:
    """Distinct Chinese names and mobile numbers, drawn from their own seeded streams."""

    def __init__(self):
        self.name_rng = random.Random(20260301)  # reproducible demo data  # nosec B311
        self.phone_rng = random.Random(20260302)  # reproducible demo data  # nosec B311
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def name(self) -> str:
        while True:
            candidate = self.name_rng.choice(SURNAMES) + self.name_rng.choice(GIVEN_NAMES)
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def phone(self) -> str:
        while True:
            prefix = self.phone_rng.choice(PHONE_PREFIXES)
            candidate = prefix + "".join(str(self.phone_rng.randrange(10)) for _ in range(8))
            if candidate not in self.phones:
                self.phones.add(candidate)
                return candidate


def credit_code(index: int) -> str:
    """A valid code: 9 (市场监管) 1 (企业), the division code, an organisation code, check char."""
    rng = random.Random(f"credit-{index}")  # reproducible demo data  # nosec B311
    organisation = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6)) + ALPHABET[index % 31]
    first17 = f"91{DIVISION_CODE}{organisation}"
    return first17 + credit_code_check_character(first17)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _address(rng: random.Random, township: str) -> str:
    streets = STREETS.get(township, OTHER_STREETS)
    prefix = "青山经济开发区" if township == "经济开发区" else f"{COUNTY}{township}"
    return f"{prefix}{rng.choice(streets)}{rng.randrange(1, 300)}号"


def _figures(rng: random.Random, row, index: int) -> tuple[SurveyData, list[IndicatorData]]:
    """Survey and monthly figures (万元) scaled on headcount, with a growth rate per enterprise.

    Growth rates spread around the programme's targets so dashboards show some enterprises above
    and some below them.
    """
    industry, detail, employees = row[1], row[2], row[6]
    per_head = rng.uniform(35, 110)  # annual output per employee, 万元
    annual_output = employees * per_head
    growth = rng.uniform(-0.06, 0.32)
    investment_growth = rng.uniform(-0.2, 0.6)
    margin = rng.uniform(0.03, 0.09)
    tax_rate = rng.uniform(0.02, 0.045)
    added_ratio = rng.uniform(0.2, 0.33)
    monthly_investment = annual_output * rng.uniform(0.005, 0.03)
    survey = SurveyData(
        surveyed_on=date(2026, 3, 4 + index % 6),
        fixed_assets=_money(annual_output * rng.uniform(0.5, 1.2)),
        output_value=_money(annual_output),
        sales=_money(annual_output * rng.uniform(0.9, 1.0)),
        profit_tax=_money(annual_output * (margin + tax_rate)),
        main_markets="、".join(rng.sample(MARKETS[industry], min(2, len(MARKETS[industry])))),
        equipment=(
            f"主要生产设备{rng.randrange(20, 260)}台（套），设备完好率约{rng.randrange(86, 99)}%,"
            f"部分设备已使用{rng.randrange(8, 16)}年以上。"
        ),
        renovation_plans=RENOVATION.get(detail, DEFAULT_RENOVATION),
        difficulties="\n".join(rng.sample(DIFFICULTIES, 2)),
        suggestions=rng.choice(SUGGESTIONS),
    )
    indicators = []
    for baseline_month, report_month in zip(BASELINE_MONTHS, REPORT_MONTHS, strict=True):
        season = 1 + 0.08 * rng.uniform(-1, 1)
        base_output = annual_output / 12 * season
        for month, factor, inv_factor, source in (
            (baseline_month, 1.0, 1.0, "statistics"),
            (report_month, 1 + growth, 1 + investment_growth, "cadre"),
        ):
            output = base_output * factor * rng.uniform(0.97, 1.03)
            indicators.append(
                IndicatorData(
                    month=month,
                    output_value=_money(output),
                    value_added=_money(output * added_ratio * rng.uniform(0.98, 1.02)),
                    revenue=_money(output * rng.uniform(0.92, 1.0)),
                    profit=_money(output * margin * rng.uniform(0.9, 1.1)),
                    tax=_money(output * tax_rate * rng.uniform(0.95, 1.05)),
                    investment=_money(monthly_investment * inv_factor * rng.uniform(0.6, 1.4)),
                    employees=employees + rng.randrange(-15, 16) if employees > 50 else employees,
                    source=source,
                )
            )
    return survey, indicators


def build() -> DemoCounty:
    """The whole demo county. Pure: same result on every call."""
    names = _Names()
    rng = random.Random(20261)  # reproducible demo data  # nosec B311
    units = _units()
    township_names = {short: name for name, short in TOWNSHIPS}
    dispatching = [name for name, _short, sends, _handles in DEPARTMENTS if sends]
    responsible = [name for name, _short, _sends, handles in DEPARTMENTS if handles]

    people: list[PersonData] = []
    office = PersonData(
        name=names.name(),
        phone=names.phone(),
        roles=("office",),
        username=DEMO_USERNAMES["office"],
        unit=COUNTY_GOVERNMENT,
        rank="section",
        title="县委县政府督查室主任",
    )
    people.append(office)

    leaders = []
    for index, (title, rank) in enumerate(LEADERS):
        leaders.append(
            PersonData(
                name=names.name(),
                phone=names.phone(),
                roles=("leader",),
                username=DEMO_USERNAMES["leader"] if index == DEMO_LEADER_INDEX else None,
                unit=COUNTY_GOVERNMENT,
                rank=rank,
                title=title,
            )
        )
    people += leaders

    # One ticket handler per responsible department; the natural-resources one is the demo login.
    for unit_name in responsible:
        people.append(
            PersonData(
                name=names.name(),
                phone=names.phone(),
                roles=("department",),
                username=DEMO_USERNAMES["department"] if unit_name == DEMO_DEPARTMENT else None,
                unit=unit_name,
                rank="clerk",
                title="企业服务联络员",
            )
        )

    enterprises: list[EnterpriseData] = []
    for index, row in enumerate(ENTERPRISES):
        name, industry, detail, ownership, size, township, employees, products, listing = row
        contact_name, contact_phone = names.name(), names.phone()
        enterprise = EnterpriseData(
            name=name,
            credit_code=credit_code(index),
            industry=industry,
            industry_detail=detail,
            ownership=ownership,
            size=size,
            region=township_names[township],
            address=_address(rng, township),
            legal_representative=names.name(),
            contact_name=contact_name,
            contact_phone=contact_phone,
            employees=employees,
            main_products=products,
            listing_status=listing,
        )
        enterprise.survey, enterprise.indicators = _figures(rng, row, index)
        enterprises.append(enterprise)
        people.append(
            PersonData(
                name=contact_name,
                phone=contact_phone,
                roles=("enterprise",),
                username=DEMO_USERNAMES["enterprise"] if index == 0 else None,
                enterprise_code=enterprise.credit_code,
                title=rng.choice(CONTACT_TITLES),
            )
        )

    # Cadres, mostly 副科级 (seed 001: 各部门的副科级干部), each from a dispatching unit; the two
    # cadres of one enterprise always come from different units.
    work_groups = []
    per_group = len(enterprises) // len(GROUP_NAMES)
    for number, (group_name, leader) in enumerate(zip(GROUP_NAMES, leaders, strict=True)):
        members = enterprises[number * per_group : (number + 1) * per_group]
        description = (
            f"{leader.title}{leader.name}带队，联系{members[0].name}等{len(members)}户重点企业。"
        )
        work_groups.append(WorkGroupData(group_name, leader.phone, description))

    assignments = []
    cadre_count = 0
    for index, enterprise in enumerate(enterprises):
        group = GROUP_NAMES[min(index // per_group, len(GROUP_NAMES) - 1)]
        for slot in range(2 if index in TWO_CADRES else 1):
            rank = rng.choices(["deputy_section", "section", "clerk"], weights=[7, 2, 1])[0]
            cadre = PersonData(
                name=names.name(),
                phone=names.phone(),
                roles=("cadre",),
                username=DEMO_USERNAMES["cadre"] if cadre_count == 0 else None,
                # Offset by one so the demo cadre comes from the development and reform bureau.
                unit=dispatching[(cadre_count + 1) % len(dispatching)],
                rank=rank,
                title=rng.choice(CADRE_TITLES[rank]),
            )
            cadre_count += 1
            people.append(cadre)
            assignments.append(
                AssignmentData(
                    cadre_phone=cadre.phone,
                    enterprise_code=enterprise.credit_code,
                    work_group=group,
                    role="leader" if slot == 0 else "member",
                )
            )

    return DemoCounty(
        units=units,
        enterprises=enterprises,
        people=people,
        work_groups=work_groups,
        assignments=assignments,
    )
