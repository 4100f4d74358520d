"""Who key projects tell what: the notification kinds and the reminders' texts.

The reminders (projects.jobs) go to the project's team (工作专班) and its responsible leader
(包项领导): a milestone due within 7 days, a milestone late, monthly progress due and overdue, and
an approval formality past its time limit (to its agent as well). Each is keyed by its object and
period, so a job that runs twice, or catches up after a missed day, tells nobody twice.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.choices import Role
from core.dates import end_of_day
from notifications.delivery import notify
from notifications.kinds import DEFAULT_RELEVANCE, GIVEN, register_kinds

from .choices import ProjectNotice

register_kinds(
    ProjectNotice,
    roles={
        ProjectNotice.MILESTONE_DUE_SOON: (Role.CADRE, Role.LEADER),
        ProjectNotice.MILESTONE_LATE: (Role.CADRE, Role.LEADER),
        ProjectNotice.PROGRESS_DUE: (Role.CADRE, Role.LEADER),
        ProjectNotice.PROGRESS_OVERDUE: (Role.CADRE, Role.LEADER),
        ProjectNotice.FORMALITY_STUCK: (Role.CADRE, Role.LEADER),
    },
    # How long a notice is worth e-mailing late once a missing address is added
    # (notifications.kinds): a reminder until the end of its due day, a late or overdue notice
    # for a week.
    relevance={
        ProjectNotice.MILESTONE_DUE_SOON: GIVEN,
        ProjectNotice.PROGRESS_DUE: GIVEN,
        ProjectNotice.MILESTONE_LATE: DEFAULT_RELEVANCE,
        ProjectNotice.PROGRESS_OVERDUE: DEFAULT_RELEVANCE,
        ProjectNotice.FORMALITY_STUCK: DEFAULT_RELEVANCE,
    },
)


def project_people(project) -> list:
    """The team's users (prefetched `memberships__profile__user`) and the leader."""
    people = [m.profile.user for m in project.memberships.all() if m.profile.user_id]
    return [*people, project.leader]


def _project_link(project) -> str:
    return reverse("project-detail", args=[project.pk])


def milestone_due_soon(milestone, days: int) -> int:
    project = milestone.project
    values = {
        "project": project.name,
        "title": milestone.title,
        "date": milestone.planned_date.isoformat(),
        "days": days,
    }
    if days:
        subject = _("%(project)s：节点“%(title)s”还有%(days)s天到期") % values
    else:
        subject = _("%(project)s：节点“%(title)s”今天到期") % values
    body = _("重点项目%(project)s的节点“%(title)s”计划于 %(date)s 完成，请抓紧推进。") % values
    return len(
        notify(
            kind=ProjectNotice.MILESTONE_DUE_SOON,
            recipients=project_people(project),
            object_key=f"milestone:{milestone.pk}",
            period_key=f"planned:{milestone.planned_date.isoformat()}",
            subject=subject,
            body=body,
            link=_project_link(project),
            relevant_until=end_of_day(milestone.planned_date),
        )
    )


def milestone_late(milestone) -> int:
    project = milestone.project
    values = {
        "project": project.name,
        "title": milestone.title,
        "date": milestone.planned_date.isoformat(),
    }
    subject = _("%(project)s：节点“%(title)s”已滞后") % values
    body = (
        _(
            "重点项目%(project)s的节点“%(title)s”计划于 %(date)s 完成，"
            "至今未完成，请说明原因并加快推进。"
        )
        % values
    )
    return len(
        notify(
            kind=ProjectNotice.MILESTONE_LATE,
            recipients=project_people(project),
            object_key=f"milestone:{milestone.pk}",
            period_key=f"planned:{milestone.planned_date.isoformat()}",
            subject=subject,
            body=body,
            link=_project_link(project),
        )
    )


def progress_reminder(project, *, month, due, overdue: bool) -> int:
    values = {"project": project.name, "month": f"{month:%Y-%m}", "due": due.isoformat()}
    if overdue:
        kind = ProjectNotice.PROGRESS_OVERDUE
        subject = _("%(project)s %(month)s月度进展逾期未报") % values
        body = _("重点项目%(project)s %(month)s的月度进展应于 %(due)s 前报送，至今未报。") % values
    else:
        kind = ProjectNotice.PROGRESS_DUE
        subject = _("%(project)s %(month)s月度进展请于 %(due)s 前报送") % values
        body = subject
    return len(
        notify(
            kind=kind,
            recipients=project_people(project),
            object_key=f"project:{project.pk}",
            period_key=f"progress:{month:%Y-%m}",
            subject=subject,
            body=body,
            link=reverse("progress-create", args=[project.pk]),
            relevant_until=None if overdue else end_of_day(due),
        )
    )


def formality_stuck(formality) -> int:
    project = formality.project
    values = {
        "project": project.name,
        "name": formality.name,
        "date": formality.deadline.isoformat(),
    }
    subject = _("%(project)s：%(name)s手续超过办理时限") % values
    body = (
        _(
            "重点项目%(project)s的%(name)s手续应于 %(date)s 前办结，已超期；"
            "可在项目页面将其转为诉求。"
        )
        % values
    )
    return len(
        notify(
            kind=ProjectNotice.FORMALITY_STUCK,
            recipients=[formality.agent, *project_people(project)],
            object_key=f"formality:{formality.pk}",
            period_key=f"deadline:{formality.deadline.isoformat()}",
            subject=subject,
            body=body,
            link=f"{_project_link(project)}#formalities",
        )
    )
