"""Who supervision tells what: its notification kinds, and the notices that follow a step.

The services call these inside their transaction; the inbox rows commit with the step and e-mail
goes out after commit (notifications.delivery). The scheduled cards and digests are in jobs.py.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from core.choices import Role
from core.selectors import enterprise_contacts, unit_handlers
from notifications.delivery import notify, notify_unit_webhook
from notifications.kinds import register_kinds

from .choices import SupervisionNotice

register_kinds(
    SupervisionNotice,
    roles={
        SupervisionNotice.TICKET_YELLOW: (Role.DEPARTMENT,),
        SupervisionNotice.TICKET_RED: (Role.DEPARTMENT, Role.OFFICE, Role.LEADER),
        SupervisionNotice.TICKET_ASSIGNED: (Role.DEPARTMENT,),
        SupervisionNotice.TICKET_ANSWERED: (Role.CADRE, Role.ENTERPRISE),
        SupervisionNotice.OFFICE_DIGEST: (Role.OFFICE,),
        SupervisionNotice.LEADER_DIGEST: (Role.LEADER,),
    },
)


def ticket_assigned(ticket) -> None:
    with override("zh-hans"):
        values = {"number": ticket.number, "title": ticket.title}
        handlers = unit_handlers(ticket.responsible_unit_id)
        text = _("新交办诉求 %(number)s:%(title)s,请在办结期限内办理。") % values
        notify(
            kind=SupervisionNotice.TICKET_ASSIGNED,
            recipients=handlers,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"assigned:{ticket.assigned_at.isoformat()}",
            subject=_("新交办诉求 %(number)s") % values,
            body=text,
            link=f"/tickets/{ticket.pk}/",
        )
        notify_unit_webhook(
            unit=ticket.responsible_unit,
            kind=SupervisionNotice.TICKET_ASSIGNED,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"assigned:{ticket.assigned_at.isoformat()}",
            text=text,
            link=f"/tickets/{ticket.pk}/",
        )


def ticket_answered(ticket) -> None:
    with override("zh-hans"):
        values = {"number": ticket.number, "title": ticket.title}
        contacts = list(enterprise_contacts(ticket.enterprise_id)) or [ticket.raised_by]
        notify(
            kind=SupervisionNotice.TICKET_ANSWERED,
            recipients=contacts,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"answered:{ticket.answered_at.isoformat()}",
            subject=_("诉求 %(number)s 已答复,请评价") % values,
            body=_("您提出的诉求“%(title)s”已有答复,请确认是否解决并评价。") % values,
            link=f"/tickets/{ticket.pk}/",
        )
