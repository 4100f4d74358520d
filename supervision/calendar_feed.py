"""A user's deadlines as an iCalendar feed (RFC 5545) that phone calendars can subscribe to.

What is in it depends on the user's roles:

- cadre: the due date of every report period of their active stationings (those not yet
  submitted say so in the title) and the work plan deadline of each stationed enterprise;
- department handler: the deadline of each ticket assigned to their unit whose clock runs;
- office and leader: the report due dates of the active programmes they run.

Every deadline in the portal is "by the end of that day" (23:59:59 Asia/Shanghai), so each is an
all-day event on its date (a phone shows it at the top of the day, not at midnight), with the
exact moment in the description and an alarm at 09:00 the day before. UIDs are built from the
object ids only, so a refreshed feed updates events instead of duplicating them.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration, vText

from core.choices import Role
from core.dates import end_of_day
from core.roles import actor_for
from stationing.choices import ProgrammeStatus, ReportState
from stationing.models import Assignment, ProgressReport, ReportPeriod, WorkPlan
from stationing.selectors import (
    assignment_covers,
    plan_due_date,
    programme_list,
    report_is_handed_in,
)

from .selectors import department_inbox

PRODID = "-//Stationing portal//驻企服务平台//ZH"
UID_DOMAIN = "stationing"
# The calendar shows deadlines from this far back (older ones only clutter a phone).
HISTORY = datetime.timedelta(days=90)
# All-day events start at 00:00 of the due day: -15 hours is 09:00 the day before.
ALARM_BEFORE = datetime.timedelta(hours=15)
MAX_EVENTS = 1000


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _deadline(
    *, uid: str, summary: str, due: datetime.datetime, path: str, description: str, stamp
) -> Event:
    event = Event()
    day = _local(due).date()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    due_text = _("截止时间：%(due)s") % {"due": f"{_local(due):%Y-%m-%d %H:%M}"}
    event.add("description", f"{description}\n{due_text}\n{settings.SITE_URL}{path}")
    event.add("url", f"{settings.SITE_URL}{path}")
    event.add("transp", "TRANSPARENT")
    event.add("categories", [_("截止日期")])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def _cadre_events(actor, now, stamp) -> list[Event]:
    today = _local(now).date()
    assignments = list(
        Assignment.objects.filter(
            cadre_id=actor.profile_id, programme__status=ProgrammeStatus.ACTIVE
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("programme", "enterprise")
        .order_by("start_date", "pk")
    )
    if not assignments:
        return []
    programme_ids = {a.programme_id for a in assignments}
    periods = list(
        ReportPeriod.objects.filter(
            programme_id__in=programme_ids, due_at__gte=now - HISTORY
        ).order_by("due_at", "pk")
    )
    states = {
        (assignment_id, period_id): state
        for assignment_id, period_id, state in ProgressReport.objects.filter(
            assignment__in=[a.pk for a in assignments]
        ).values_list("assignment_id", "period_id", "state")
    }
    plans_submitted = set(
        WorkPlan.objects.filter(programme_id__in=programme_ids)
        .exclude(first_submitted_at=None)
        .values_list("programme_id", "enterprise_id")
    )
    events = []
    for assignment in assignments:
        enterprise = assignment.enterprise.name
        for period in periods:
            if period.programme_id != assignment.programme_id:
                continue
            if not assignment_covers(assignment, period):
                continue
            state = states.get((assignment.pk, period.pk))
            values = {"period": period.label, "enterprise": enterprise}
            if state == ReportState.RETURNED:
                # Handed in (stationing.selectors.report_is_handed_in), but to be corrected.
                summary = _("半月报截止：%(enterprise)s %(period)s（已退回待重报）") % values
                status = _("已报送，被退回，请修改后重新报送。")
            elif report_is_handed_in(state):
                summary = _("半月报截止：%(enterprise)s %(period)s（已报送）") % values
                status = _("已报送。")
            else:
                summary = _("【未报】半月报截止：%(enterprise)s %(period)s") % values
                status = _("尚未报送。")
            events.append(
                _deadline(
                    uid=f"report-{assignment.pk}-{period.pk}",
                    summary=summary,
                    due=period.due_at,
                    path=f"/assignments/{assignment.pk}/reports/",
                    description=status,
                    stamp=stamp,
                )
            )
        due_day = plan_due_date(
            programme=assignment.programme, enterprise_id=assignment.enterprise_id
        )
        if due_day is None:
            continue
        due = end_of_day(due_day)
        if due < now - HISTORY:
            continue
        values = {"enterprise": enterprise}
        if (assignment.programme_id, assignment.enterprise_id) in plans_submitted:
            summary = _("工作计划截止：%(enterprise)s（已报送）") % values
            status = _("一企一策工作计划已报送。")
        else:
            summary = _("【未报】工作计划截止：%(enterprise)s") % values
            status = _("一企一策工作计划尚未报送。")
        events.append(
            _deadline(
                uid=f"plan-{assignment.pk}",
                summary=summary,
                due=due,
                path=f"/assignments/{assignment.pk}/plan/",
                description=status,
                stamp=stamp,
            )
        )
    return events


def _department_events(user, now, stamp) -> list[Event]:
    events = []
    tickets = (
        department_inbox(user=user)
        .filter(deadline__isnull=False, deadline__gte=now - HISTORY)
        .select_related("enterprise")[:MAX_EVENTS]
    )
    for ticket in tickets:
        values = {"number": ticket.number, "title": ticket.title}
        if ticket.deadline < now:
            summary = _("【已超期】诉求办结期限：%(number)s %(title)s") % values
        else:
            summary = _("诉求办结期限：%(number)s %(title)s") % values
        events.append(
            _deadline(
                uid=f"ticket-{ticket.pk}",
                summary=summary,
                due=ticket.deadline,
                path=f"/tickets/{ticket.pk}/",
                description=f"{ticket.enterprise.name}：{ticket.title}",
                stamp=stamp,
            )
        )
    return events


def _programme_events(user, now, stamp) -> list[Event]:
    programmes = programme_list(user=user).filter(status=ProgrammeStatus.ACTIVE)
    periods = (
        ReportPeriod.objects.filter(
            programme__in=programmes.values("pk"), due_at__gte=now - HISTORY
        )
        .select_related("programme")
        .order_by("due_at", "pk")[:MAX_EVENTS]
    )
    events = []
    for period in periods:
        values = {"programme": period.programme.name, "period": period.label}
        events.append(
            _deadline(
                uid=f"period-{period.pk}",
                summary=_("半月报截止：%(period)s(%(programme)s)") % values,
                due=period.due_at,
                path=f"/programmes/{period.programme_id}/reports/",
                description=_("%(programme)s %(period)s半月报报送截止。") % values,
                stamp=stamp,
            )
        )
    return events


def build_calendar(user, now: datetime.datetime | None = None) -> Calendar:
    """The user's deadlines as a VCALENDAR (in Chinese, whatever the subscriber's language)."""
    now = now or timezone.now()
    stamp = now.astimezone(datetime.UTC).replace(microsecond=0)
    actor = actor_for(user)
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = getattr(getattr(user, "profile", None), "name", "") or user.get_username()
        calendar.add("x-wr-calname", vText(_("驻企服务平台 · %(name)s") % {"name": name}))
        calendar.add("x-wr-caldesc", vText(_("半月报、工作计划和诉求的截止日期")))
        calendar.add("x-wr-timezone", vText(settings.TIME_ZONE))
        calendar.add("refresh-interval", vDuration(datetime.timedelta(hours=6)))
        calendar["refresh-interval"].params["VALUE"] = "DURATION"
        calendar.add("x-published-ttl", vDuration(datetime.timedelta(hours=6)))
        events = []
        if actor.has(Role.CADRE) and actor.profile_id:
            events += _cadre_events(actor, now, stamp)
        if actor.has(Role.DEPARTMENT) and actor.unit_id:
            events += _department_events(user, now, stamp)
        if actor.has(Role.OFFICE) or actor.has(Role.LEADER):
            events += _programme_events(user, now, stamp)
        seen = set()
        for event in events[:MAX_EVENTS]:
            uid = str(event["uid"])
            if uid in seen:
                continue
            seen.add(uid)
            calendar.add_component(event)
    return calendar


def feed_bytes(user, now: datetime.datetime | None = None) -> bytes:
    return build_calendar(user, now).to_ical()
