"""Notifications that follow a step someone took (as opposed to the scheduled reminders).

Called by the services inside their transaction; the rows commit with the step, e-mail goes out
after commit. Kept here so stationing and supervision services share one place for wording.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from stationing.choices import Role

from .choices import NotificationKind
from .notifications import notify, notify_unit_webhook, unit_handlers, users_with_role


def report_submitted(report) -> None:
    """A receipt for the cadre: the report reached the office (and when, and whether late)."""
    with override("zh-hans"):
        values = {"period": report.period.label, "enterprise": report.assignment.enterprise.name}
        subject = (
            _("%(period)s半月报已报送(逾期)") if report.is_late else _("%(period)s半月报已报送")
        ) % values
        notify(
            kind=NotificationKind.REPORT_SUBMITTED,
            recipients=[report.assignment.cadre.user],
            object_key=f"report:{report.pk}",
            period_key=f"v{report.submission_count}",
            subject=subject,
            body=_("您驻%(enterprise)s的%(period)s半月报已报送督查室。") % values,
            link=f"/reports/{report.pk}/",
        )


def report_returned(report) -> None:
    with override("zh-hans"):
        values = {"period": report.period.label, "reason": report.return_reason}
        notify(
            kind=NotificationKind.REPORT_RETURNED,
            recipients=[report.assignment.cadre.user],
            object_key=f"report:{report.pk}",
            period_key=f"return:{report.submission_count}",
            subject=_("%(period)s半月报被退回") % values,
            body=_("督查室退回了您的%(period)s半月报:%(reason)s。请修改后重新报送。") % values,
            link=f"/reports/{report.pk}/edit/",
        )


def ticket_assigned(ticket) -> None:
    with override("zh-hans"):
        values = {"number": ticket.number, "title": ticket.title}
        handlers = unit_handlers(ticket.responsible_unit_id)
        text = _("新交办诉求 %(number)s:%(title)s,请在办结期限内办理。") % values
        notify(
            kind=NotificationKind.TICKET_ASSIGNED,
            recipients=handlers,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"assigned:{ticket.assigned_at.isoformat()}",
            subject=_("新交办诉求 %(number)s") % values,
            body=text,
            link=f"/tickets/{ticket.pk}/",
        )
        notify_unit_webhook(
            unit=ticket.responsible_unit,
            kind=NotificationKind.TICKET_ASSIGNED,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"assigned:{ticket.assigned_at.isoformat()}",
            text=text,
            link=f"/tickets/{ticket.pk}/",
        )


def ticket_answered(ticket) -> None:
    with override("zh-hans"):
        values = {"number": ticket.number, "title": ticket.title}
        contacts = list(
            users_with_role(Role.ENTERPRISE).filter(profile__enterprise_id=ticket.enterprise_id)
        ) or [ticket.raised_by]
        notify(
            kind=NotificationKind.TICKET_ANSWERED,
            recipients=contacts,
            object_key=f"ticket:{ticket.pk}",
            period_key=f"answered:{ticket.answered_at.isoformat()}",
            subject=_("诉求 %(number)s 已答复,请评价") % values,
            body=_("您提出的诉求“%(title)s”已有答复,请确认是否解决并评价。") % values,
            link=f"/tickets/{ticket.pk}/",
        )
