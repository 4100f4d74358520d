"""Work plan and half-monthly report pages: the cadre writes (on a phone), the office reviews.

Reads go through selectors (scoped: another enterprise's plan or report is a 404), writes through
stationing.services. Drafts are saved as the cadre types (report-autosave) and kept in the
browser when the network drops (static/js/report_form.js).
"""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .choices import (
    PeriodStatus,
    PlanState,
    ProgrammeStatus,
    ReportRating,
    ReportState,
    TaskArea,
    UnitKind,
)
from .exports import matrix_workbook, truancy_workbook
from .filtersets import AssignmentFilterSet
from .locking import StaleEditError
from .models import ReportPeriod
from .permissions import can_manage_programme_data
from .report_forms import (
    PlanDecisionForm,
    PlanForm,
    ReportForm,
    ReturnForm,
    ReviewForm,
    read_item_progress,
    read_plan_items,
)
from .roles import actor_for
from .selectors import (
    assignment_covers,
    assignment_list,
    period_status,
    plan_approval_queue,
    programme_list,
    report_assignment_list,
    report_list,
    report_review_queue,
    submission_matrix,
    truancy_list,
    unit_list,
    work_group_list,
    work_plan_list,
)
from .services import (
    ITEM_FIELDS,
    expected_progress,
    item_is_behind,
    plan_due_date,
    plan_is_overdue,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_diff,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)
from .templatetags.report_tags import STATUS_CLASSES
from .web import PortalLoginRequiredMixin, apply_validation_error


def _is_own_assignment(user, assignment) -> bool:
    return actor_for(user).profile_id == assignment.cadre_id


def _is_stationed_in_plan(user, plan) -> bool:
    return (
        assignment_list(user=user)
        .filter(
            cadre_id=actor_for(user).profile_id,
            programme_id=plan.programme_id,
            enterprise_id=plan.enterprise_id,
        )
        .exists()
    )


def _office_only(user) -> None:
    if not can_manage_programme_data(user):
        raise PermissionDenied


# --- Per assignment: periods and plan -----------------------------------------------------------


class AssignmentReportsView(PortalLoginRequiredMixin, TemplateView):
    """One stationing's periods with their state, and its work plan's state."""

    template_name = "reports/assignment_reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assignment = get_object_or_404(report_assignment_list(user=user), pk=kwargs["pk"])
        now = timezone.localtime()
        reports = {r.period_id: r for r in report_list(user=user).filter(assignment=assignment)}
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
            is_own=_is_own_assignment(user, assignment),
        )
        return context


class ReportStartView(PortalLoginRequiredMixin, View):
    """Open (create if needed) this period's draft, prefilled from the last report."""

    def post(self, request, pk, period_pk):
        assignment = get_object_or_404(assignment_list(user=request.user), pk=pk)
        if not _is_own_assignment(request.user, assignment):
            raise PermissionDenied
        period = get_object_or_404(ReportPeriod, pk=period_pk, programme=assignment.programme)
        report = report_get_or_create_draft(assignment=assignment, period=period, by=request.user)
        return redirect("report-edit", pk=report.pk)


# --- The report form ------------------------------------------------------------------------


def _own_report(request, pk):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    if not _is_own_assignment(request.user, report.assignment):
        raise PermissionDenied
    return report


def _save_from_post(report, request):
    """Save the posted draft. Returns the saved report; raises StaleEditError/ValidationError."""
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = form.cleaned_data
    item_ids = list(report.item_progress.values_list("item_id", flat=True))
    return report_save_draft(
        report=report,
        by=request.user,
        expected_version=data["version"],
        fields={name: data[name] for name in ReportForm.base_fields if name != "version"},
        item_progress=read_item_progress(request.POST, item_ids),
        problems=request.POST.getlist("problem"),
    )


class ReportEditView(PortalLoginRequiredMixin, TemplateView):
    template_name = "reports/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = _own_report(request, kwargs["pk"])
        if self.report.state not in (ReportState.DRAFT, ReportState.RETURNED):
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
            if posted is not None and f"item-{row.item_id}-progress" in posted:
                entry = read_item_progress(posted, [row.item_id])[0]
                row.progress, row.status, row.note = (
                    entry["progress"],
                    entry["status"],
                    entry["note"],
                )
            behind = item_is_behind(
                progress=row.progress,
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
            overdue=timezone.now() > period.due_at,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        form = ReportForm(request.POST)
        try:
            report = _save_from_post(self.report, request)
            if action == "submit":
                report = report_submit(report=report, by=request.user)
                if report.is_late:
                    messages.warning(request, _("报告已提交(逾期报送)。"))
                else:
                    messages.success(request, _("报告已按时提交。"))
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


class ReportAutosaveView(PortalLoginRequiredMixin, View):
    """Save the draft as the cadre types. JSON in, JSON out; 409 when someone saved meanwhile."""

    def post(self, request, pk):
        report = _own_report(request, pk)
        if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
            return JsonResponse({"error": _("报告已报送,不能修改。")}, status=409)
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
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        report = get_object_or_404(report_list(user=user), pk=kwargs["pk"])
        context.update(
            report=report,
            versions=report.versions.select_related("submitted_by__profile"),
            can_review=can_manage_programme_data(user) and report.state == ReportState.SUBMITTED,
            # Live problem lines: each becomes a ticket with one action, and links to it after.
            problems=report.problems.select_related("ticket"),
            is_own=_is_own_assignment(user, report.assignment),
            review_form=ReviewForm(),
            return_form=ReturnForm(),
            status=period_status(report=report, period=report.period, now=timezone.localtime()),
        )
        return context


class ReportDecisionView(PortalLoginRequiredMixin, View):
    """The office's review (rating and comment) or return (reason required)."""

    action = "review"

    def post(self, request, pk):
        _office_only(request.user)
        report = get_object_or_404(report_list(user=request.user), pk=pk)
        form = (ReviewForm if self.action == "review" else ReturnForm)(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("report-detail", pk=pk)
        try:
            if self.action == "review":
                report_review(report=report, by=request.user, **form.cleaned_data)
                messages.success(request, _("已审阅。"))
            else:
                report_return(report=report, by=request.user, **form.cleaned_data)
                messages.success(request, _("已退回,干部修改后可重新报送。"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("report-detail", pk=pk)


# --- Work plans -------------------------------------------------------------------------------


class PlanStartView(PortalLoginRequiredMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(assignment_list(user=request.user), pk=pk)
        if not _is_own_assignment(request.user, assignment):
            raise PermissionDenied
        plan = work_plan_get_or_create(
            programme=assignment.programme, enterprise=assignment.enterprise, by=request.user
        )
        return redirect("plan-edit", pk=plan.pk)


def _plan_rows(plan, posted=None) -> list[dict]:
    if posted is not None:
        rows = read_plan_items(posted)
    else:
        rows = [
            {
                "id": item.pk,
                "area": item.area,
                "title": item.title,
                "target": item.target,
                "owner": item.owner,
                "due_date": item.due_date.isoformat(),
            }
            for item in plan.items.filter(is_active=True).order_by("position", "id")
        ]
    # Empty rows to fill in: at least one per task area on a new plan, two more otherwise.
    blanks = 2 if rows else len(TaskArea.choices)
    areas = [value for value, _label in TaskArea.choices]
    rows += [{"id": "", "area": areas[i % len(areas)] if not rows else ""} for i in range(blanks)]
    return rows


class PlanEditView(PortalLoginRequiredMixin, TemplateView):
    template_name = "reports/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(work_plan_list(user=request.user), pk=kwargs["pk"])
        if not _is_stationed_in_plan(request.user, self.plan):
            raise PermissionDenied
        if self.plan.state == PlanState.SUBMITTED:
            messages.info(request, _("计划已报送待审批,审批前不能修改。"))
            return redirect("plan-detail", pk=self.plan.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, rows=None, item_errors=None, stale=False, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        form = form or PlanForm(initial={"version": plan.version, "summary": plan.summary})
        context.update(
            plan=plan,
            form=form,
            rows=rows if rows is not None else _plan_rows(plan),
            item_errors=item_errors or {},
            areas=TaskArea.choices,
            stale=stale,
            due=plan_due_date(programme=plan.programme, enterprise_id=plan.enterprise_id),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PlanForm(request.POST)
        rows = read_plan_items(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, rows=rows))
        try:
            plan = work_plan_save_draft(
                plan=self.plan,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
                items=rows,
            )
            if request.POST.get("action") == "submit":
                work_plan_submit(plan=plan, by=request.user)
                messages.success(request, _("工作计划已报送,等待督查室审批。"))
                return redirect("plan-detail", pk=plan.pk)
        except StaleEditError as exc:
            form.add_error(None, exc)
            return self.render_to_response(
                self.get_context_data(
                    form=form, rows=_plan_rows(self.plan, request.POST), stale=True
                )
            )
        except ValidationError as exc:
            item_errors = {}
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    if key.startswith("items."):
                        _prefix, index, field = key.split(".")
                        item_errors.setdefault(int(index), {})[field] = errors[0].messages[0]
                    else:
                        form.add_error(None, errors)
            else:
                form.add_error(None, exc)
            self.plan.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(self.plan.version)
            form = PlanForm(data)
            form.is_valid()
            if not item_errors and hasattr(exc, "messages"):
                form.add_error(None, exc.messages)
            return self.render_to_response(
                self.get_context_data(
                    form=form, rows=_plan_rows(self.plan, request.POST), item_errors=item_errors
                )
            )
        messages.success(request, _("草稿已保存。"))
        return redirect("plan-edit", pk=plan.pk)


class PlanDetailView(PortalLoginRequiredMixin, TemplateView):
    """The live plan, every submitted version, and what changed between two of them."""

    template_name = "reports/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = get_object_or_404(work_plan_list(user=user), pk=kwargs["pk"])
        versions = list(
            plan.versions.select_related("submitted_by__profile", "decided_by__profile")
        )
        diff = None
        by_number = {v.number: v for v in versions}
        try:
            a = by_number.get(int(self.request.GET.get("a", 0)))
            b = by_number.get(int(self.request.GET.get("b", 0)))
        except ValueError:
            a = b = None
        if a is None and b is None and len(versions) >= 2:
            a, b = versions[1], versions[0]
        if a is not None and b is not None and a != b:
            older, newer = sorted([a, b], key=lambda v: v.number)
            diff = {"older": older, "newer": newer, **work_plan_diff(older, newer)}
        due = plan_due_date(programme=plan.programme, enterprise_id=plan.enterprise_id)
        context.update(
            plan=plan,
            items=plan.items.filter(is_active=True).order_by("position", "id"),
            versions=versions,
            diff=diff,
            item_field_labels={
                name: plan.items.model._meta.get_field(name).verbose_name for name in ITEM_FIELDS
            },
            area_labels=dict(TaskArea.choices),
            can_edit=plan.state != PlanState.SUBMITTED and _is_stationed_in_plan(user, plan),
            can_decide=can_manage_programme_data(user) and plan.state == PlanState.SUBMITTED,
            decision_form=PlanDecisionForm(),
            due=due,
            overdue=plan_is_overdue(due_date=due, first_submitted_at=plan.first_submitted_at),
        )
        return context


class PlanDecisionView(PortalLoginRequiredMixin, View):
    action = "approve"

    def post(self, request, pk):
        _office_only(request.user)
        plan = get_object_or_404(work_plan_list(user=request.user), pk=pk)
        form = PlanDecisionForm(request.POST)
        form.is_valid()
        comment = form.cleaned_data.get("comment", "")
        try:
            if self.action == "approve":
                work_plan_approve(plan=plan, by=request.user, comment=comment)
                messages.success(request, _("工作计划已批准。"))
            else:
                work_plan_return(plan=plan, by=request.user, comment=comment)
                messages.success(request, _("工作计划已退回。"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("plan-detail", pk=pk)


# --- The office's views ---------------------------------------------------------------------


class OfficeOrLeaderMixin(PortalLoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        actor = actor_for(request.user)
        if not (actor.is_office or actor.sees_programmes_of_unit):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


MATRIX_FILTERS = ("unit", "work_group", "region")


class ProgrammeMatrixView(OfficeOrLeaderMixin, TemplateView):
    """Who has reported: assignments by dispatching unit × periods, the truancy list, exports."""

    template_name = "reports/matrix.html"

    def get(self, request, *args, **kwargs):
        self.programme = get_object_or_404(programme_list(user=request.user), pk=kwargs["pk"])
        self.filterset = AssignmentFilterSet(
            request.GET or None,
            queryset=assignment_list(user=request.user).filter(programme=self.programme),
            request=request,
        )
        assignments = self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset
        self.matrix = submission_matrix(
            user=request.user, programme=self.programme, assignments=assignments
        )
        export = request.GET.get("export")
        if export in ("matrix", "truancy"):
            if export == "matrix":
                content, name = matrix_workbook(self.matrix), _("报送情况")
            else:
                content, name = truancy_workbook(truancy_list(matrix=self.matrix)), _("缺报名单")
            return xlsx_response(content, f"{self.programme.name}-{name}")
        return super().get(request, *args, **kwargs)

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
            units=unit_list(user=self.request.user)
            .filter(people__assignments__programme=programme)
            .distinct(),
            work_groups=work_group_list(user=self.request.user).filter(programme=programme),
            regions=unit_list(user=self.request.user).filter(kind=UnitKind.GOVERNMENT),
            selected={
                key: self.request.GET.get(key, "") for key in ("unit", "work_group", "region")
            },
            query=query.urlencode(),
            status_labels=dict(PeriodStatus.choices),
        )
        return context


def matrix_cell_renderer():
    """Render a matrix row's cells in Python: a city's matrix has tens of thousands of cells,
    and per-cell template tags (url reversing, filters) made the page take seconds. Labels are
    escaped once; the rest is numbers and our own CSS class names."""
    labels = {value: escape(label) for value, label in PeriodStatus.choices}
    ratings = {value: escape(label) for value, label in ReportRating.choices}
    link = reverse("report-detail", args=[0]).replace("/0/", "/{}/")

    def render(cells) -> str:
        parts = []
        for _period, report, status in cells:
            if not status:
                parts.append("<td></td>")
                continue
            label = labels[status]
            css = STATUS_CLASSES.get(status, "text-bg-secondary")
            if report is not None and report.state != ReportState.DRAFT:
                if report.rating:
                    label = f"{label} · {ratings.get(report.rating, '')}"
                href = link.format(int(report.pk))
                parts.append(f'<td><a href="{href}" class="badge {css}">{label}</a></td>')
            else:
                parts.append(f'<td><span class="badge {css}">{label}</span></td>')
        return mark_safe("".join(parts))  # noqa: S308 - labels escaped above, the rest is ours

    return render


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class PlanQueueView(OfficeOrLeaderMixin, TemplateView):
    """Plans waiting for approval, and stationings whose plan is overdue."""

    template_name = "reports/plan_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plans = {
            (plan.programme_id, plan.enterprise_id): plan for plan in work_plan_list(user=user)
        }
        overdue = []
        seen = set()
        for assignment in (
            assignment_list(user=user)
            .filter(programme__status=ProgrammeStatus.ACTIVE)
            .order_by("start_date")
        ):
            key = (assignment.programme_id, assignment.enterprise_id)
            if key in seen:
                continue
            seen.add(key)
            plan = plans.get(key)
            due = assignment.start_date + datetime.timedelta(
                days=assignment.programme.plan_due_days
            )
            if plan_is_overdue(
                due_date=due, first_submitted_at=plan.first_submitted_at if plan else None
            ) and not (plan and plan.first_submitted_at):
                overdue.append({"assignment": assignment, "plan": plan, "due": due})
        context.update(
            queue=plan_approval_queue(user=user),
            overdue=overdue,
            can_decide=can_manage_programme_data(user),
        )
        return context


class ReportQueueView(OfficeOrLeaderMixin, TemplateView):
    template_name = "reports/report_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queue"] = report_review_queue(user=self.request.user)
        return context
