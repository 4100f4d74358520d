"""Half-monthly report writes: periods, drafts saved as the cadre types, submit, review, return."""

import datetime
import re

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.inputs import parse_id
from core.locking import lock_for_edit, save_new_version

from .. import notices
from ..choices import ItemStatus, ReportState
from ..models import (
    Assignment,
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
    ReportProblem,
    WorkPlan,
    WorkPlanItem,
)
from ..periods import generate_periods
from ..permissions import REPORT_EDITABLE_STATES, may_decide, may_submit_report, may_write_report
from ..selectors import HANDED_IN_STATES, assignment_covers, report_submission_lateness
from .plans import item_progress_from_report

DRAFT_FIELDS = ("work_done", "next_steps", "days_on_site", "behind_reason", "remedy")


@transaction.atomic
def programme_sync_periods(*, programme) -> list[ReportPeriod]:
    """Make the stored periods match the programme's dates and cycle.

    1. A period is known by its first day: the wanted periods are matched to the stored ones
       by start, so moving the programme's start date renumbers periods and moves none.
    2. A period that has reports is never moved or removed: dates or a cycle that would drop
       it or change its days are refused (ValidationError on the field that does it).
    3. Free periods are rewritten, created or removed, then every period is numbered in date
       order, through numbers above the used range so the unique numbers never collide.
    """
    wanted = generate_periods(
        start=programme.start_date,
        end=programme.end_date,
        cycle=programme.report_cycle,
        due_days=programme.report_due_days,
    )
    by_start = {spec.start: spec for spec in wanted}
    existing = {period.start: period for period in programme.periods.all()}
    used = set(
        ReportPeriod.objects.filter(programme=programme, reports__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for start, period in sorted(existing.items()):
        spec = by_start.get(start)
        if period.pk in used and (spec is None or spec.end != period.end):
            raise ValidationError({_period_field(programme, period): _period_in_use(period)})
    for start, period in existing.items():
        if start not in by_start:
            period.delete()
    shift = len(wanted) + len(existing) + 1
    programme.periods.update(number=F("number") + shift)
    for spec in wanted:
        period = existing.get(spec.start)
        if period is None:
            ReportPeriod.objects.create(
                programme=programme,
                number=spec.number,
                start=spec.start,
                end=spec.end,
                due_at=spec.due_at,
                part=spec.part,
            )
        else:
            ReportPeriod.objects.filter(pk=period.pk).update(
                number=spec.number, end=spec.end, due_at=spec.due_at, part=spec.part
            )
    return list(programme.periods.all())


def _period_field(programme, period: ReportPeriod) -> str:
    """The programme field whose new value drops or changes a period that has reports."""
    if period.start < programme.start_date:
        return "start_date"
    if period.end > programme.end_date or period.start > programme.end_date:
        return "end_date"
    return "report_cycle" if hasattr(programme, "report_cycle") else NON_FIELD_ERRORS


def _period_in_use(period: ReportPeriod) -> str:
    return _(
        "%(period)s（%(start)s 至 %(end)s）已有半月报，"
        "修改后的起止日期或报送周期不能去掉或改变这一期。"
    ) % {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def period_not_begun(period: ReportPeriod, today: datetime.date) -> ValidationError | None:
    """A report is written for a half-month that has begun, never ahead of it."""
    if period.start > today:
        return ValidationError(
            {
                "period": _("%(period)s 从 %(start)s 开始，尚未开始，不能填报。")
                % {"period": period.label, "start": period.start.isoformat()}
            }
        )
    return None


def expected_progress(*, start: datetime.date, due: datetime.date, as_of: datetime.date) -> int:
    """The progress (%) the due date implies at `as_of`, on a straight line from `start`."""
    if as_of >= due:
        return 100
    if as_of <= start or due <= start:
        return 0
    return int((as_of - start).days * 100 / (due - start).days)


def item_is_behind(
    *, progress: int, status: str, due: datetime.date, start: datetime.date, as_of: datetime.date
) -> bool:
    """Behind plan: not done, and reported progress below the pace its due date implies."""
    if status == ItemStatus.DONE or progress >= 100:
        return False
    return progress < expected_progress(start=start, due=due, as_of=as_of)


def plan_items_for(assignment: Assignment) -> list[WorkPlanItem]:
    return list(
        WorkPlanItem.objects.filter(
            plan__programme_id=assignment.programme_id,
            plan__enterprise_id=assignment.enterprise_id,
            is_active=True,
        ).order_by("position", "id")
    )


def previous_report(report_or_assignment, period: ReportPeriod) -> ProgressReport | None:
    """The last report handed in before `period` (a draft never left the cadre's phone)."""
    assignment_id = getattr(report_or_assignment, "assignment_id", None) or report_or_assignment.pk
    return (
        ProgressReport.objects.filter(
            assignment_id=assignment_id,
            period__start__lt=period.start,
            state__in=HANDED_IN_STATES,
        )
        .order_by("-period__start")
        .first()
    )


@transaction.atomic
def report_get_or_create_draft(
    *, assignment: Assignment, period: ReportPeriod, by: User | None
) -> ProgressReport:
    """Open this period's report, prefilled from the last one: item progress and notes, and the
    last "next steps" as this period's planned work, so planned-versus-done can be seen."""
    if by is not None:
        may_write_report(by, assignment).check()
    if period.programme_id != assignment.programme_id:
        raise ValidationError({"period": _("报告期不属于该驻企批次。")})
    if not assignment_covers(assignment, period):
        raise ValidationError({"period": _("该报告期不在驻企期间内，无需报送。")})
    error = period_not_begun(period, timezone.localdate())
    if error is not None:
        raise error
    report, created = ProgressReport.objects.get_or_create(
        assignment=assignment, period=period, defaults={"updated_by": by}
    )
    if not created:
        return report
    last = previous_report(assignment, period)
    last_progress = {}
    if last is not None:
        report.planned_steps = last.next_steps
        report.save(update_fields=["planned_steps"])
        last_progress = {row.item_id: row for row in last.item_progress.all()}
    rows = []
    for item in plan_items_for(assignment):
        previous = last_progress.get(item.pk)
        rows.append(
            ReportItemProgress(
                report=report,
                item=item,
                progress=previous.progress if previous else item.progress,
                status=previous.status if previous else item.status,
                note=previous.note if previous else "",
            )
        )
    ReportItemProgress.objects.bulk_create(rows)
    return report


def _lock_report(report: ProgressReport, expected_version: int | None) -> ProgressReport:
    return lock_for_edit(
        ProgressReport.objects.select_related("period", "assignment"),
        report.pk,
        expected_version=expected_version,
    )


@transaction.atomic
def report_save_draft(
    *,
    report: ProgressReport,
    by: User | None,
    expected_version: int | None,
    fields: dict,
    item_progress: list[dict] | None = None,
    problems: list[str] | None = None,
) -> ProgressReport:
    """Save what the cadre has typed so far. Only drafts and returned reports are editable."""
    if by is not None:
        may_write_report(by, report.assignment).check()
    current = _lock_report(report, expected_version)
    if current.state not in REPORT_EDITABLE_STATES:
        raise ValidationError(_("报告已报送，不能修改。"), code="locked")
    for name in DRAFT_FIELDS:
        if name in fields:
            value = fields[name]
            if name == "days_on_site":
                value = None if value in ("", None) else value
            setattr(current, name, value if value is not None or name == "days_on_site" else "")
    current.full_clean(exclude=["assignment", "period"])
    if item_progress is not None:
        rows = {row.item_id: row for row in current.item_progress.select_related("item")}
        for entry in item_progress:
            row = rows.get(parse_id(entry.get("item")))
            if row is None:
                continue  # an item not in this report's plan: ignore rather than leak
            row.progress = item_progress_value(entry.get("progress"), row.item.title)
            row.status = entry.get("status") or row.status
            row.note = entry.get("note") or ""
            _clean_line(row, ["report", "item", "progress"], "item_progress", row.item.title)
            row.save()
    if problems is not None:
        lines = [
            ReportProblem(report=current, position=i, description=text.strip())
            for i, text in enumerate(problems)
            if text and text.strip()
        ]
        for line in lines:
            _clean_line(line, ["report"], "problems", _("第 %(n)d 行") % {"n": line.position + 1})
        current.problems.all().delete()
        ReportProblem.objects.bulk_create(lines)
    save_new_version(current, by=by)
    return current


def item_progress_value(value, title: str) -> int:
    """A plan item's reported progress: a whole number from 0 to 100, never clamped."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,3}\s*", value):
        value = int(value)
    if isinstance(value, int) and 0 <= value <= 100:
        return value
    raise ValidationError(
        {"item_progress": _("任务“%(item)s”的完成进度须为 0 到 100 之间的整数。") % {"item": title}}
    )


def _clean_line(instance, exclude: list[str], key: str, name: str) -> None:
    """full_clean one repeated line (an item's progress, a problem), its errors under `key`
    naming the line, as the page and the API both show them."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError({key: [f"{name}：{message}" for message in error.messages]}) from None


def behind_items(report: ProgressReport) -> list[ReportItemProgress]:
    start = report.assignment.start_date
    return [
        row
        for row in report.item_progress.select_related("item")
        if row.item.is_active
        and item_is_behind(
            progress=row.progress,
            status=row.status,
            due=row.item.due_date,
            start=start,
            as_of=report.period.end,
        )
    ]


def _validate_for_submit(report: ProgressReport) -> None:
    errors = {}
    if not report.work_done.strip():
        errors["work_done"] = _("请填写本期工作情况。")
    period_days = (report.period.end - report.period.start).days + 1
    if report.days_on_site is None:
        errors["days_on_site"] = _("请填写本期在企天数。")
    elif report.days_on_site > period_days:
        errors["days_on_site"] = _("本期只有 %(days)d 天。") % {"days": period_days}
    if behind_items(report):
        if not report.behind_reason.strip():
            errors["behind_reason"] = _("有任务进度滞后，请说明原因。")
        if not report.remedy.strip():
            errors["remedy"] = _("有任务进度滞后，请填写解决办法。")
    if errors:
        raise ValidationError(errors)


def _audited_content(content: dict) -> dict:
    """A report version's content as the audit trail compares it (items as 任务：进度%)."""
    return {
        **{name: content.get(name) for name in (*DRAFT_FIELDS, "problems")},
        "items": [f"{row['title']}：{row['progress']}%" for row in content.get("items", [])],
    }


def report_content(report: ProgressReport) -> dict:
    """The frozen copy of a submitted report, readable after later versions replace it."""
    return {
        "work_done": report.work_done,
        "planned_steps": report.planned_steps,
        "next_steps": report.next_steps,
        "days_on_site": report.days_on_site,
        "behind_reason": report.behind_reason,
        "remedy": report.remedy,
        "items": [
            {
                "item": row.item_id,
                "title": row.item.title,
                "progress": row.progress,
                "status": row.status,
                "note": row.note,
            }
            for row in report.item_progress.select_related("item").order_by("item__position")
        ],
        "problems": [problem.description for problem in report.problems.all()],
    }


@transaction.atomic
def report_submit(
    *,
    report: ProgressReport,
    by: User | None,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """Submit a draft or a returned report. A repeated submit changes nothing (idempotent).

    Late is decided by the first submission against the period's due moment; a resubmitted
    returned report keeps that verdict, on time or late (selectors.report_submission_lateness,
    which the report form's warning asks too). Each version records whether it arrived after
    the due moment, as a fact. `at` back-fills the moment of a report handed in on paper (the
    office enters it later); it defaults to now.

    The cadre's own submission notifies nobody: the page shows the receipt. A report handed in
    by someone else (the office entering a paper report) tells the cadre (notices).
    """
    if by is not None:
        may_submit_report(by, report.assignment, on_paper=at is not None).check()
    current = _lock_report(report, None)
    if at is None and (error := period_not_begun(current.period, timezone.localdate())):
        raise error
    if current.state not in REPORT_EDITABLE_STATES:
        # A repeated submit (double tap, retried request) carries the version from before the
        # first one: answer with the submitted report, not with a stale-version conflict.
        return current
    if expected_version is not None:
        current = _lock_report(report, expected_version)  # already locked: only compares
    _validate_for_submit(current)
    now = at or timezone.now()
    from_state = current.state
    previous = current.versions.filter(number=current.submission_count).first()
    lateness = report_submission_lateness(report=current, at=now)
    if not lateness.settled:
        current.first_submitted_at = now
        current.is_late = lateness.is_late
    current.submitted_at = now
    current.submission_count += 1
    current.state = ReportState.SUBMITTED
    current.return_reason = "" if current.submission_count == 1 else current.return_reason
    content = report_content(current)
    ProgressReportVersion.objects.create(
        report=current,
        number=current.submission_count,
        content=content,
        submitted_by=by,
        submitted_at=now,
        is_late=now > current.period.due_at,
    )
    changes = {"state": [from_state, current.state]}
    if previous is not None:
        # A resubmission after a return: what changed against the version handed in before.
        changes.update(audit.diff(_audited_content(previous.content), _audited_content(content)))
    audit.record(
        by,
        AuditAction.SUBMITTED,
        current,
        changes,
        note=_("第 %(number)d 次报送") % {"number": current.submission_count},
    )
    for row in current.item_progress.select_related("item"):
        item_progress_from_report(item=row.item, progress=row.progress, status=row.status)
    save_new_version(current, by=by)
    notices.report_submitted(current, by=by)
    return current


def report_save_and_submit(
    *,
    report: ProgressReport,
    by: User | None,
    expected_version: int | None,
    fields: dict,
    item_progress: list[dict] | None = None,
    problems: list[str] | None = None,
) -> ProgressReport:
    """The form's 报送: save what was typed and submit it in one transaction, holding the row
    lock from the save to the submit. A second submit arriving meanwhile (a double tap, the API
    from another tab) waits and then finds the report submitted; were the two steps separate,
    it could see the draft's new version in between and be refused as stale.

    A draft that cannot be submitted (a required field empty) stays saved: the submit's error
    is raised after the save has committed."""
    with transaction.atomic():
        saved = report_save_draft(
            report=report,
            by=by,
            expected_version=expected_version,
            fields=fields,
            item_progress=item_progress,
            problems=problems,
        )
        try:
            with transaction.atomic():
                return report_submit(report=saved, by=by)
        except ValidationError as error:
            refusal = error
    raise refusal


@transaction.atomic
def report_review(
    *, report: ProgressReport, by: User | None, rating: str, comment: str = ""
) -> ProgressReport:
    if by is not None:
        may_decide(by).check()
    current = _lock_report(report, None)
    if current.state != ReportState.SUBMITTED:
        raise ValidationError(_("只有已报送的报告才能审阅。"), code="state")
    old_rating = current.rating
    current.rating = rating
    current.full_clean(exclude=["assignment", "period"])
    current.review_comment = comment.strip()
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    audit.record(
        by,
        AuditAction.REVIEWED,
        current,
        {"state": [current.state, ReportState.REVIEWED], "rating": [old_rating, current.rating]},
        note=current.review_comment,
    )
    current.state = ReportState.REVIEWED
    save_new_version(current, by=by)
    notices.report_reviewed(current, by=by)
    return current


@transaction.atomic
def report_return(*, report: ProgressReport, by: User | None, reason: str) -> ProgressReport:
    if by is not None:
        may_decide(by).check()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    current = _lock_report(report, None)
    if current.state != ReportState.SUBMITTED:
        raise ValidationError(_("只有已报送的报告才能退回。"), code="state")
    audit.record(
        by,
        AuditAction.RETURNED,
        current,
        {"state": [current.state, ReportState.RETURNED]},
        note=reason.strip(),
    )
    current.state = ReportState.RETURNED
    current.return_reason = reason.strip()
    current.returned_at = timezone.now()
    save_new_version(current, by=by)
    notices.report_returned(current, by=by)
    return current


def work_plan_for(assignment: Assignment) -> WorkPlan | None:
    return WorkPlan.objects.filter(
        programme_id=assignment.programme_id, enterprise_id=assignment.enterprise_id
    ).first()
