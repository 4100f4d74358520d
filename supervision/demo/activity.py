"""What the demo county has been doing: work plans, half-monthly reports and problem tickets.

Plain data like demo_data.py: built from fixed lists and seeded random.Random streams, plus the
moment the seed runs (`now`), so the demo always looks like a programme in progress on the day it
is loaded: reports back-filled for the periods already due, a draft open for the current one,
tickets whose clocks started days ago and now show green, yellow and red. Two builds with the
same `now` give the same data. seed_demo writes it through the services, back-filling the real
moments with their `at=` arguments. The Chinese strings are demo data, not messages to translate.
"""

# random.Random with fixed seeds is the point here: reproducible demo data, nothing secret.
# ruff: noqa: S311

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from core.dates import SHANGHAI
from stationing.choices import ItemStatus, ReportRating, TaskArea
from stationing.services.reports import item_is_behind
from supervision.choices import Category, Level, Satisfaction, Urgency

from .data import (
    DEFAULT_RENOVATION,
    DIFFICULTIES,
    RENOVATION,
    STATIONED_ON,
    DemoCounty,
    EnterpriseData,
)

# How many of the most recent periods already due get reports; None: every period since the
# start. The submission matrix, the truancy list and the appraisal count every period, so an
# unseeded one shows every cadre as missing it: the default seeds them all (seed_demo
# --report-periods 8 is quicker, about half the reports, for a demo that skips those pages).
REPORT_WINDOW: int | None = None

# Enterprises (by index in demo_data.ENTERPRISES) with a story of their own.
DEMO_ENTERPRISE = 0  # 宏达机械: the enterprise and cadre logins; its plan matches its tickets
MISSING_PLAN = 34  # 农村电商运营: no plan, long overdue; its cadre also skips reports
LATE_PLAN = 30  # 路桥建设: plan approved, but first submitted after the 7-day deadline
PENDING_REVISIONS = (13, 8)  # 鼎新石墨, 雪原乳业: a revised plan waits for approval
RETURNED_REVISION = 20  # 新型墙体材料: the revised plan was returned with a comment
TRUANT_REPORTS = 22  # 博远电子: its cadre has missed the last three reports
RETURNED_REPORT = 12  # 北药制药: the latest report was returned for more detail

CHINA = SHANGHAI
HALF_HOUR = datetime.timedelta(minutes=30)
MINUTE = datetime.timedelta(minutes=1)


def at(day: datetime.date, hour: float) -> datetime.datetime:
    """`day` at `hour` o'clock (fractions are minutes), Shanghai time."""
    hours = int(hour)
    minutes = round((hour - hours) * 60)
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=CHINA)


# --- Work plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemData:
    area: str
    title: str
    target: str
    owner: str
    due_date: datetime.date
    # The share of the straight-line pace the item really keeps (below 1 it falls behind).
    pace: float
    # What the report says at under 30%, under 60%, under 100% and when done.
    milestones: tuple[str, str, str, str]
    # (reason, remedy) written when the item is behind plan.
    behind: tuple[str, str]

    def form(self) -> dict:
        return {
            "area": self.area,
            "title": self.title,
            "target": self.target,
            "owner": self.owner,
            "due_date": self.due_date,
        }


@dataclass(frozen=True)
class RevisionData:
    """A later change to an approved plan (计划调整): a sharper target and a new task."""

    submitted_at: datetime.datetime
    summary: str
    target_change: tuple[int, str]  # (position, new target)
    new_items: tuple[ItemData, ...]
    return_comment: str = ""  # the office returned it; empty: it waits for approval


@dataclass
class PlanData:
    enterprise_code: str
    author_phone: str  # the group leader (组长) at the enterprise writes it
    summary: str
    items: list[ItemData]
    # None: the plan was never written (missing and overdue).
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    revision: RevisionData | None = None


D = datetime.date

# One task per difficulty in demo_data.DIFFICULTIES (same order): title, target, milestones,
# (reason, remedy) when behind, due date.
DIFFICULTY_TASKS = [
    (
        "协调解决流动资金贷款",
        "协调银行新增授信不少于{loan}万元，7月底前放款到位",
        (
            "梳理企业资金缺口和可抵押资产，走访县金融办",
            "组织县农商行、建设银行开展银企对接，银行已完成尽职调查",
            "授信方案已上报银行审批，县融资担保公司同意提供担保",
            "新增流动资金贷款{loan}万元已放款到位",
        ),
        (
            "银行上级行授信审批流程长，抵押物评估值偏低",
            "协调县融资担保公司增信，同步对接邮储银行备选方案，每周跟踪审批进度",
        ),
        D(2026, 7, 31),
    ),
    (
        "推动技改项目用地报批",
        "9月底前完成新增工业用地{mu}亩组卷报批并取得批复",
        (
            "核实项目用地范围和规划条件，与县自然资源局对接用地指标",
            "完成勘测定界和土地利用现状调查，组卷材料准备过半",
            "组卷材料已报县自然资源局审核，等待上报市局",
            "用地批复已下达，企业已缴纳土地出让金",
        ),
        (
            "全县本年度新增建设用地指标紧张，组卷材料多次补正",
            "提请县领导协调调剂用地指标，安排专人跟进补正材料，力争纳入下一批次报批",
        ),
        D(2026, 9, 30),
    ),
    (
        "帮助企业招聘熟练技术工人",
        "年内招聘一线技术工人{workers}名，员工流失率控制在8%以内",
        (
            "摸清企业用工缺口和岗位要求，对接县人社局",
            "协助企业参加县春风行动招聘会，已招聘部分人员",
            "联合县职教中心开展订单式培训，首批学员已到岗",
            "招聘计划全部完成，新员工培训上岗",
        ),
        (
            "周边地区同类企业工资水平较高，熟练工招聘难",
            "协调县人社局开展专场招聘，推动企业完善薪酬和住宿条件，扩大订单式培训规模",
        ),
        D(2026, 10, 31),
    ),
    (
        "帮助企业降低原材料采购成本",
        "对接本地供应商不少于3家，主要原材料采购成本降低3%以上",
        (
            "分析企业主要原材料采购结构和价格走势",
            "对接县内外供应商，组织供需见面会",
            "企业已与2家本地供应商签订试供协议",
            "与3家本地供应商签订长期供货协议，采购成本下降约4%",
        ),
        (
            "大宗原材料价格持续上涨，供应商调价频繁",
            "推动企业与供应商签订锁价长协，协调县商务局组织集中采购",
        ),
        D(2026, 8, 31),
    ),
    (
        "推动二期厂区电力增容接电",
        "8月底前完成{kva}千伏安电力增容并送电",
        (
            "向县供电公司了解增容申请受理情况，梳理卡点",
            "供电方案已确定，企业已缴纳相关费用",
            "外线工程施工中，变压器已到货安装",
            "增容工程竣工验收，已正式送电",
        ),
        (
            "外线工程涉及道路占用审批，施工进度滞后",
            "协调县交通运输局加快占道审批，请县供电公司倒排工期、增加施工力量",
        ),
        D(2026, 8, 31),
    ),
    (
        "加快新生产线环评审批",
        "6月底前取得新生产线环评批复",
        (
            "协助企业委托环评机构，梳理审批所需材料",
            "环评报告书编制完成，已通过技术评审",
            "环评报告已按专家意见修改，进入公示阶段",
            "已取得环评批复，新生产线开工建设",
        ),
        (
            "环评报告技术评审提出补充监测要求，补测需要时间",
            "协调县生态环境局提前介入指导，督促环评机构加快补充监测",
        ),
        D(2026, 6, 30),
    ),
    (
        "帮助企业拓展销售渠道",
        "新增省外客户不少于5家，参加产品展会2次以上",
        (
            "梳理企业现有客户结构，制定市场开拓方案",
            "协助企业参加省内产品推介会，达成初步合作意向",
            "已新增省外客户3家，正在洽谈电商平台合作",
            "新增省外客户6家，开通电商旗舰店",
        ),
        (
            "受市场需求放缓影响，新客户洽谈周期较长",
            "协调县商务局推荐参加秋季展会，帮助企业对接电商平台和外贸综合服务企业",
        ),
        D(2026, 11, 30),
    ),
    (
        "推动校企合作引进技术人才",
        "与1所高校签订产学研合作协议，引进专业技术人员3名以上",
        (
            "了解企业研发需求，对接县科技局",
            "走访省内两所高校相关院系，确定合作方向",
            "产学研合作协议文本已商定，已引进技术人员2名",
            "签订产学研合作协议，引进技术人员4名，共建研发中心",
        ),
        (
            "高校合作方式和知识产权归属协商时间较长",
            "请县科技局牵头组织专题对接，参照省内成熟合作模式拟定协议",
        ),
        D(2026, 12, 31),
    ),
    (
        "推动技改补贴、稳岗补贴兑现",
        "已申报的技改补贴和稳岗补贴共{subsidy}万元年内足额兑现",
        (
            "梳理企业已申报未兑现的补贴项目和金额",
            "与县工信局、财政局、人社局逐项核对申报材料",
            "稳岗返还已到账，技改补贴进入拨付程序",
            "各项补贴{subsidy}万元全部兑现到位",
        ),
        (
            "技改补贴需等待上级资金下达，拨付时间不确定",
            "提请县财政局优先安排县级配套资金，上级资金到位后第一时间拨付",
        ),
        D(2026, 9, 30),
    ),
    (
        "协调完善厂区周边道路和排水管网",
        "汛期前完成厂区外排水管网改造，道路坑洼全部修复",
        (
            "现场查看厂区周边道路和排水情况，向县住建局反映",
            "排水管网改造纳入县市政工程计划，完成设计",
            "管网改造工程施工中，道路修复完成一半",
            "排水管网改造和道路修复全部完工",
        ),
        (
            "管网改造资金尚未落实，施工单位未进场",
            "协调县住建局、财政局落实资金，先行实施应急排水措施",
        ),
        D(2026, 7, 15),
    ),
    (
        "协助清收应收账款",
        "年内回收应收账款{receivable}万元以上",
        (
            "梳理企业应收账款账龄和欠款单位",
            "对涉及政府投资项目的欠款逐笔核实，推动纳入清欠计划",
            "已回收应收账款{partial}万元，其余签订还款计划",
            "年度清欠目标全部完成",
        ),
        (
            "部分欠款单位资金紧张，还款意愿不足",
            "协调县清欠工作专班督促政府投资项目付款，指导企业依法催收",
        ),
        D(2026, 12, 31),
    ),
    (
        "协调冬季天然气稳定供应",
        "10月底前签订冬季保供协议，采暖季生产不限气",
        (
            "了解企业用气量和往年限气情况",
            "对接县燃气公司和上游供气单位，测算冬季用气需求",
            "保供协议文本已商定，正在履行签约程序",
            "冬季保供协议已签订，用气价格较去年下降",
        ),
        (
            "上游气源指标紧张，供气价格谈判进展缓慢",
            "提请县发改局协调增加气源指标，推动企业实施错峰生产",
        ),
        D(2026, 10, 31),
    ),
]

# (title, target, milestones, (reason, remedy), due) per task area; {placeholders} are filled
# from the enterprise.
STRATEGY_TASKS = [
    (
        "帮助企业编制三年发展规划",
        "10月底前形成2026—2028年发展规划并经企业决策层审议通过",
        (
            "与企业负责人座谈，梳理发展现状和优劣势",
            "完成行业对标调研，形成规划框架",
            "规划初稿已完成，征求县发改局、工信局意见",
            "发展规划经企业董事会审议通过",
        ),
        (
            "企业主要负责人出国考察，规划审议推迟",
            "先行完成规划修改完善，待负责人回国后及时召开审议会",
        ),
        D(2026, 10, 31),
    ),
    (
        "推进技改项目（{renovation}）",
        "年内完成技改投资{investment}万元，新增产能15%以上",
        (
            "协助企业完成技改项目可行性研究",
            "技改项目完成备案，主要设备招标采购",
            "设备陆续到厂安装调试",
            "技改项目建成投产",
        ),
        (
            "主要设备供货周期延长，安装调试推迟",
            "协调设备厂家加快交付，同步做好人员培训和试生产准备",
        ),
        D(2026, 12, 31),
    ),
    (
        "支持企业申报省级专精特新中小企业",
        "9月底前完成申报，进入省级公示名单",
        (
            "对照认定标准逐项自查，查找短板",
            "协助企业补充知识产权和研发投入佐证材料",
            "申报材料已报县工信局，通过县级推荐",
            "已列入省级专精特新中小企业名单",
        ),
        ("研发费用归集不规范，需补充专项审计", "协调会计师事务所出具研发费用专项审计报告"),
        D(2026, 9, 30),
    ),
    (
        "推进数字化车间建设",
        "上线MES生产管理系统，关键工序数控化率达到70%",
        (
            "调研企业生产流程，明确数字化改造需求",
            "MES系统供应商已确定，完成需求设计",
            "系统在两个车间试运行",
            "MES系统全面上线，关键工序数控化率达到72%",
        ),
        (
            "系统与原有设备接口不兼容，调试时间延长",
            "请系统供应商增派工程师驻厂调试，分车间逐步切换",
        ),
        D(2026, 11, 30),
    ),
    (
        "帮助企业开拓{products}市场",
        "全年销售收入同比增长{growth}%以上",
        (
            "分析企业产品竞争力和目标市场",
            "协助企业参加省内外推介活动，拓展新客户",
            "前三季度销售收入同比增长，新签大额订单",
            "全年销售目标已提前完成",
        ),
        ("下游需求回落，部分订单延期", "帮助企业对接县内重点项目和政府采购需求，开拓新的区域市场"),
        D(2026, 12, 31),
    ),
]

LISTING_TASK = (
    "推进股份制改造和上市辅导",
    "年底前完成股份制改造，与券商签订上市辅导协议",
    (
        "协助企业选聘券商、会计师和律师事务所",
        "中介机构进场尽职调查，梳理历史沿革问题",
        "完成审计评估，股改方案已报股东会审议",
        "股份制改造完成，已与券商签订辅导协议",
    ),
    ("历史遗留的土地房产权属问题需要规范", "协调县自然资源局、住建局专题会办，逐宗完善权属手续"),
    D(2026, 12, 31),
)
NEEQ_TASK = (
    "推动新三板挂牌企业进入创新层",
    "完成公司治理规范整改，年内进入创新层",
    (
        "对照创新层标准分析差距",
        "完善公司治理制度，规范信息披露",
        "财务指标达到创新层标准，准备申报材料",
        "已进入新三板创新层",
    ),
    ("年度审计报告出具时间晚于预期", "督促会计师事务所加快审计进度，同步准备申报材料"),
    D(2026, 12, 31),
)
MANAGEMENT_TASKS = [
    (
        "帮助企业规范财务管理制度",
        "建立全面预算管理制度，年内通过会计师事务所年度审计",
        (
            "了解企业财务核算现状，查找不规范问题",
            "协助企业修订财务管理制度，开展全员预算编制",
            "预算管理制度试运行，会计师事务所开展预审",
            "财务管理制度全面执行，顺利通过年度审计",
        ),
        ("企业财务人员变动，制度执行不到位", "协调县财政局组织财务人员培训，督促企业配齐财务人员"),
        D(2026, 12, 31),
    ),
    (
        "推进安全生产标准化建设",
        "完成安全生产标准化三级达标，全年无较大安全事故",
        (
            "协助企业开展安全隐患排查",
            "完善安全管理制度和操作规程，整改隐患",
            "完成标准化自评，申请外部评审",
            "通过安全生产标准化三级达标评审",
        ),
        ("部分隐患整改涉及设备更新，资金投入较大", "协调县应急局指导分步整改，优先整改重大隐患"),
        D(2026, 10, 31),
    ),
    (
        "帮助企业申报高新技术企业",
        "完成知识产权布局，年内通过高新技术企业认定",
        (
            "对照认定条件帮助企业梳理研发项目和知识产权",
            "已新申请发明专利2项、实用新型专利5项",
            "申报材料已报省科技厅，等待专家评审",
            "已通过高新技术企业认定",
        ),
        (
            "发明专利授权周期较长，知识产权数量暂不达标",
            "增加实用新型专利申请，请县科技局协调专利优先审查",
        ),
        D(2026, 11, 30),
    ),
]
PARTY_TASKS = [
    (
        "规范企业党支部建设",
        "每月开展主题党日活动，年内发展入党积极分子2名",
        (
            "了解企业党员队伍现状，指导健全组织生活制度",
            "协助开展主题党日和党员亮身份活动",
            "确定入党积极分子培养对象，党员先锋岗建设初见成效",
            "全年组织生活规范开展，发展入党积极分子2名",
        ),
        ("企业生产任务重，党员集中学习时间难以保证", "采取线上学习与车间现场学习相结合的方式"),
        D(2026, 12, 31),
    ),
    (
        "指导企业成立党组织",
        "8月底前成立企业党支部，建立党员活动室",
        (
            "摸排企业党员情况，流动党员转入组织关系",
            "提出成立党支部申请，报乡镇党委审批",
            "党支部获批成立，正在建设党员活动室",
            "党支部成立，党员活动室投入使用",
        ),
        ("部分党员组织关系转接手续较慢", "协调县委组织部和原单位党组织加快办理组织关系转接"),
        D(2026, 8, 31),
    ),
]
EMPLOYEE_TASKS = [
    (
        "落实稳岗政策，开展职工技能培训",
        "组织职工技能培训{trainees}人次，稳岗返还资金及时到位",
        (
            "宣传稳岗返还和技能提升补贴政策",
            "协助企业申报稳岗返还，组织第一批技能培训",
            "稳岗返还资金到账，累计培训过半",
            "全年培训任务完成，职工队伍稳定",
        ),
        ("生产旺季职工难以脱产参加培训", "调整为班后和轮休时间培训，请县职教中心送课进厂"),
        D(2026, 10, 31),
    ),
    (
        "保障工资按时足额发放，化解劳资矛盾",
        "全年无欠薪、无劳资群体性事件，劳动合同签订率100%",
        (
            "检查企业工资发放和劳动合同签订情况",
            "指导企业完善工资支付保障制度，补签劳动合同",
            "开展劳动关系风险排查，调处职工诉求2件",
            "劳动合同签订率100%，全年无欠薪",
        ),
        ("部分季节性用工人员流动性大，合同签订不及时", "指导企业实行入职即签合同，建立用工台账"),
        D(2026, 12, 31),
    ),
]
RESEARCH_TASKS = [
    (
        "开展企业经营情况跟踪调研",
        "每月按时报送经济指标，每季度形成调研报告1篇",
        (
            "建立企业经济运行月度台账",
            "完成一季度调研报告，报县驻企办",
            "完成二、三季度调研报告，反映问题3条",
            "全年调研报告全部完成",
        ),
        ("企业统计人员更换，月度数据报送延迟", "帮助企业培训统计人员，建立数据报送提醒机制"),
        D(2027, 2, 28),
    ),
    (
        "调研{industry}产业链上下游配套情况",
        "形成产业链补链招商建议报告1份，报县商务局",
        (
            "梳理企业主要供应商和客户分布",
            "走访县内上下游配套企业，收集补链需求",
            "建议报告初稿完成，征求企业意见",
            "产业链招商建议报告已报送县商务局",
        ),
        ("产业链涉及企业多，调研范围需要扩大", "联合县商务局、工信局开展专题调研"),
        D(2026, 12, 31),
    ),
]

# The revisions: a new task each (the revision adds it to an approved plan).
REVISION_TASK = (
    "协助企业申报省级绿色工厂",
    "年底前完成节能诊断和申报，进入省级绿色工厂名单",
    (
        "对照评价标准开展节能诊断",
        "完成能源管理体系建设",
        "申报材料已报县工信局",
        "已列入省级绿色工厂名单",
    ),
    ("节能诊断需要第三方机构进场", "协调县工信局推荐诊断机构"),
    D(2026, 12, 31),
)
VAGUE_REVISION_TASK = (
    "加强企业宣传",
    "做好宣传工作",
    ("", "", "", ""),
    ("", ""),
    D(2027, 2, 28),
)

PACES = [0.72, 0.86, 1.0, 1.1, 1.25, 1.45]
PACE_WEIGHTS = [1, 1, 5, 5, 4, 3]


def _figures(enterprise: EnterpriseData) -> dict:
    rng = random.Random(f"figures-{enterprise.credit_code}")  # demo data  # nosec B311
    scale = max(enterprise.employees, 40)
    loan = max(200, round(scale * rng.uniform(2, 4) / 100) * 100)
    receivable = max(100, round(scale * rng.uniform(1, 3) / 50) * 50)
    return {
        "loan": loan,
        "mu": rng.choice([18, 25, 30, 42, 56, 80]),
        "workers": max(10, round(scale * rng.uniform(0.05, 0.12) / 5) * 5),
        "kva": rng.choice([1250, 2000, 2500, 4000, 6300]),
        "subsidy": rng.choice([45, 60, 86, 120, 150, 230]),
        "receivable": receivable,
        "partial": round(receivable * 0.4 / 10) * 10,
        "investment": max(300, round(scale * rng.uniform(3, 8) / 100) * 100),
        "growth": rng.choice([12, 15, 17, 20]),
        "trainees": max(30, round(scale * rng.uniform(0.3, 0.6) / 10) * 10),
        "products": enterprise.main_products.split("、")[0],
        "industry": enterprise.industry_detail,
        "renovation": RENOVATION.get(enterprise.industry_detail, DEFAULT_RENOVATION).rstrip("。"),
    }


def _item(area, template, *, values, owner, rng, pace=None) -> ItemData:
    title, target, milestones, behind, due = template
    return ItemData(
        area=area,
        title=title.format(**values)[:200],
        target=target.format(**values)[:300],
        owner=owner,
        due_date=due,
        pace=pace if pace is not None else rng.choices(PACES, PACE_WEIGHTS)[0],
        milestones=tuple(text.format(**values) for text in milestones),
        behind=behind,
    )


def _demo_items(enterprise, rng, owners) -> list[ItemData]:
    """The demo enterprise's plan matches its tickets (power, workers) and is still running, so
    the demo cadre's open report has progress to fill in."""
    values = _figures(enterprise) | {"kva": 2500}
    lead, team, _contact = owners
    title, _target, milestones, behind, _due = DIFFICULTY_TASKS[4]
    power = (title, "11月底前完成{kva}千伏安电力增容并送电", milestones, behind, D(2026, 11, 30))
    return [
        _item(TaskArea.DIFFICULTIES, power, values=values, owner=team, rng=rng, pace=0.86),
        _item(
            TaskArea.EMPLOYEES,
            DIFFICULTY_TASKS[2][:4] + (D(2026, 12, 31),),
            values=values,
            owner=lead,
            rng=rng,
            pace=1.0,
        ),
        _item(TaskArea.STRATEGY, STRATEGY_TASKS[1], values=values, owner=lead, rng=rng, pace=1.1),
        _item(TaskArea.PARTY, PARTY_TASKS[0], values=values, owner=lead, rng=rng, pace=1.0),
        _item(TaskArea.RESEARCH, RESEARCH_TASKS[0], values=values, owner=lead, rng=rng, pace=1.0),
    ]


def _plan_items(enterprise, rng, owners) -> list[ItemData]:
    """3 to 5 tasks drawn from the six task areas, fitted to the enterprise."""
    values = _figures(enterprise)
    lead, team, contact = owners
    difficulties = [DIFFICULTIES.index(line) for line in enterprise.survey.difficulties.split("\n")]
    items = [
        _item(
            TaskArea.DIFFICULTIES,
            DIFFICULTY_TASKS[difficulties[0]],
            values=values,
            owner=team,
            rng=rng,
        ),
        _item(TaskArea.STRATEGY, rng.choice(STRATEGY_TASKS), values=values, owner=lead, rng=rng),
    ]
    if enterprise.listing_status == "preparing":
        items.append(
            _item(TaskArea.MANAGEMENT, LISTING_TASK, values=values, owner=contact, rng=rng)
        )
    elif enterprise.listing_status == "neeq":
        items.append(_item(TaskArea.MANAGEMENT, NEEQ_TASK, values=values, owner=contact, rng=rng))
    elif rng.random() < 0.5:
        task = rng.choice(MANAGEMENT_TASKS)
        items.append(_item(TaskArea.MANAGEMENT, task, values=values, owner=lead, rng=rng))
    optional = []
    if rng.random() < 0.55:
        task = PARTY_TASKS[1] if enterprise.employees < 150 else PARTY_TASKS[0]
        optional.append(_item(TaskArea.PARTY, task, values=values, owner=lead, rng=rng))
    if enterprise.employees >= 400 or rng.random() < 0.4:
        task = rng.choice(EMPLOYEE_TASKS)
        optional.append(_item(TaskArea.EMPLOYEES, task, values=values, owner=lead, rng=rng))
    if rng.random() < 0.35:
        task = DIFFICULTY_TASKS[difficulties[1]]
        optional.append(_item(TaskArea.DIFFICULTIES, task, values=values, owner=team, rng=rng))
    task = rng.choice(RESEARCH_TASKS)
    optional.append(_item(TaskArea.RESEARCH, task, values=values, owner=lead, rng=rng))
    rng.shuffle(optional)
    # Always at least one optional task, so every plan spans three task areas or more.
    wanted = max(rng.choice([3, 4, 4, 5]), len(items) + 1)
    return items + optional[: wanted - len(items)]


# The six tasks by their Chinese names (the labels in choices.py follow the reader's language).
AREA_NAMES = {
    TaskArea.STRATEGY: "发展规划",
    TaskArea.DIFFICULTIES: "解难帮扶",
    TaskArea.MANAGEMENT: "规范管理",
    TaskArea.PARTY: "党建",
    TaskArea.EMPLOYEES: "职工稳定",
    TaskArea.RESEARCH: "调研反映",
}


def _summary(enterprise: EnterpriseData, items: list[ItemData]) -> str:
    labels = "、".join(dict.fromkeys(AREA_NAMES[item.area] for item in items))
    return (
        f"围绕{enterprise.main_products}主业，坚持多服务、少干预、多帮忙、不添乱，重点抓好{labels}"
        f"等{len(items)}项工作：{'；'.join(item.title for item in items)}。"
        f"每半月向县驻企办报告进展，遇到难题及时提交县里协调解决。"
    )


def build_plans(county: DemoCounty, now: datetime.datetime) -> list[PlanData]:
    people = {person.phone: person for person in county.people}
    cadres: dict[str, list] = {}
    for assignment in county.assignments:
        cadres.setdefault(assignment.enterprise_code, []).append(assignment)
    deadline = STATIONED_ON + datetime.timedelta(days=7)
    plans = []
    for index, enterprise in enumerate(county.enterprises):
        rng = random.Random(f"plan-{index}")  # reproducible demo data  # nosec B311
        team = cadres[enterprise.credit_code]
        names = [people[a.cadre_phone].name for a in team]
        owners = (names[0], "、".join(names), f"{enterprise.contact_name}（企业）")
        pick = _demo_items if index == DEMO_ENTERPRISE else _plan_items
        items = pick(enterprise, rng, owners)
        revised = index in PENDING_REVISIONS or index == RETURNED_REVISION
        if revised:
            items = items[:4]  # the revision adds a fifth
        if index == MISSING_PLAN:
            submitted = approved = None
        elif index == LATE_PLAN:
            submitted = at(deadline + datetime.timedelta(days=5), 17.5)
            approved = at(deadline + datetime.timedelta(days=7), 10)
        else:
            day = deadline - datetime.timedelta(days=rng.randrange(0, 5))
            submitted = at(day, rng.choice([10, 11.5, 15, 16.5, 20]))
            approved = at(day + datetime.timedelta(days=rng.randrange(1, 4)), 9.5)
        plan = PlanData(
            enterprise_code=enterprise.credit_code,
            author_phone=team[0].cadre_phone,
            summary=_summary(enterprise, items),
            items=items,
            submitted_at=submitted,
            approved_at=approved,
        )
        if revised:
            returned = index == RETURNED_REVISION
            days_ago = 5 if returned else 1 + PENDING_REVISIONS.index(index) * 2
            task = VAGUE_REVISION_TASK if returned else REVISION_TASK
            new_item = _item(
                TaskArea.RESEARCH if returned else TaskArea.STRATEGY,
                task,
                values={},
                owner=owners[0],
                rng=rng,
                pace=1.0,
            )
            position = 0
            old = items[position]
            plan.revision = RevisionData(
                submitted_at=now - datetime.timedelta(days=days_ago, hours=2),
                summary=plan.summary + "年中根据企业发展需要调整计划，细化目标并新增1项任务。",
                target_change=(position, f"{old.target}；根据上半年进展，力争提前1个月完成"),
                new_items=(new_item,),
                return_comment=(
                    "新增的“加强企业宣传”任务没有可衡量的目标，也不属于驻企干部的六项任务，"
                    "请结合企业实际明确目标和完成时限后重新报送。"
                    if returned
                    else ""
                ),
            )
        plans.append(plan)
    return plans


# --- Half-monthly reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodData:
    number: int
    start: datetime.date
    end: datetime.date
    due_at: datetime.datetime


@dataclass
class ReportData:
    cadre_phone: str
    enterprise_code: str
    period_number: int
    # None: a draft left open for the cadre to finish.
    submit_at: datetime.datetime | None
    work_done: str
    next_steps: str
    days_on_site: int | None
    behind_reason: str = ""
    remedy: str = ""
    # (position, progress %, status, note) per plan item
    items: list[tuple[int, int, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rating: str = ""
    review_comment: str = ""
    return_reason: str = ""


ACTIVITIES = [
    "参加企业生产经营调度会{meetings}次，与企业负责人座谈{talks}次",
    "深入车间、班组走访职工{talks}次，参加企业周例会{meetings}次",
    "陪同企业负责人到县有关部门对接工作{talks}次，参加企业经营分析会{meetings}次",
]
EXTRA_WORK = [
    "宣传解读县里新出台的稳增长、促投资政策措施，帮助企业对照申报。",
    "协助企业填报{month}月份经济运行指标，分析主要指标增减原因。",
    "督促企业开展安全生产隐患自查，检查消防设施和特种设备台账。",
    "走访企业职工，了解工资发放和社保缴纳情况，未发现拖欠问题。",
    "参加县驻企办组织的驻企干部业务培训，交流驻企工作经验。",
    "向企业宣传省市惠企政策清单，帮助企业梳理可申报项目3项。",
    "协助企业做好防汛和高温天气安全生产工作。",
    "陪同县领导到企业调研，汇报企业发展情况和存在困难。",
]
NEXT_GENERIC = [
    "继续按时报送企业经济运行指标，跟踪主要指标变化。",
    "跟进本期发现问题的办理情况，及时向县驻企办反馈。",
    "配合企业做好下阶段生产组织和安全生产工作。",
    "收集企业对惠企政策落实的意见建议。",
]
PROBLEMS = [
    "企业反映{month}月份电费、气费上涨较多，生产成本上升。",
    "企业新招聘员工子女入学问题需要协调解决。",
    "厂区门前道路破损，大型货车通行困难。",
    "企业申报的技改补贴尚未拨付，希望加快兑现。",
    "部分订单客户回款慢，企业流动资金紧张。",
    "企业反映部分涉企检查较多，希望统筹安排、减少打扰。",
]
REVIEW_COMMENTS = {
    ReportRating.EXCELLENT: [
        "工作扎实，问题梳理清楚，措施具体。",
        "主动作为，帮助企业解决实际困难成效明显。",
        "进展清楚，数据翔实，值得推广。",
    ],
    ReportRating.GOOD: [
        "按要求报送，内容较完整，建议进一步量化工作成效。",
        "工作有进展，下一步措施还可以更具体。",
        "",
    ],
    ReportRating.FAIR: [
        "内容较笼统，滞后任务的解决办法需进一步细化。",
        "在企时间偏少，请按要求保证驻企时间。",
    ],
}
RETURN_REASON = (
    "本期工作情况写得过于笼统，只列了在企天数和参加会议的次数，没有写清本期具体做了哪些工作、"
    "解决了什么问题；“{title}”进度滞后的解决办法也不够具体。请补充后重新报送。"
)
DEMO_PROBLEM = "秋季订单集中交付，一线焊工和装配工缺口约30人，企业多次招聘仍招不满。"
DRAFT_WORK = "本期在企参加企业生产调度会2次，重点跟进"


def progress_at(item: ItemData, as_of: datetime.date) -> tuple[int, str, str]:
    """(progress %, status, note) of an item at a date: the straight line scaled by its pace."""
    span = max((item.due_date - STATIONED_ON).days, 1)
    raw = item.pace * (as_of - STATIONED_ON).days * 100 / span
    # Round up to 5% when on pace, down when behind, so the rounding never flips the verdict.
    steps = math.ceil(raw / 5) if item.pace >= 1 else math.floor(raw / 5)
    progress = int(min(100, max(0, steps * 5)))
    if progress >= 100:
        return 100, ItemStatus.DONE, item.milestones[3]
    if progress == 0:
        return 0, ItemStatus.NOT_STARTED, "尚未启动"
    note = item.milestones[0 if progress < 30 else 1 if progress < 60 else 2]
    stuck = item.pace < 0.8 and item.area == TaskArea.DIFFICULTIES and progress >= 40
    return progress, ItemStatus.BLOCKED if stuck else ItemStatus.IN_PROGRESS, note


def _report_text(
    *, rng, period: PeriodData, enterprise, items, previous, truant=False
) -> tuple[ReportData, list[ItemData]]:
    """The report body for one period; returns it and the items behind plan."""
    period_days = (period.end - period.start).days + 1
    days = rng.randrange(3, 6) if truant else rng.randrange(7, min(12, period_days) + 1)
    values = {"meetings": rng.randrange(1, 4), "talks": rng.randrange(1, 4)}
    lines = [f"本期在企{days}天，{rng.choice(ACTIVITIES).format(**values)}。"]
    rows, behind, moved, open_items = [], [], [], []
    for position, item in enumerate(items):
        progress, status, note = progress_at(item, period.end)
        rows.append((position, progress, status, note))
        if progress != previous.get(position, 0):
            moved.append(f"{item.title}：{note}，进度{progress}%。")
        if progress < 100:
            open_items.append((item, progress))
        if item_is_behind(
            progress=progress, status=status, due=item.due_date, start=STATIONED_ON,
            as_of=period.end,
        ):  # fmt: skip
            behind.append(item)
    if not moved and open_items:
        item, progress = open_items[0]
        moved.append(f"{item.title}：持续跟进，目前进度{progress}%。")
    if not items:
        moved.append("走访企业了解生产经营情况，收集企业诉求。")
    lines += moved[:3]
    if not truant:
        lines.append(rng.choice(EXTRA_WORK).format(month=period.start.month))
    next_lines = []
    for item, progress in open_items[:2]:
        phase = "抓紧做好前期工作" if progress < 30 else "加快推进" if progress < 80 else "抓好收尾"
        if rng.random() < 0.5:
            next_lines.append(f"{item.title}：紧盯“{item.target}”的目标，{phase}。")
        else:
            step = item.milestones[3 if progress >= 60 else 2].replace("已", "")
            next_lines.append(f"{item.title}：力争{step}。")
    next_lines.append(rng.choice(NEXT_GENERIC))
    numbered = [f"{n}. {text}" for n, text in enumerate(lines, 1)]
    report = ReportData(
        cadre_phone="",
        enterprise_code=enterprise.credit_code,
        period_number=period.number,
        submit_at=None,
        work_done="\n".join(numbered),
        next_steps="\n".join(f"{n}. {text}" for n, text in enumerate(next_lines, 1)),
        days_on_site=days,
        items=rows,
    )
    if behind:
        report.behind_reason = "\n".join(f"{item.title}：{item.behind[0]}。" for item in behind)
        report.remedy = "\n".join(f"{item.title}：{item.behind[1]}。" for item in behind)
    if rng.random() < 0.3:
        difficulties = enterprise.survey.difficulties.split("\n")
        pool = [*difficulties, *(text.format(month=period.start.month) for text in PROBLEMS)]
        report.problems = [rng.choice(pool)]
    return report, behind


def _review(rng, *, offset: int, truant: bool, demo: bool) -> tuple[str, str]:
    """(rating, comment) for a report `offset` periods before the latest due one, or ("", "")
    while it waits in the office's review queue."""
    if offset == 0 or (offset == 1 and rng.random() < 0.5):
        return "", ""
    if truant:
        rating = ReportRating.FAIR
    elif demo:
        rating = rng.choice([ReportRating.EXCELLENT, ReportRating.GOOD])
    else:
        rating = rng.choices(
            [ReportRating.EXCELLENT, ReportRating.GOOD, ReportRating.FAIR], [3, 5, 2]
        )[0]
    return rating, rng.choice(REVIEW_COMMENTS[rating])


@dataclass
class ReportPlan:
    reports: list[ReportData]
    # The report line the demo cadre turned into a ticket: (cadre phone, period number).
    problem_source: tuple[str, int] | None


def build_reports(
    county: DemoCounty,
    plans: list[PlanData],
    periods: list[PeriodData],
    now: datetime.datetime,
    window: int | None = REPORT_WINDOW,
) -> ReportPlan:
    """Reports for the last `window` periods already due, and for the open ones."""
    today = now.astimezone(CHINA).date()
    due = [period for period in periods if period.due_at <= now]
    seeded = due[max(0, len(due) - window) :] if window is not None else due
    open_periods = [p for p in periods if p.start <= today and p.due_at > now]
    plan_items = {plan.enterprise_code: plan.items for plan in plans if plan.submitted_at}
    enterprises = {enterprise.credit_code: enterprise for enterprise in county.enterprises}
    codes = [enterprise.credit_code for enterprise in county.enterprises]
    demo_phone = next(p.phone for p in county.people if p.username == "cadre")
    truants = {
        a.cadre_phone
        for a in county.assignments
        if a.enterprise_code in (codes[MISSING_PLAN], codes[TRUANT_REPORTS])
    }
    returned_phone = next(
        a.cadre_phone for a in county.assignments if a.enterprise_code == codes[RETURNED_REPORT]
    )
    reports: list[ReportData] = []
    problem_source = None
    for assignment in county.assignments:
        phone = assignment.cadre_phone
        enterprise = enterprises[assignment.enterprise_code]
        items = plan_items.get(enterprise.credit_code, [])
        demo = phone == demo_phone
        truant = phone in truants
        no_plan = enterprise.credit_code == codes[MISSING_PLAN]
        previous: dict[int, int] = {}
        for period in seeded:
            offset = len(due) - 1 - due.index(period)
            rng = random.Random(f"report-{phone}-{period.number}")  # demo data  # nosec B311
            if truant:
                missing = offset <= (3 if no_plan else 2) or (no_plan and offset in (6, 9, 12))
            else:
                kept = demo or (phone == returned_phone and offset == 0)
                missing = not kept and rng.random() < 0.04
            late = not demo and rng.random() < (0.5 if truant else 0.1)
            if missing:
                continue
            report, _behind = _report_text(
                rng=rng, period=period, enterprise=enterprise, items=items,
                previous=previous, truant=truant,
            )  # fmt: skip
            report.cadre_phone = phone
            previous = {row[0]: row[1] for row in report.items}
            if late or (demo and offset == 5):
                moment = period.due_at + datetime.timedelta(hours=rng.randrange(10, 80))
            else:
                moment = at(period.end, 16) + datetime.timedelta(minutes=rng.randrange(0, 4 * 1440))
                moment = min(moment, period.due_at - HALF_HOUR)
            report.submit_at = min(moment, now - 5 * MINUTE)
            if demo and offset == 0:
                report.problems = [DEMO_PROBLEM]
                problem_source = (phone, period.number)
            if phone == returned_phone and offset == 0:
                behind_item = next(iter(_behind), items[0] if items else None)
                report.work_done = report.work_done.split("\n")[0]
                report.return_reason = RETURN_REASON.format(
                    title=behind_item.title if behind_item else "工作任务"
                )
            else:
                report.rating, report.review_comment = _review(
                    rng, offset=offset, truant=truant, demo=demo
                )
            reports.append(report)
        for period in open_periods:
            rng = random.Random(f"report-{phone}-{period.number}")  # demo data  # nosec B311
            if demo and period is open_periods[0]:
                # The demo cadre's current report: started, waiting to be finished.
                titles = "、".join(f"“{item.title}”" for item in items[:2]) or "企业经营情况调研"
                # Item progress stays as the service prefills it from the last report.
                draft = ReportData(
                    cadre_phone=phone,
                    enterprise_code=enterprise.credit_code,
                    period_number=period.number,
                    submit_at=None,
                    work_done=f"1. {DRAFT_WORK}{titles}……",
                    next_steps="",
                    days_on_site=None,
                )
                reports.append(draft)
                continue
            if period.end >= today or truant or demo or rng.random() < 0.45:
                continue  # not written yet: the period is still open
            report, _behind = _report_text(
                rng=rng, period=period, enterprise=enterprise, items=items, previous=previous
            )
            report.cadre_phone = phone
            earliest = at(period.end, 16)
            moment = earliest + datetime.timedelta(minutes=rng.randrange(0, 3 * 1440))
            report.submit_at = max(min(moment, now - 5 * MINUTE), earliest)
            if report.submit_at < now:
                reports.append(report)
    # Period by period, so each plan item ends on its latest reported progress.
    reports.sort(key=lambda report: report.period_number)
    return ReportPlan(reports=reports, problem_source=problem_source)


# --- Problem tickets --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepData:
    """One step after raising: accept, assign, progress, extension, answer, rate, reject,
    withdraw or escalate_overdue. Only accept and assign are back-dated (`at`); the others
    happen when the seed runs."""

    kind: str
    at: datetime.datetime | None = None
    unit: str = ""
    co_units: tuple[str, ...] = ()
    level: str = Level.SYSTEM
    with_leader: bool = False
    text: str = ""
    days: int = 0
    satisfaction: str = ""


@dataclass(frozen=True)
class TicketData:
    enterprise_code: str
    raiser: str  # "cadre" (the group leader at the enterprise) or "contact"
    category: str
    urgency: str
    title: str
    description: str
    raised_at: datetime.datetime
    steps: tuple[StepData, ...]
    from_report: bool = False  # raised from the demo cadre's report problem line


NATURAL_RESOURCES = "青山县自然资源局"


def build_tickets(
    county: DemoCounty,
    now: datetime.datetime,
    working_day_before: Callable[[int], datetime.date],
    problem_report_at: datetime.datetime | None = None,
) -> list[TicketData]:
    """About fifteen tickets in every state. `working_day_before(n)` is the n-th working day
    before today (0: today); the clocks of the department login's tickets are set with it so
    one is yellow and one red on the day the seed runs."""
    codes = [enterprise.credit_code for enterprise in county.enterprises]
    latest = now - MINUTE

    def day(n: int, hour: float) -> datetime.datetime:
        return min(at(working_day_before(n), hour), latest)

    def steps(*items: StepData) -> tuple[StepData, ...]:
        return items

    def accept(n: int, hour: float = 9.2) -> StepData:
        return StepData("accept", at=day(n, hour))

    def assign(n: int, unit: str, hour: float = 9.6, **options) -> StepData:
        return StepData("assign", at=day(n, hour), unit=unit, **options)

    def next_working_day(moment: datetime.datetime) -> int:
        """How many working days before today the first working day after `moment` is."""
        n = 0
        while working_day_before(n + 1) > moment.astimezone(CHINA).date():
            n += 1
        return n

    # The demo cadre raised the last report's problem an hour after submitting it; the office
    # accepted and assigned it the next working morning.
    from_report = min((problem_report_at or day(6, 18)) + datetime.timedelta(hours=1), latest)
    handled = max(day(next_working_day(from_report), 9.2), from_report + MINUTE)
    tickets = [
        # The department login (自然资源局): red, yellow, green and closed.
        TicketData(
            codes[1], "cadre", Category.LAND, Urgency.NORMAL,
            "矿山机械产业园二期项目用地报批久拖未决",
            "二期项目拟新增工业用地42亩，组卷材料已于上月报送县自然资源局，至今未上报市局审批。"
            "企业已签订设备采购合同，用地批复不下来，厂房无法开工，将影响明年订单交付。",
            day(16, 15.5),
            steps(
                accept(15),
                assign(14, NATURAL_RESOURCES, co_units=("青山县行政审批局",), with_leader=True),
                StepData("escalate_overdue"),
            ),
        ),
        TicketData(
            codes[13], "contact", Category.LAND, Urgency.NORMAL,
            "石墨烯导热膜项目用地指标未落实",
            "石墨烯导热膜项目已完成备案，需新增用地25亩。开发区现有储备用地规划为物流用地，"
            "需调整规划或调剂用地指标，请县自然资源局协调。",
            day(11, 10.5),
            steps(
                accept(10),
                assign(9, NATURAL_RESOURCES, co_units=("青山经济开发区管理委员会",)),
                StepData(
                    "progress",
                    text="已组织现场踏勘，拟将该地块纳入本年度第三批次用地计划，正在准备组卷材料。",
                ),
            ),
        ),
        TicketData(
            codes[26], "cadre", Category.LAND, Urgency.NORMAL,
            "老厂区土地证办理遇历史遗留问题",
            "企业老厂区2003年通过划拨取得，一直未办理不动产权证，影响企业抵押贷款，"
            "请帮助理清补办手续和需缴纳的出让金。",
            day(2, 14),
            steps(accept(1), assign(1, NATURAL_RESOURCES)),
        ),
        TicketData(
            codes[7], "contact", Category.LAND, Urgency.URGENT,
            "低温仓储项目用地红线与规划道路冲突",
            "新建低温仓储库用地红线东侧与规划道路重叠约3米，施工图审查无法通过，请尽快核实调整。",
            day(5, 9),
            steps(
                accept(4, 9.3),
                assign(4, NATURAL_RESOURCES, hour=10),
                StepData("progress", text="已会同县住建局现场核实，规划道路线位可向东微调。"),
                StepData(
                    "answer",
                    text="经县规委会审议同意，规划道路线位东移5米，已出具新的规划条件，"
                    "企业可按原红线报审施工图。",
                ),
                StepData("rate", satisfaction=Satisfaction.SATISFIED, text="解决及时，非常感谢。"),
            ),
        ),
        # Waiting for the office.
        TicketData(
            codes[4], "contact", Category.FINANCING, Urgency.URGENT,
            "800万元流动资金贷款到期续贷困难",
            "企业在县农商行的800万元流动资金贷款下月到期，银行要求先还后贷，"
            "企业一时难以筹措过桥资金，希望协调办理无还本续贷。",
            day(1, 16),
            (),
        ),
        TicketData(
            codes[11], "cadre", Category.MARKET, Urgency.NORMAL,
            "希望组织企业参加省农博会",
            "企业黑木耳、蓝莓饮品主要在本地销售，希望县里统一组织参加省农业博览会，"
            "并协调展位费补贴。",
            min(at(working_day_before(0), 8.5), latest),
            (),
        ),
        TicketData(
            codes[23], "contact", Category.POLICY, Urgency.NORMAL,
            "省级专精特新企业奖励资金未拨付",
            "企业去年被认定为省级专精特新中小企业，县级配套奖励50万元至今未拨付。",
            day(2, 11),
            steps(accept(1)),
        ),
        # From the demo cadre's half-monthly report.
        TicketData(
            codes[0], "cadre", Category.LABOUR, Urgency.NORMAL,
            "秋季订单集中交付，一线技术工人缺口约30人",
            DEMO_PROBLEM + "请县人社局帮助组织专场招聘，并协调县职教中心开展订单式培训。",
            from_report,
            steps(
                StepData("accept", at=min(handled, latest)),
                StepData(
                    "assign",
                    at=min(handled + HALF_HOUR, latest),
                    unit="青山县人力资源和社会保障局",
                ),
                StepData(
                    "progress",
                    text="已将企业用工需求纳入本月县人力资源市场专场招聘会，并联系县职教中心开设焊工班。",
                ),
            ),
            from_report=True,
        ),
        # Answered: the enterprise login rates it.
        TicketData(
            codes[0], "contact", Category.UTILITIES, Urgency.NORMAL,
            "二期厂区电力增容迟迟未接电",
            "二期厂区2500千伏安增容申请已提交三个月，新生产线设备已安装完毕，因未接电无法试生产。",
            day(6, 10),
            steps(
                accept(5),
                assign(5, "国网青山县供电公司"),
                StepData("progress", text="已完成现场勘查，确定由园区10千伏线路T接供电。"),
                StepData(
                    "answer",
                    text="增容工程已完工并通过验收，新装2500千伏安变压器已送电，"
                    "请企业安排试生产，如有问题随时联系。",
                ),
            ),
        ),
        # Closed.
        TicketData(
            codes[17], "cadre", Category.APPROVALS, Urgency.NORMAL,
            "水溶肥生产线环评批复办理慢",
            "水溶肥生产线环评报告已报送一个多月，多次补正材料，企业希望明确一次性补正清单。",
            day(7, 15),
            steps(
                accept(6),
                assign(6, "青山县生态环境局", co_units=("青山县行政审批局",)),
                StepData("progress", text="已组织专家现场核查，一次性告知需补充的监测数据。"),
                StepData("answer", text="企业补充材料后已通过技术评审，环评批复已于今日出具。"),
                StepData(
                    "rate",
                    satisfaction=Satisfaction.BASIC,
                    text="批复已取得，但前期材料反复补正耗时较长，希望今后一次性告知。",
                ),
            ),
        ),
        TicketData(
            codes[24], "contact", Category.POLICY, Urgency.NORMAL,
            "智能电表生产线技改补贴未兑现",
            "企业去年完成智能电表生产线技改，县级技改补贴86万元已公示，资金尚未拨付。",
            day(6, 9),
            steps(
                accept(5),
                assign(5, "青山县工业和信息化局", co_units=("青山县财政局",)),
                StepData("answer", text="经与县财政局核对，86万元补贴资金已拨付至企业账户。"),
                StepData("rate", satisfaction=Satisfaction.SATISFIED),
            ),
        ),
        # Not for the government to decide, and withdrawn.
        TicketData(
            codes[9], "contact", Category.MARKET, Urgency.NORMAL,
            "请政府协调上游大豆供应商降价",
            "近期大豆收购价格上涨，企业压榨利润下降，希望政府出面协调供应商降低供货价格。",
            day(3, 10),
            steps(
                StepData(
                    "reject",
                    text="原料价格属企业自主经营的市场行为，政府不宜干预。已建议企业通过集中采购、"
                    "签订长期协议等方式降低成本，驻企干部将协助对接县商务局的供需对接活动。",
                ),
            ),
        ),
        TicketData(
            codes[32], "contact", Category.DISPUTES, Urgency.NORMAL,
            "与物业公司商铺租赁合同纠纷",
            "城关店所在商业楼物业公司单方面上调租金并停水停电，影响正常营业。",
            day(4, 14),
            steps(
                accept(3),
                assign(3, "青山县市场监督管理局"),
                StepData(
                    "withdraw",
                    text="经社区调解，双方已就租金达成一致并恢复供水供电，诉求撤回。",
                ),
            ),
        ),
        # In progress elsewhere: an extension request and a discipline case.
        TicketData(
            codes[18], "cadre", Category.INFRASTRUCTURE, Urgency.NORMAL,
            "工业园区三路排水管网不畅，雨季厂区积水",
            "工业园区三路排水管网管径偏小，今年汛期厂区多次积水，原料仓库进水，"
            "希望纳入市政管网改造。",
            day(8, 11),
            steps(
                accept(7),
                assign(7, "青山县住房和城乡建设局", co_units=("青山县财政局",)),
                StepData(
                    "progress",
                    text="已完成管网检测，需新建DN800排水管约600米，正在编制改造方案和预算。",
                ),
                StepData(
                    "extension",
                    days=15,
                    text="管网改造需县财政安排资金，预算已报县财政局审核，申请延期15个工作日。",
                ),
            ),
        ),
        TicketData(
            codes[20], "cadre", Category.ARBITRARY_CHARGES, Urgency.URGENT,
            "有关单位以“赞助费”名义向企业摊派",
            "企业反映，近期有单位以举办活动为由要求企业缴纳“赞助费”2万元，企业不敢拒绝。",
            day(3, 16),
            steps(
                accept(2),
                assign(2, "中共青山县纪律检查委员会"),
                StepData("progress", text="已成立核查组，正在调取相关材料并约谈有关人员。"),
            ),
        ),
    ]  # fmt: skip
    return tickets
