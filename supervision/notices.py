"""Who supervision tells what: its notification kinds, and the notices that follow a step.

The services call these inside their transaction (so pages, API, commands and jobs tell people
the same way); the inbox rows commit with the step and e-mail goes out after commit, per each
user's settings (notifications.delivery). A unit that is told hears it on its chat robot too.
The scheduled cards and digests are in jobs.py.

Every notice passes the step's actor to `notify`: nobody is told of their own action. The
period key is the step's event, so each real step tells once and a second one (a second
不满意, a second extension request) tells again.

Who is told, per step (supervision.steps names the kinds each step sends):

- raised: the office over the enterprise's region;
- accepted, rejected: the raiser and the enterprise's contacts;
- assigned (and reassigned): the handlers of the responsible unit and of the co-units (and
  their robots), and the leader in charge (包案领导);
- objection, extension request: the office;
- extension decided: the responsible unit's handlers (and its robot);
- answered: the enterprise's contacts and the cadres stationed there;
- 不满意: the responsible unit's handlers (and its robot) and the office; from the second
  不满意 on, the leader in charge too;
- closed (满意, 基本满意): the raiser and the responsible unit's handlers (and its robot).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.choices import Role
from core.selectors import enterprise_contacts, office_over, unit_handlers, users_with_role
from core.text import as_clause
from notifications.delivery import notify, notify_unit_webhook
from notifications.kinds import DEFAULT_RELEVANCE, GIVEN, THAT_DAY, register_kinds

from .choices import SupervisionNotice

# A ticket step, an appraisal or a bulletin notice: worth e-mailing late for this long.
TICKET_RELEVANCE = DEFAULT_RELEVANCE

register_kinds(
    SupervisionNotice,
    roles={
        SupervisionNotice.TICKET_YELLOW: (Role.DEPARTMENT,),
        SupervisionNotice.TICKET_RED: (Role.DEPARTMENT, Role.OFFICE, Role.LEADER),
        SupervisionNotice.TICKET_RAISED: (Role.OFFICE,),
        SupervisionNotice.TICKET_ACCEPTED: (Role.CADRE, Role.ENTERPRISE),
        SupervisionNotice.TICKET_REJECTED: (Role.CADRE, Role.ENTERPRISE),
        SupervisionNotice.TICKET_ASSIGNED: (Role.DEPARTMENT, Role.LEADER),
        SupervisionNotice.TICKET_OBJECTED: (Role.OFFICE,),
        SupervisionNotice.TICKET_EXTENSION_REQUESTED: (Role.OFFICE,),
        SupervisionNotice.TICKET_EXTENSION_DECIDED: (Role.DEPARTMENT,),
        SupervisionNotice.TICKET_ANSWERED: (Role.CADRE, Role.ENTERPRISE),
        SupervisionNotice.TICKET_UNSATISFIED: (Role.DEPARTMENT, Role.OFFICE, Role.LEADER),
        SupervisionNotice.TICKET_CLOSED: (Role.CADRE, Role.ENTERPRISE, Role.DEPARTMENT),
        SupervisionNotice.TICKET_URGED: (Role.DEPARTMENT,),
        SupervisionNotice.OFFICE_DIGEST: (Role.OFFICE,),
        SupervisionNotice.LEADER_DIGEST: (Role.LEADER,),
        SupervisionNotice.APPRAISAL_DRAFTED: (Role.OFFICE,),
        SupervisionNotice.BULLETIN_DRAFTED: (Role.OFFICE,),
        SupervisionNotice.APPRAISAL_REVIEW_REQUESTED: (Role.OFFICE,),
        SupervisionNotice.APPRAISAL_REVIEW_ANSWERED: (Role.CADRE,),
    },
    # How long a notice is worth e-mailing late once a missing address is added
    # (notifications.kinds): a yellow card until the ticket's deadline (after it, the red card
    # speaks), a digest on its day, every other step for TICKET_RELEVANCE.
    relevance={
        **{kind: TICKET_RELEVANCE for kind in SupervisionNotice},
        SupervisionNotice.TICKET_YELLOW: GIVEN,
        SupervisionNotice.OFFICE_DIGEST: THAT_DAY,
        SupervisionNotice.LEADER_DIGEST: THAT_DAY,
    },
)


# --- Who ------------------------------------------------------------------------------------


def office_for(ticket) -> list:
    """The office staff whose territory covers the ticket's enterprise."""
    return list(office_over(ticket.enterprise.region.path))


def raiser_and_contacts(ticket) -> list:
    return [ticket.raised_by, *enterprise_contacts(ticket.enterprise_id)]


def stationed_cadres(ticket) -> list:
    """The cadres stationed at the ticket's enterprise now (a relation stationing declares)."""
    today = timezone.localdate()
    return list(
        users_with_role(Role.CADRE)
        .filter(
            Q(profile__assignments__end_date__isnull=True)
            | Q(profile__assignments__end_date__gte=today),
            profile__assignments__enterprise_id=ticket.enterprise_id,
        )
        .distinct()
        .order_by("pk")
    )


# --- Sending --------------------------------------------------------------------------------


def _tell(*, kind, ticket, event, by, recipients, subject, body, units=()) -> None:
    """Inbox (and e-mail per the user's settings) for `recipients`, the robot of each unit in
    `units`; once per event."""
    object_key = f"ticket:{ticket.pk}"
    period_key = f"{event.kind}:{event.pk}"
    link = f"/tickets/{ticket.pk}/"
    notify(
        kind=kind,
        recipients=recipients,
        object_key=object_key,
        period_key=period_key,
        subject=subject,
        body=body,
        link=link,
        actor=by,
    )
    for unit in units:
        notify_unit_webhook(
            unit=unit,
            kind=kind,
            object_key=object_key,
            period_key=period_key,
            text=body,
            link=link,
        )


def _values(ticket) -> dict:
    return {"number": ticket.number, "title": ticket.title}


def ticket_raised(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = {**_values(ticket), "enterprise": ticket.enterprise.name}
        _tell(
            kind=SupervisionNotice.TICKET_RAISED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=office_for(ticket),
            subject=_("新诉求待受理：%(number)s") % values,
            body=_("%(enterprise)s 提出诉求 %(number)s“%(title)s”，请受理。") % values,
        )


def ticket_accepted(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = _values(ticket)
        _tell(
            kind=SupervisionNotice.TICKET_ACCEPTED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=raiser_and_contacts(ticket),
            subject=_("诉求 %(number)s 已受理") % values,
            body=_("诉求“%(title)s”已由督查室受理，将交办相关单位办理。") % values,
        )


def ticket_rejected(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = {**_values(ticket), "reason": ticket.reason}
        _tell(
            kind=SupervisionNotice.TICKET_REJECTED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=raiser_and_contacts(ticket),
            subject=_("诉求 %(number)s 不予受理") % values,
            body=_("诉求“%(title)s”不予受理。理由：%(reason)s") % values,
        )


def ticket_assigned(ticket, event, *, by) -> None:
    """The responsible unit and the co-units (handlers and robots) and the leader in charge."""
    with override("zh-hans"):
        values = _values(ticket)
        units = [ticket.responsible_unit, *ticket.co_units.order_by("pk")]
        handlers = [user for unit in units for user in unit_handlers(unit.pk)]
        _tell(
            kind=SupervisionNotice.TICKET_ASSIGNED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=[*handlers, ticket.leader],
            subject=_("新交办诉求 %(number)s") % values,
            body=_("新交办诉求 %(number)s：%(title)s，请在办结期限内办理。") % values,
            units=units,
        )


def ticket_objected(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = {**_values(ticket), "unit": ticket.responsible_unit.name}
        _tell(
            kind=SupervisionNotice.TICKET_OBJECTED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=office_for(ticket),
            subject=_("诉求 %(number)s 交办异议") % values,
            body=_("%(unit)s 对诉求 %(number)s“%(title)s”提出交办异议，请改派或维持交办。")
            % values,
        )


def ticket_extension_requested(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = {**_values(ticket), "unit": ticket.responsible_unit.name}
        values["days"] = event.data.get("days", "")
        _tell(
            kind=SupervisionNotice.TICKET_EXTENSION_REQUESTED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=office_for(ticket),
            subject=_("诉求 %(number)s 延期申请") % values,
            body=_("%(unit)s 申请将诉求 %(number)s“%(title)s”延长 %(days)s 个工作日，请审批。")
            % values,
        )


def ticket_extension_decided(ticket, event, *, by, approved: bool) -> None:
    with override("zh-hans"):
        values = _values(ticket)
        if approved:
            values["deadline"] = (
                f"{timezone.localtime(ticket.deadline):%Y-%m-%d %H:%M}" if ticket.deadline else ""
            )
            subject = _("诉求 %(number)s 延期已同意") % values
            body = (
                _("诉求 %(number)s“%(title)s”的延期申请已同意，办结期限为 %(deadline)s。") % values
            )
        else:
            values["comment"] = event.comment
            subject = _("诉求 %(number)s 延期未同意") % values
            body = _("诉求 %(number)s“%(title)s”的延期申请未同意。理由：%(comment)s") % values
        _tell(
            kind=SupervisionNotice.TICKET_EXTENSION_DECIDED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=unit_handlers(ticket.responsible_unit_id),
            subject=subject,
            body=body,
            units=[ticket.responsible_unit],
        )


def ticket_urged(ticket, event, *, by) -> None:
    """Whoever handles it now: its owner (首问负责), else the unit's handlers; and the robot."""
    with override("zh-hans"):
        values = {**_values(ticket), "comment": event.comment}
        if ticket.owner_id:
            recipients = [ticket.owner]
        else:
            recipients = list(unit_handlers(ticket.responsible_unit_id))
        _tell(
            kind=SupervisionNotice.TICKET_URGED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=recipients,
            subject=_("催办：诉求 %(number)s 请抓紧办理") % values,
            body=_("诉求 %(number)s“%(title)s”被催办：%(comment)s") % values,
            units=[ticket.responsible_unit],
        )


def ticket_answered(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = _values(ticket)
        _tell(
            kind=SupervisionNotice.TICKET_ANSWERED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=[*enterprise_contacts(ticket.enterprise_id), *stationed_cadres(ticket)],
            subject=_("诉求 %(number)s 已答复，请评价") % values,
            body=_("诉求“%(title)s”已有答复，请确认是否解决并评价。") % values,
        )


def ticket_unsatisfied(ticket, event, *, by) -> None:
    """The department and the office; from the second 不满意 on, the leader in charge too."""
    with override("zh-hans"):
        values = {**_values(ticket), "comment": as_clause(ticket.rating_comment)}
        recipients = [*unit_handlers(ticket.responsible_unit_id), *office_for(ticket)]
        if ticket.unsatisfied_count >= 2:
            recipients.append(ticket.leader)
            subject = _("诉求 %(number)s 企业再次不满意，已升级督办") % values
        else:
            subject = _("诉求 %(number)s 企业不满意，重新办理") % values
        _tell(
            kind=SupervisionNotice.TICKET_UNSATISFIED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=recipients,
            subject=subject,
            body=_("企业对诉求 %(number)s“%(title)s”的答复不满意：%(comment)s。请重新办理。")
            % values,
            units=[ticket.responsible_unit],
        )


def ticket_closed(ticket, event, *, by) -> None:
    with override("zh-hans"):
        values = {**_values(ticket), "satisfaction": ticket.get_satisfaction_display()}
        _tell(
            kind=SupervisionNotice.TICKET_CLOSED,
            ticket=ticket,
            event=event,
            by=by,
            recipients=[ticket.raised_by, *unit_handlers(ticket.responsible_unit_id)],
            subject=_("诉求 %(number)s 已办结") % values,
            body=_("诉求 %(number)s“%(title)s”已办结，企业评价：%(satisfaction)s。") % values,
            units=[ticket.responsible_unit],
        )


# --- Appraisal --------------------------------------------------------------------------------


def appraisal_drafted(run) -> int:
    """The scheduled job drafted a programme's appraisal: tell the office over its organiser.
    Once per run (a second run of the job tells nobody again). Returns how many were told."""
    with override("zh-hans"):
        values = {"programme": run.programme.name, "as_of": run.as_of.isoformat()}
        return len(
            notify(
                kind=SupervisionNotice.APPRAISAL_DRAFTED,
                recipients=office_over(run.programme.organiser.path),
                object_key=f"appraisal:{run.pk}",
                period_key="drafted",
                subject=_("考核结果草稿已生成：%(programme)s") % values,
                body=_("%(programme)s 截至 %(as_of)s 的考核结果草稿已生成，请核对后发布。")
                % values,
                link=f"/appraisals/{run.pk}/",
            )
        )


def appraisal_review_requested(review) -> int:
    """A cadre asked for a review of their result: tell the office over the programme's
    organiser, once per request. Returns how many were told."""
    run = review.result.run
    with override("zh-hans"):
        values = {"name": review.cadre.name, "programme": run.programme.name}
        return len(
            notify(
                kind=SupervisionNotice.APPRAISAL_REVIEW_REQUESTED,
                recipients=office_over(run.programme.organiser.path),
                object_key=f"appraisal-review:{review.pk}",
                period_key="requested",
                subject=_("考核结果复核申请：%(name)s") % values,
                body=_("%(name)s 对 %(programme)s 的考核结果申请复核，请及时答复。") % values,
                link="/appraisals/reviews/",
                actor=review.cadre.user,
            )
        )


def appraisal_review_answered(review) -> int:
    """The office answered a review request: tell the cadre, once per request."""
    run = review.result.run
    with override("zh-hans"):
        values = {"programme": run.programme.name}
        body = _("您对 %(programme)s 考核结果的复核申请已答复。") % values
        if review.new_run_id:
            body += _("督查室已重新考核，新版本发布后可查看。")
        return len(
            notify(
                kind=SupervisionNotice.APPRAISAL_REVIEW_ANSWERED,
                recipients=[review.cadre.user],
                object_key=f"appraisal-review:{review.pk}",
                period_key="answered",
                subject=_("考核结果复核已答复：%(programme)s") % values,
                body=body,
                link=f"/appraisals/results/{review.result_id}/",
                actor=review.answered_by,
            )
        )


# --- Bulletins --------------------------------------------------------------------------------


def bulletin_drafted(bulletin) -> int:
    """The scheduled job drafted a period's bulletin: tell the office over the programme's
    organiser, once per bulletin. Returns how many were told."""
    with override("zh-hans"):
        values = {"programme": bulletin.programme.name, "period": bulletin.period.label}
        return len(
            notify(
                kind=SupervisionNotice.BULLETIN_DRAFTED,
                recipients=office_over(bulletin.programme.organiser.path),
                object_key=f"bulletin:{bulletin.pk}",
                period_key="drafted",
                subject=_("通报草稿已生成：%(programme)s %(period)s") % values,
                body=_("%(programme)s %(period)s的通报草稿已按数据生成，请核对修改后发布。")
                % values,
                link=f"/bulletins/{bulletin.pk}/",
            )
        )
