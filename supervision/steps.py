"""The step table of a ticket's closed loop: one `Step` per action, everything about it in one
entry.

Each entry wraps the step's rules (`permissions.STEPS[name]`: who may take it, from which
states, under which conditions) and adds what the pages and the API need to offer and take it:

- `form` (the page's form, supervision/forms/tickets.py) and `serializer` (the API's input,
  supervision/api/serializers/tickets.py). Both give the same data: the names of the service's
  arguments, so `perform` maps either to the service;
- `perform(ticket, by, data)`: the service call; `attachments` says the step keeps files;
- the page's label, button and success message, and the API's summary and description;
- `notices`: the kinds of notification the step's service sends (supervision.notices says to
  whom). The services send them, so a step taken by a page, the API, a command or a job tells
  the same people; tests/supervision/test_steps.py checks the services send exactly these.

The detail page's actions (supervision.views.tickets.TicketActionView), the API's action
endpoints (supervision.api.views.tickets, one route per entry) and the agreement tests are
generated from this table; `allowed_actions` reads `permissions.STEPS`. A new step is a rule in
permissions.py and an entry here.

The rules stay in permissions.py because the services ask them; this module imports forms,
serializers and services, which permissions.py must not.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Verdict

from . import permissions, services
from .api.serializers import tickets as serializers
from .choices import SupervisionNotice, TicketState
from .forms import tickets as forms
from .models import Ticket

Perform = Callable[[Ticket, User, dict], Ticket]


@dataclass(frozen=True)
class Step:
    name: str
    form: type[forms.ActionForm]
    serializer: type
    perform: Perform
    label: str
    done: str
    summary: str
    description: str
    button: str = "btn-primary"
    notices: tuple[str, ...] = ()
    attachments: bool = False
    # The label when the step starts from one of these states (交办 from submitted is 受理并交办).
    label_by_state: dict[str, str] = field(default_factory=dict)

    @property
    def rule(self) -> permissions.TicketStep:
        return permissions.STEPS[self.name]

    @property
    def slug(self) -> str:
        """The step in URLs: /tickets/<pk>/<slug>/ and /api/v1/tickets/<pk>/<slug>/."""
        return self.name.replace("_", "-")

    def label_for(self, ticket: Ticket) -> str:
        return str(self.label_by_state.get(ticket.state, self.label))


def possible_now(step: Step, user: User, ticket: Ticket) -> Verdict:
    """May the step be taken now (its state and conditions)? The page and the API ask before
    they look at the input, so a step the ticket no longer allows is refused with the reason
    (a message, 409) rather than with field errors; the service asks again under its lock."""
    return permissions.possible_now(user, ticket, step.name, permissions.Moment(ticket))


def take(step: Step, *, ticket: Ticket, by: User, data: dict, uploads=()) -> Ticket:
    """Take the step through its service, and keep `uploads` on the step's event: all or
    nothing. Raises what the service raises (PermissionDenied, TransitionError,
    ValidationError, StaleEditError)."""
    with transaction.atomic():
        ticket = step.perform(ticket, by, data)
        if uploads:
            services.ticket_attach_many(ticket=ticket, by=by, uploads=uploads)
    return ticket


def _comment(data: dict) -> str:
    return data.get("comment") or ""


_TABLE = (
    Step(
        permissions.ACCEPT,
        forms.AcceptForm,
        serializers.TicketAcceptSerializer,
        lambda ticket, by, data: services.ticket_accept(
            ticket=ticket, by=by, expected_version=data.get("version")
        ),
        label=_("受理"),
        done=_("已受理。"),
        summary=_("受理"),
        description=_("督查室受理待受理的诉求，并成为其首问责任人。"),
        notices=(SupervisionNotice.TICKET_ACCEPTED,),
    ),
    Step(
        permissions.ASSIGN,
        forms.AssignForm,
        serializers.TicketAssignSerializer,
        lambda ticket, by, data: services.ticket_accept_and_assign(
            ticket=ticket,
            by=by,
            level=data["level"],
            responsible_unit=data["responsible_unit"],
            co_units=list(data.get("co_units") or []),
            leader=data.get("leader"),
            comment=_comment(data),
            expected_version=data.get("version"),
        ),
        label=_("交办"),
        done=_("已交办。"),
        summary=_("交办"),
        description=_(
            "督查室确定层级并交办承办单位（可加协办单位和包案领导），开始计算办理时限。"
            "待受理的诉求一并受理；提出异议的诉求改派，承办单位随即确定。"
        ),
        notices=(SupervisionNotice.TICKET_ASSIGNED,),
        label_by_state={
            TicketState.SUBMITTED: _("受理并交办"),
            TicketState.OBJECTED: _("改派"),
        },
    ),
    Step(
        permissions.CONFIRM,
        forms.CommentForm,
        serializers.TicketConfirmSerializer,
        lambda ticket, by, data: services.ticket_confirm_assignment(
            ticket=ticket, by=by, comment=_comment(data)
        ),
        label=_("维持交办"),
        done=_("已维持交办，承办单位已确定。"),
        summary=_("维持交办"),
        description=_("承办单位提出异议后，督查室维持原交办，承办单位随即确定。"),
        button="btn-outline-primary",
    ),
    Step(
        permissions.REJECT,
        forms.RejectForm,
        serializers.TicketRejectSerializer,
        lambda ticket, by, data: services.ticket_reject(
            ticket=ticket, by=by, reason=data["reason"], expected_version=data.get("version")
        ),
        label=_("不予受理"),
        done=_("已不予受理。"),
        summary=_("不予受理"),
        description=_("督查室不予受理待受理的诉求，必须说明理由。"),
        button="btn-outline-danger",
        notices=(SupervisionNotice.TICKET_REJECTED,),
    ),
    Step(
        permissions.DECIDE_EXTENSION,
        forms.ExtensionDecisionForm,
        serializers.TicketDecideExtensionSerializer,
        lambda ticket, by, data: services.ticket_decide_extension(
            ticket=ticket, by=by, approve=data["approve"], comment=_comment(data)
        ),
        label=_("审批延期"),
        done=_("延期申请已审批。"),
        summary=_("审批延期"),
        description=_("督查室同意或不同意承办单位的延期申请；同意则按工作日顺延办结期限。"),
        notices=(SupervisionNotice.TICKET_EXTENSION_DECIDED,),
    ),
    Step(
        permissions.PROGRESS,
        forms.ProgressForm,
        serializers.TicketProgressSerializer,
        lambda ticket, by, data: services.ticket_progress(
            ticket=ticket, by=by, comment=data["comment"]
        ),
        label=_("记录进展"),
        done=_("办理进展已记录。"),
        summary=_("办理进展"),
        description=_(
            "承办单位记录办理进展（可带附件，multipart/form-data）；第一位办理的经办人成为责任人。"
        ),
        attachments=True,
    ),
    Step(
        permissions.ANSWER,
        forms.AnswerForm,
        serializers.TicketAnswerSerializer,
        lambda ticket, by, data: services.ticket_answer(
            ticket=ticket, by=by, answer=data["answer"]
        ),
        label=_("答复企业"),
        done=_("已答复，等待企业评价。"),
        summary=_("答复"),
        description=_("承办单位答复办理结果（可带附件，multipart/form-data），随后由企业评价。"),
        button="btn-success",
        notices=(SupervisionNotice.TICKET_ANSWERED,),
        attachments=True,
    ),
    Step(
        permissions.REQUEST_EXTENSION,
        forms.ExtensionRequestForm,
        serializers.TicketRequestExtensionSerializer,
        lambda ticket, by, data: services.ticket_request_extension(
            ticket=ticket, by=by, days=data["days"], reason=data["reason"]
        ),
        label=_("申请延期"),
        done=_("延期申请已提交督查室。"),
        summary=_("申请延期"),
        description=_(
            "承办单位在办结期限前说明理由申请延长若干工作日；同一时间只能有一项申请待审批。"
        ),
        button="btn-outline-warning",
        notices=(SupervisionNotice.TICKET_EXTENSION_REQUESTED,),
    ),
    Step(
        permissions.OBJECT,
        forms.ObjectForm,
        serializers.TicketObjectSerializer,
        lambda ticket, by, data: services.ticket_object(
            ticket=ticket, by=by, reason=data["reason"]
        ),
        label=_("提出交办异议"),
        done=_("交办异议已提交督查室。"),
        summary=_("提出交办异议"),
        description=_("承办单位在交办后 1 个工作日内可说明理由提出异议，由督查室改派或维持。"),
        button="btn-outline-danger",
        notices=(SupervisionNotice.TICKET_OBJECTED,),
    ),
    Step(
        permissions.HAND_OVER,
        forms.HandOverForm,
        serializers.TicketHandOverSerializer,
        lambda ticket, by, data: services.ticket_hand_over(
            ticket=ticket, by=by, to=data["to"], comment=_comment(data)
        ),
        label=_("移交经办人"),
        done=_("已移交。"),
        summary=_("移交经办人"),
        description=_(
            "当前责任人（或督查室）将诉求移交承办单位的另一位经办人（首问负责的明确移交）。"
        ),
        button="btn-outline-secondary",
    ),
    Step(
        permissions.RATE,
        forms.RateForm,
        serializers.TicketRateSerializer,
        lambda ticket, by, data: services.ticket_rate(
            ticket=ticket, by=by, satisfaction=data["satisfaction"], comment=_comment(data)
        ),
        label=_("评价答复"),
        done=_("感谢您的评价。"),
        summary=_("评价"),
        description=_(
            "企业联络人（企业无账号时为驻企干部）评价答复：满意、基本满意办结；不满意退回同一"
            "承办单位重新计时办理，第二次不满意同时升级督办。"
        ),
        button="btn-success",
        # 满意 and 基本满意 close the ticket; 不满意 reopens it.
        notices=(SupervisionNotice.TICKET_CLOSED, SupervisionNotice.TICKET_UNSATISFIED),
    ),
    Step(
        permissions.WITHDRAW,
        forms.WithdrawForm,
        serializers.TicketWithdrawSerializer,
        lambda ticket, by, data: services.ticket_withdraw(
            ticket=ticket, by=by, reason=data["reason"]
        ),
        label=_("撤回诉求"),
        done=_("诉求已撤回。"),
        summary=_("撤回"),
        description=_("企业或提出人说明原因撤回未办结的诉求；督查室可看到全部撤回的诉求。"),
        button="btn-outline-secondary",
    ),
    Step(
        permissions.URGE,
        forms.UrgeForm,
        serializers.TicketUrgeSerializer,
        lambda ticket, by, data: services.ticket_urge(
            ticket=ticket, by=by, comment=data["comment"]
        ),
        label=_("催办"),
        done=_("已催办，承办单位已收到通知。"),
        summary=_("催办"),
        description=_("督查室或包案领导催促承办单位抓紧办理；状态、期限和承办单位不变。"),
        button="btn-outline-warning",
        notices=(SupervisionNotice.TICKET_URGED,),
    ),
    Step(
        permissions.ESCALATE,
        forms.EscalateForm,
        serializers.TicketEscalateSerializer,
        lambda ticket, by, data: services.ticket_escalate(
            ticket=ticket, by=by, reason=data.get("reason") or ""
        ),
        label=_("升级督办"),
        done=_("已升级督办。"),
        summary=_("升级督办"),
        description=_("督查室将诉求升高一级并标记督办，承办单位和状态不变。"),
        button="btn-outline-danger",
    ),
)


def _in_rule_order(table) -> dict[str, Step]:
    """The entries in the order the detail page shows them (permissions.STEPS's): one per
    rule, none without one."""
    entries = {step.name: step for step in table}
    if len(entries) != len(table) or set(entries) != set(permissions.STEPS):
        raise ImproperlyConfigured(
            f"supervision.steps: entries {sorted(entries)} != rules {sorted(permissions.STEPS)}"
        )
    return {name: entries[name] for name in permissions.STEPS}


STEPS: dict[str, Step] = _in_rule_order(_TABLE)
BY_SLUG: dict[str, Step] = {step.slug: step for step in STEPS.values()}
