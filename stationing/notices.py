"""Who stationing tells what: its notification kinds, and the notices that follow a step.

The services call these inside their transaction; the inbox rows commit with the step and e-mail
goes out after commit (notifications.delivery). The scheduled reminders are in jobs.py.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from core.choices import Role
from notifications.delivery import notify
from notifications.kinds import register_kinds

from .choices import StationingNotice

register_kinds(
    StationingNotice,
    roles={
        StationingNotice.REPORT_DUE_SOON: (Role.CADRE,),
        StationingNotice.REPORT_DUE_TODAY: (Role.CADRE,),
        StationingNotice.REPORT_OVERDUE: (Role.CADRE, Role.DEPARTMENT),
        StationingNotice.PLAN_DUE_SOON: (Role.CADRE,),
        StationingNotice.PLAN_OVERDUE: (Role.CADRE, Role.DEPARTMENT),
        StationingNotice.REPORT_SUBMITTED: (Role.CADRE,),
        StationingNotice.REPORT_RETURNED: (Role.CADRE,),
    },
)


def report_submitted(report) -> None:
    """A receipt for the cadre: the report reached the office (and when, and whether late)."""
    with override("zh-hans"):
        values = {"period": report.period.label, "enterprise": report.assignment.enterprise.name}
        subject = (
            _("%(period)s半月报已报送(逾期)") if report.is_late else _("%(period)s半月报已报送")
        ) % values
        notify(
            kind=StationingNotice.REPORT_SUBMITTED,
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
            kind=StationingNotice.REPORT_RETURNED,
            recipients=[report.assignment.cadre.user],
            object_key=f"report:{report.pk}",
            period_key=f"return:{report.submission_count}",
            subject=_("%(period)s半月报被退回") % values,
            body=_("督查室退回了您的%(period)s半月报:%(reason)s。请修改后重新报送。") % values,
            link=f"/reports/{report.pk}/edit/",
        )
