"""Work plan and half-monthly report pages: the cadre writes (on a phone), the office reviews.

Reads go through selectors (scoped: another enterprise's plan or report is a 404), writes through
stationing.services. Drafts are saved as the cadre types (report-autosave) and kept in the
browser when the network drops (static/js/report_form.js).
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.choices import UnitKind
from core.exports import Column
from core.forms import apply_validation_error
from core.inputs import parse_id
from core.locking import StaleEditError
from core.selectors import unit_list
from core.views import (
    FilteredListView,
    OfficeOrLeaderRequiredMixin,
    OfficeRequiredMixin,
    PortalLoginRequiredMixin,
    QueueMixin,
    xlsx_response,
)
from core.widgets import ScopedSelect

from ..choices import PeriodStatus, ReportRating, ReportState
from ..exports import matrix_workbook, truancy_workbook
from ..filtersets import AssignmentFilterSet, ProgressReportFilterSet
from ..forms.reports import ReportForm, ReturnForm, ReviewForm, read_item_progress
from ..models import ReportPeriod
from ..permissions import (
    may_decide,
    may_edit_report,
    may_edit_work_plan,
    may_write_plan,
    may_write_report,
)
from ..selectors import (
    MATRIX_ORDER,
    assignment_covers,
    assignment_list,
    latest_due_periods,
    period_status,
    plan_due_date,
    plan_is_overdue,
    programme_list,
    programme_unit_list,
    report_assignment_list,
    report_is_handed_in,
    report_list,
    report_review_queue,
    report_submission_lateness,
    submission_matrix,
    truancy_list,
    work_group_list,
    work_plan_list,
)
from ..services import (
    expected_progress,
    item_is_behind,
    item_progress_value,
    report_chase_unit,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_and_submit,
    report_save_draft,
)
from ..templatetags.report_tags import STATUS_CLASSES


class AssignmentReportsView(PortalLoginRequiredMixin, TemplateView):
    """One stationing's periods with their state, and its work plan's state."""

    template_name = "stationing/reports/assignment_reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assignment = get_object_or_404(report_assignment_list(user=user), pk=kwargs["pk"])
        now = timezone.localtime()
        reports = {r.period_id: r for r in report_list(user=user).filter(assignment=assignment)}
        is_own = bool(may_write_report(user, assignment))
        rows = []
        for period in assignment.programme.periods.filter(start__lte=now.date()).order_by(
            "-number"
        ):
            if not assignment_covers(assignment, period):
                continue
            report = reports.get(period.pk)
            rows.append(
                {
                    "period": period,
                    "report": report,
                    "status": period_status(report=report, period=period, now=now),
                    "can_write": is_own and (report is None or bool(may_edit_report(user, report))),
                }
            )
        plan = (
            work_plan_list(user=user)
            .filter(programme_id=assignment.programme_id, enterprise_id=assignment.enterprise_id)
            .first()
        )
        due = plan_due_date(programme=assignment.programme, enterprise_id=assignment.enterprise_id)
        context.update(
            assignment=assignment,
            rows=rows,
            plan=plan,
            plan_due=due,
            plan_overdue=plan_is_overdue(
                due_date=due, first_submitted_at=plan.first_submitted_at if plan else None
            ),
            # Open the plan (a new one, or a revision of an approved one) unless it waits for
            # the office's decision.
            can_write_plan=bool(
                may_edit_work_plan(user, plan)
                if plan is not None
                else may_write_plan(
                    user,
                    programme_id=assignment.programme_id,
                    enterprise_id=assignment.enterprise_id,
                )
            ),
        )
        return context


class ReportStartView(PortalLoginRequiredMixin, View):
    """Open (create if needed) this period's draft, prefilled from the last report."""

    def post(self, request, pk, period_pk):
        assignment = get_object_or_404(assignment_list(user=request.user), pk=pk)
        may_write_report(request.user, assignment).check()
        period = get_object_or_404(ReportPeriod, pk=period_pk, programme=assignment.programme)
        try:
            report = report_get_or_create_draft(
                assignment=assignment, period=period, by=request.user
            )
        except ValidationError as error:
            # A period not begun or outside the stationing: say why, on the reports page.
            messages.error(request, " ".join(error.messages))
            return redirect("assignment-reports", pk=assignment.pk)
        return redirect("report-edit", pk=report.pk)


def _own_report(request, pk):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    may_write_report(request.user, report.assignment).check()
    return report


def _save_from_post(report, request, *, submit: bool = False):
    """Save the posted draft, and submit it when `submit`. Returns the saved report; raises
    StaleEditError/ValidationError."""
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = form.cleaned_data
    item_ids = list(report.item_progress.values_list("item_id", flat=True))
    write = report_save_and_submit if submit else report_save_draft
    return write(
        report=report,
        by=request.user,
        expected_version=data["version"],
        fields={name: data[name] for name in ReportForm.base_fields if name != "version"},
        item_progress=read_item_progress(request.POST, item_ids),
        problems=request.POST.getlist("problem"),
    )


class ReportEditView(PortalLoginRequiredMixin, TemplateView):
    template_name = "stationing/reports/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = _own_report(request, kwargs["pk"])
        if not may_edit_report(request.user, self.report):
            return redirect("report-detail", pk=self.report.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, stale=False, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        if form is None:
            form = ReportForm(
                initial={
                    "version": report.version,
                    **{name: getattr(report, name) for name in ReportForm.base_fields},
                }
            )
        period = report.period
        start = report.assignment.start_date
        items = []
        posted = self.request.POST if self.request.method == "POST" else None
        for row in report.item_progress.select_related("item").order_by("item__position"):
            expected = expected_progress(start=start, due=row.item.due_date, as_of=period.end)
            progress = row.progress
            if posted is not None and f"item-{row.item_id}-progress" in posted:
                # Shown back as typed; a progress the service refused counts as not behind
                # (its message is on the form).
                entry = read_item_progress(posted, [row.item_id])[0]
                row.progress, row.status, row.note = (
                    entry["progress"],
                    entry["status"],
                    entry["note"],
                )
                try:
                    progress = item_progress_value(entry["progress"], row.item.title)
                except ValidationError:
                    progress = None
            behind = progress is not None and item_is_behind(
                progress=progress,
                status=row.status,
                due=row.item.due_date,
                start=start,
                as_of=period.end,
            )
            items.append({"row": row, "expected": expected, "behind": behind})
        problems = (
            posted.getlist("problem")
            if posted is not None
            else list(report.problems.values_list("description", flat=True))
        )
        context.update(
            report=report,
            form=form,
            items=items,
            problems=[*problems, ""],
            any_behind=any(entry["behind"] for entry in items),
            stale=stale,
            period_days=(period.end - period.start).days + 1,
            item_status_choices=report.item_progress.model._meta.get_field("status").choices,
            versions=report.versions.all(),
            **late_warning(report),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        form = ReportForm(request.POST)
        try:
            report = _save_from_post(self.report, request, submit=action == "submit")
            if action == "submit":
                say = messages.warning if report.is_late else messages.success
                say(request, submission_receipt(report))
                return redirect("report-detail", pk=report.pk)
        except StaleEditError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, stale=True))
        except ValidationError as exc:
            # The draft part was saved (or nothing changed); show what blocks submission.
            self.report.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(self.report.version)
            form = ReportForm(data)
            form.is_valid()
            apply_validation_error(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("草稿已保存。"))
        return redirect("report-edit", pk=report.pk)


def late_warning(report) -> dict:
    """What the form warns about lateness, from the rule report_submit applies
    (report_submission_lateness): how a submission after the due moment is recorded, and in
    how many seconds the due moment passes (0: passed; the warning shows from then on, and
    report_form.js reveals it when it passes while the page is open)."""
    due = report.period.due_at
    return {
        "after_due": report_submission_lateness(
            report=report, at=due + datetime.timedelta(seconds=1)
        ),
        "due_in": max(0, int((due - timezone.now()).total_seconds())),
    }


def submission_receipt(report) -> str:
    """The confirmation shown after submitting: what, which version, when, on time or late."""
    values = {
        "period": report.period.label,
        "number": report.submission_count,
        "at": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "verdict": PeriodStatus.LATE.label if report.is_late else PeriodStatus.ON_TIME.label,
    }
    text = _("%(period)s半月报第 %(number)d 版已于 %(at)s 报送督查室，记为%(verdict)s。") % values
    if report.submission_count > 1:
        text += _("退回后重新报送的，按首次报送时间认定。")
    return text


class ReportAutosaveView(PortalLoginRequiredMixin, View):
    """Save the draft as the cadre types. JSON in, JSON out; 409 when someone saved meanwhile."""

    def post(self, request, pk):
        report = _own_report(request, pk)
        verdict = may_edit_report(request.user, report)
        if not verdict:
            return JsonResponse({"error": verdict.reason}, status=409)
        try:
            report = _save_from_post(report, request)
        except StaleEditError as exc:
            return JsonResponse({"error": exc.messages[0], "stale": True}, status=409)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return JsonResponse({"errors": errors}, status=400)
        return JsonResponse(
            {
                "version": report.version,
                "saved_at": timezone.localtime(report.updated_at).strftime("%H:%M:%S"),
            }
        )


class ReportDetailView(PortalLoginRequiredMixin, TemplateView):
    template_name = "stationing/reports/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        report = get_object_or_404(report_list(user=user), pk=kwargs["pk"])
        context.update(
            report=report,
            versions=report.versions.select_related("submitted_by__profile"),
            can_review=bool(may_decide(user)) and report.state == ReportState.SUBMITTED,
            # Live problem lines: each becomes a ticket with one action, and links to it after.
            problems=report.problems.select_related("ticket"),
            is_own=bool(may_write_report(user, report.assignment)),
            can_edit=bool(may_edit_report(user, report)),
            handed_in=report_is_handed_in(report.state),
            review_form=ReviewForm(),
            return_form=ReturnForm(),
            status=period_status(report=report, period=report.period, now=timezone.localtime()),
            queue=ReportQueueView.navigation(self.request, report.pk),
        )
        return context


class ReportDecisionView(PortalLoginRequiredMixin, View):
    """The office's review (rating and comment) or return (reason required)."""

    action = "review"

    def post(self, request, pk):
        may_decide(request.user).check()
        report = get_object_or_404(report_list(user=request.user), pk=pk)
        form = (ReviewForm if self.action == "review" else ReturnForm)(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(ReportQueueView.stay_url(request, pk))
        try:
            if self.action == "review":
                report_review(report=report, by=request.user, **form.cleaned_data)
                messages.success(request, _("已审阅。"))
            else:
                report_return(report=report, by=request.user, **form.cleaned_data)
                messages.success(request, _("已退回，干部修改后可重新报送。"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            if ReportQueueView.queue_query(request.POST) is not None:
                # Back to the same report, still within the queue.
                return redirect(ReportQueueView.stay_url(request, pk))
        else:
            # Decided from the queue: on to the next report waiting under the same filters.
            queue_next = ReportQueueView.after_decision_url(request, pk)
            if queue_next:
                return redirect(queue_next)
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("report-detail", pk=pk)


MATRIX_FILTERS = ("unit", "work_group", "region")


MATRIX_PAGE_SIZE = 200


class ProgrammeMatrixView(OfficeOrLeaderRequiredMixin, TemplateView):
    """Who has reported: assignments by dispatching unit × periods, the truancy list, exports."""

    template_name = "stationing/reports/matrix.html"

    def get(self, request, *args, **kwargs):
        self.programme = get_object_or_404(programme_list(user=request.user), pk=kwargs["pk"])
        self.filterset = AssignmentFilterSet(
            request.GET or None,
            queryset=assignment_list(user=request.user).filter(programme=self.programme),
            request=request,
        )
        assignments = self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset
        export = request.GET.get("export")
        self.page_obj = None
        if export not in ("matrix", "truancy"):
            # A province has 10,000 stationings: the page shows them MATRIX_PAGE_SIZE at a time,
            # in the matrix's order; the exports still hold every row.
            keys = assignments.filter(programme=self.programme).order_by(*MATRIX_ORDER)
            paginator = Paginator(keys.values_list("pk", flat=True), MATRIX_PAGE_SIZE)
            self.page_obj = paginator.get_page(request.GET.get("page"))
            assignments = assignments.filter(pk__in=list(self.page_obj.object_list))
        self.matrix = submission_matrix(
            user=request.user, programme=self.programme, assignments=assignments
        )
        if export in ("matrix", "truancy"):
            if export == "matrix":
                content, name = matrix_workbook(self.matrix), _("报送情况")
            else:
                content, name = truancy_workbook(truancy_list(matrix=self.matrix)), _("缺报名单")
            return xlsx_response(content, f"{self.programme.name}-{name}")
        return super().get(request, *args, **kwargs)

    def _region_select(self) -> str:
        return _matrix_region_select(self.request.user, self.request.GET.get("region", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.programme
        render_cells = matrix_cell_renderer()
        for row in self.matrix.rows:
            row.cells_html = render_cells(row.cells)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            programme=programme,
            matrix=self.matrix,
            truancy=truancy_list(matrix=self.matrix),
            units=programme_unit_list(user=self.request.user, programme=programme),
            # Labels are the rows' own names: no joins for a province's 500 regions.
            work_groups=work_group_list(user=self.request.user)
            .select_related(None)
            .filter(programme=programme),
            region_select=self._region_select(),
            selected={
                key: self.request.GET.get(key, "") for key in ("unit", "work_group", "region")
            },
            query=query.urlencode(),
            status_labels=dict(PeriodStatus.choices),
            page_obj=self.page_obj,
            paged=self.page_obj is not None and self.page_obj.has_other_pages(),
        )
        return context


def _matrix_region_select(user, value: str) -> str:
    """The region filter as on the lists: a province's 500 regions are searched as the user
    types (core.widgets.ScopedSelect) instead of being sent whole."""
    field = forms.ModelChoiceField(
        queryset=unit_list(user=user).select_related(None).filter(kind=UnitKind.GOVERNMENT),
        required=False,
        empty_label=_("全部"),
        widget=ScopedSelect(remote_query={"kind": UnitKind.GOVERNMENT.value}, always_remote=True),
    )
    return field.widget.render(
        "region", value, attrs={"id": "f-region", "class": "form-select form-select-sm"}
    )


def matrix_cell_renderer():
    """Render a matrix row's cells in Python: a city's matrix has tens of thousands of cells,
    and per-cell template tags (url reversing, filters) made the page take seconds. Labels are
    escaped once; the rest is numbers and our own CSS class names."""
    # str() first: escape() of a lazy label stays lazy and was translated again in every cell.
    labels = {value: escape(str(label)) for value, label in PeriodStatus.choices}
    ratings = {value: escape(str(label)) for value, label in ReportRating.choices}
    link = reverse("report-detail", args=[0]).replace("/0/", "/{}/")

    def render(cells) -> str:
        parts = []
        for _period, report, status in cells:
            if not status:
                parts.append("<td></td>")
                continue
            label = labels[status]
            css = STATUS_CLASSES.get(status, "text-bg-secondary")
            if report is not None and report_is_handed_in(report.state):
                if report.rating:
                    label = f"{label} · {ratings.get(report.rating, '')}"
                href = link.format(int(report.pk))
                parts.append(f'<td><a href="{href}" class="badge {css}">{label}</a></td>')
            else:
                parts.append(f'<td><span class="badge {css}">{label}</span></td>')
        return mark_safe("".join(parts))  # noqa: S308 # labels escaped above  # nosec B308 B703

    return render


def _rating(report) -> str:
    return report.get_rating_display() if report.rating else ""


REPORT_EXPORT_COLUMNS = [
    Column(gettext_lazy("驻企干部"), "assignment.cadre.name"),
    Column(gettext_lazy("派出单位"), "assignment.cadre.unit.name", width=24),
    Column(gettext_lazy("企业"), "assignment.enterprise.name", width=28),
    Column(gettext_lazy("驻企批次"), "assignment.programme.name", width=24),
    Column(gettext_lazy("工作组"), "assignment.work_group.name"),
    Column(gettext_lazy("报告期"), lambda report: report.period.label),
    Column(gettext_lazy("状态"), "get_state_display"),
    Column(gettext_lazy("报送时间"), "submitted_at"),
    Column(gettext_lazy("逾期报送"), "is_late"),
    Column(gettext_lazy("报送次数"), "submission_count"),
    Column(gettext_lazy("本期在企天数"), "days_on_site"),
    Column(gettext_lazy("评价"), _rating),
    Column(gettext_lazy("审阅意见"), "review_comment", width=40),
    Column(gettext_lazy("审阅时间"), "reviewed_at"),
]

REPORT_SORT_FIELDS = {
    "cadre": (gettext_lazy("驻企干部"), ("assignment__cadre__sort_key",)),
    "unit": (gettext_lazy("派出单位"), ("assignment__cadre__unit__tree_key",)),
    "enterprise": (gettext_lazy("企业"), ("assignment__enterprise__sort_key",)),
    "period": (gettext_lazy("报告期"), ("period__start",)),
    "state": (gettext_lazy("状态"), ("state",)),
    "submitted_at": (gettext_lazy("报送时间"), ("submitted_at",)),
    "rating": (gettext_lazy("评价"), ("rating",)),
}


class ReportListView(FilteredListView):
    """Every half-monthly report the user may read: by programme, period, unit, state,
    lateness, rating; sortable and exportable."""

    template_name = "stationing/reports/report_list.html"
    filterset_class = ProgressReportFilterSet
    context_object_name = "reports"
    sort_fields = REPORT_SORT_FIELDS
    export_columns = REPORT_EXPORT_COLUMNS
    export_title = gettext_lazy("半月报")
    # Newest period first, as the office reads them; within a period by unit and cadre.
    default_sort = "-period"

    def get_base_queryset(self):
        return report_list(user=self.request.user).order_by(
            "-period__start",
            "assignment__cadre__unit__tree_key",
            "assignment__cadre__sort_key",
            "pk",
        )


class ReportQueueView(QueueMixin, OfficeOrLeaderRequiredMixin, FilteredListView):
    """Reports waiting for review, oldest first: filtered (programme, unit, period, late…),
    counted, paged, exportable. A report opened from here offers 审阅下一份, and after a
    review or return the reviewer lands on the next one under the same filters."""

    template_name = "stationing/reports/report_queue.html"
    filterset_class = ProgressReportFilterSet
    context_object_name = "queue"
    hidden_filters = ("state", "rating", "assignment")
    sort_fields = {
        key: REPORT_SORT_FIELDS[key]
        for key in ("cadre", "unit", "enterprise", "period", "submitted_at")
    }
    export_columns = REPORT_EXPORT_COLUMNS[:10]
    export_title = gettext_lazy("待审阅的半月报")
    queue_url_name = "report-queue"
    detail_url_name = "report-detail"

    def get_base_queryset(self):
        return report_review_queue(user=self.request.user)


class ReportChaseView(OfficeRequiredMixin, View):
    """The office console's one-click reminder (催报) to one dispatching unit's cadres whose
    report for the period that fell due is missing; says how many were told and how many had
    already been told today. Only a period the console offers (latest_due_periods) is taken."""

    def post(self, request, *args, **kwargs):
        period = get_object_or_404(
            latest_due_periods(user=request.user, now=timezone.now()),
            pk=parse_id(request.POST.get("period")) or 0,
        )
        outcome = report_chase_unit(
            period=period, unit_id=parse_id(request.POST.get("unit")), by=request.user
        )
        messages.success(
            request,
            _("已向 %(told)s 名干部发送催报提醒；%(already)s 名今天已提醒过，未重复发送。")
            % {"told": outcome.told, "already": outcome.already},
        )
        return redirect(f"{reverse('home')}#console-missing")
