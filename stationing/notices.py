"""Who stationing tells what: its notification kinds, and the notices that follow a step.

The services call these inside their transaction; the inbox rows commit with the step and e-mail
goes out after commit (notifications.delivery). The scheduled reminders are in jobs.py. Every
notice passes the person who took the step as `actor`: nobody is told of their own action.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.choices import Role
from core.text import as_clause
from notifications.delivery import notify
from notifications.kinds import DEFAULT_RELEVANCE, GIVEN, THAT_DAY, register_kinds

from .choices import PeriodStatus, StationingNotice

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
        StationingNotice.REPORT_REVIEWED: (Role.CADRE,),
        StationingNotice.REPORT_CHASED: (Role.CADRE,),
    },
    # How long a notice is worth e-mailing late once a missing address is added
    # (notifications.kinds): a reminder until its deadline (jobs.py passes it), an overdue
    # notice until the end of the next period (or, for a plan, a week), the office's 催报 on its
    # day (it is keyed by the day and may come again), the office's steps for a week.
    relevance={
        StationingNotice.REPORT_DUE_SOON: GIVEN,
        StationingNotice.REPORT_DUE_TODAY: GIVEN,
        StationingNotice.REPORT_OVERDUE: GIVEN,
        StationingNotice.PLAN_DUE_SOON: GIVEN,
        StationingNotice.PLAN_OVERDUE: DEFAULT_RELEVANCE,
        StationingNotice.REPORT_SUBMITTED: DEFAULT_RELEVANCE,
        StationingNotice.REPORT_RETURNED: DEFAULT_RELEVANCE,
        StationingNotice.REPORT_REVIEWED: DEFAULT_RELEVANCE,
        StationingNotice.REPORT_CHASED: THAT_DAY,
    },
)


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None and profile.name else user.get_username()


def report_submitted(report, *, by) -> None:
    """Tell the cadre that someone else handed their report in (the office entering a report
    handed in on paper, with its real moment): what, when, and whether it counts as late.

    A cadre's own submission is not notified any more: the page confirms it (the message after
    submitting and the receipt on the report's page). Neither is a submission without a person
    (`by=None`: scripts). REPORT_SUBMITTED stays registered; earlier rows were sent for every
    submission.
    """
    cadre_user = report.assignment.cadre.user
    if by is None or cadre_user is None or by.pk == cadre_user.pk:
        return
    with override("zh-hans"):
        values = {
            "period": report.period.label,
            "enterprise": report.assignment.enterprise.name,
            "name": _name(by),
            "at": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "verdict": PeriodStatus.LATE.label if report.is_late else PeriodStatus.ON_TIME.label,
        }
        notify(
            kind=StationingNotice.REPORT_SUBMITTED,
            recipients=[cadre_user],
            object_key=f"report:{report.pk}",
            period_key=f"v{report.submission_count}",
            subject=_("%(period)s半月报已由%(name)s代为报送") % values,
            body=_(
                "%(name)s代您报送了驻%(enterprise)s的%(period)s半月报，报送时间%(at)s，"
                "记为%(verdict)s。"
            )
            % values,
            link=f"/reports/{report.pk}/",
            actor=by,
        )


def report_reviewed(report, *, by) -> None:
    """The office's rating (优/良/中/差) and comment, to the cadre. Keyed by the submission
    reviewed, so a report reviewed again after a return and resubmission notifies again."""
    with override("zh-hans"):
        values = {
            "period": report.period.label,
            "enterprise": report.assignment.enterprise.name,
            "rating": report.get_rating_display(),
            "comment": report.review_comment,
        }
        body = _("督查室审阅了您驻%(enterprise)s的%(period)s半月报，评定为“%(rating)s”。") % values
        if report.review_comment:
            body += _("审阅意见：%(comment)s") % values
        notify(
            kind=StationingNotice.REPORT_REVIEWED,
            recipients=[report.assignment.cadre.user],
            object_key=f"report:{report.pk}",
            period_key=f"review:{report.submission_count}",
            subject=_("%(period)s半月报已审阅，评定为“%(rating)s”") % values,
            body=body,
            link=f"/reports/{report.pk}/",
            actor=by,
        )


def report_returned(report, *, by) -> None:
    """The office's reason for returning the report, to the cadre, who corrects and resubmits
    it. Keyed by the submission returned, so a second return notifies again."""
    with override("zh-hans"):
        values = {"period": report.period.label, "reason": as_clause(report.return_reason)}
        notify(
            kind=StationingNotice.REPORT_RETURNED,
            recipients=[report.assignment.cadre.user],
            object_key=f"report:{report.pk}",
            period_key=f"return:{report.submission_count}",
            subject=_("%(period)s半月报被退回") % values,
            body=_("督查室退回了您的%(period)s半月报：%(reason)s。请修改后重新报送。") % values,
            link=f"/reports/{report.pk}/edit/",
            actor=by,
        )


def report_chased(assignment, period, *, by, day) -> bool:
    """The office's reminder (催报) to a cadre whose report for `period` is missing. Keyed by the
    stationing, the period and the day: a second click the same day tells nobody again. Returns
    whether the cadre was told now."""
    with override("zh-hans"):
        values = {
            "period": period.label,
            "enterprise": assignment.enterprise.name,
            "due": timezone.localtime(period.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        created = notify(
            kind=StationingNotice.REPORT_CHASED,
            recipients=[assignment.cadre.user],
            object_key=f"assignment:{assignment.pk}",
            period_key=f"period:{period.pk}:{day.isoformat()}",
            subject=_("督查室催报：%(period)s半月报尚未报送") % values,
            body=_(
                "您驻%(enterprise)s的%(period)s半月报已于 %(due)s 截止，至今未报送，请尽快补报。"
            )
            % values,
            link=f"/assignments/{assignment.pk}/reports/",
            actor=by,
        )
    return bool(created)
