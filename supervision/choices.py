from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    FINANCING = "financing", _("融资")
    LAND = "land", _("用地")
    APPROVALS = "approvals", _("审批")
    UTILITIES = "utilities", _("水电气")
    LABOUR = "labour", _("用工")
    MARKET = "market", _("市场")
    POLICY = "policy", _("政策兑现")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    DISPUTES = "disputes", _("纠纷")
    ARBITRARY_CHARGES = "arbitrary_charges", _("乱收费乱罚款乱摊派")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Level(models.TextChoices):
    """小事不出企业、一般事不出系统、大事不出市: the ladder a problem climbs when stuck."""

    ENTERPRISE = "enterprise", _("企业级")
    SYSTEM = "system", _("系统级")
    CITY = "city", _("市级")


LEVEL_ORDER = [Level.ENTERPRISE, Level.SYSTEM, Level.CITY]


class TicketState(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    OBJECTED = "objected", _("交办异议")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = [
    TicketState.SUBMITTED,
    TicketState.ACCEPTED,
    TicketState.ASSIGNED,
    TicketState.OBJECTED,
    TicketState.IN_PROGRESS,
    TicketState.ANSWERED,
]
# States in which the department's clock runs (a deadline exists and can be missed).
CLOCK_STATES = [TicketState.ASSIGNED, TicketState.OBJECTED, TicketState.IN_PROGRESS]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Colour(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("提交诉求")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    ASSIGN = "assign", _("交办")
    OBJECT = "object", _("提出交办异议")
    CONFIRM = "confirm", _("维持交办")
    REASSIGN = "reassign", _("改派")
    HAND_OVER = "hand_over", _("移交经办人")
    PROGRESS = "progress", _("办理进展")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("同意延期")
    REFUSE_EXTENSION = "refuse_extension", _("不同意延期")
    ANSWER = "answer", _("答复")
    RATE = "rate", _("评价")
    REOPEN = "reopen", _("重新办理")
    ESCALATE = "escalate", _("升级督办")
    URGE = "urge", _("催办")
    WITHDRAW = "withdraw", _("撤回")


class SupervisionNotice(models.TextChoices):
    """Notification kinds sent by supervision (registered in supervision.notices)."""

    TICKET_YELLOW = "ticket_yellow", _("诉求黄牌预警")
    TICKET_RED = "ticket_red", _("诉求红牌督办")
    TICKET_RAISED = "ticket_raised", _("新提出诉求")
    TICKET_ACCEPTED = "ticket_accepted", _("诉求已受理")
    TICKET_REJECTED = "ticket_rejected", _("诉求不予受理")
    TICKET_ASSIGNED = "ticket_assigned", _("新交办诉求")
    TICKET_OBJECTED = "ticket_objected", _("诉求交办异议")
    TICKET_EXTENSION_REQUESTED = "ticket_extension_requested", _("诉求延期申请")
    TICKET_EXTENSION_DECIDED = "ticket_extension_decided", _("诉求延期审批结果")
    TICKET_ANSWERED = "ticket_answered", _("诉求已答复待评价")
    TICKET_UNSATISFIED = "ticket_unsatisfied", _("企业不满意重新办理")
    TICKET_CLOSED = "ticket_closed", _("诉求已办结")
    TICKET_URGED = "ticket_urged", _("诉求催办")
    OFFICE_DIGEST = "office_digest", _("督查室每日摘要")
    LEADER_DIGEST = "leader_digest", _("领导每周摘要")
    APPRAISAL_DRAFTED = "appraisal_drafted", _("考核结果草稿已生成")
    APPRAISAL_REVIEW_REQUESTED = "appraisal_review_requested", _("考核结果复核申请")
    APPRAISAL_REVIEW_ANSWERED = "appraisal_review_answered", _("考核结果复核已答复")
    BULLETIN_DRAFTED = "bulletin_drafted", _("通报草稿已生成")


class AppraisalState(models.TextChoices):
    RUNNING = "running", _("计算中")
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ReviewState(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
