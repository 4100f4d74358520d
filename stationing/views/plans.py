"""Work plan and half-monthly report pages: the cadre writes (on a phone), the office reviews.

Reads go through selectors (scoped: another enterprise's plan or report is a 404), writes through
stationing.services. Drafts are saved as the cadre types (report-autosave) and kept in the
browser when the network drops (static/js/report_form.js).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.exports import Column
from core.inputs import parse_id
from core.locking import StaleEditError
from core.paging import page_rows
from core.views import (
    FilteredListView,
    OfficeOrLeaderRequiredMixin,
    PortalLoginRequiredMixin,
    QueueMixin,
)
from stationing.forms.plans import PlanDecisionForm, PlanForm, read_plan_items

from ..choices import PlanState, TaskArea
from ..filtersets import WorkPlanFilterSet
from ..permissions import may_decide, may_edit_work_plan, may_write_plan, may_write_work_plan
from ..selectors import (
    assignment_list,
    overdue_plan_list,
    plan_approval_queue,
    plan_due_date_from,
    plan_is_overdue,
    work_plan_due_date,
    work_plan_list,
)
from ..services import (
    ITEM_FIELDS,
    work_plan_approve,
    work_plan_diff,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)

OVERDUE_PLANS_LISTED = 20  # the oldest; the assignment list filtered by them has all


class PlanStartView(PortalLoginRequiredMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(assignment_list(user=request.user), pk=pk)
        may_write_plan(
            request.user,
            programme_id=assignment.programme_id,
            enterprise_id=assignment.enterprise_id,
        ).check()
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
    template_name = "stationing/plans/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(work_plan_list(user=request.user), pk=kwargs["pk"])
        may_write_work_plan(request.user, self.plan).check()
        verdict = may_edit_work_plan(request.user, self.plan)
        if not verdict:
            messages.info(request, verdict.reason)
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
            due=work_plan_due_date(plan),
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
                messages.success(request, _("工作计划已报送，等待督查室审批。"))
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

    template_name = "stationing/plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = get_object_or_404(work_plan_list(user=user), pk=kwargs["pk"])
        versions = list(
            plan.versions.select_related("submitted_by__profile", "decided_by__profile")
        )
        diff = None
        by_number = {v.number: v for v in versions}
        a = by_number.get(parse_id(self.request.GET.get("a")))
        b = by_number.get(parse_id(self.request.GET.get("b")))
        if a is None and b is None and len(versions) >= 2:
            a, b = versions[1], versions[0]
        if a is not None and b is not None and a != b:
            older, newer = sorted([a, b], key=lambda v: v.number)
            diff = {"older": older, "newer": newer, **work_plan_diff(older, newer)}
        due = work_plan_due_date(plan)
        context.update(
            plan=plan,
            items=plan.items.filter(is_active=True).order_by("position", "id"),
            versions=versions,
            diff=diff,
            item_field_labels={
                name: plan.items.model._meta.get_field(name).verbose_name for name in ITEM_FIELDS
            },
            area_labels=dict(TaskArea.choices),
            can_edit=bool(may_edit_work_plan(user, plan)),
            can_decide=bool(may_decide(user)) and plan.state == PlanState.SUBMITTED,
            decision_form=PlanDecisionForm(),
            due=due,
            overdue=plan_is_overdue(due_date=due, first_submitted_at=plan.first_submitted_at),
            queue=PlanQueueView.navigation(self.request, plan.pk),
        )
        return context


class PlanDecisionView(PortalLoginRequiredMixin, View):
    action = "approve"

    def post(self, request, pk):
        may_decide(request.user).check()
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
            if PlanQueueView.queue_query(request.POST) is not None:
                # Back to the same plan, still within the queue.
                return redirect(PlanQueueView.stay_url(request, pk))
        # Decided from the queue: on to the next plan waiting under the same filters.
        queue_next = PlanQueueView.after_decision_url(request, pk)
        if queue_next:
            return redirect(queue_next)
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("plan-detail", pk=pk)


PLAN_EXPORT_COLUMNS = [
    Column(gettext_lazy("企业"), "enterprise.name", width=28),
    Column(gettext_lazy("所属区域"), "enterprise.region.name"),
    Column(gettext_lazy("驻企批次"), "programme.name", width=24),
    Column(gettext_lazy("状态"), "get_state_display"),
    Column(gettext_lazy("已报送版本数"), "latest_number"),
    Column(gettext_lazy("现行批准版本"), "approved_number"),
    Column(gettext_lazy("首次报送时间"), "first_submitted_at"),
    Column(gettext_lazy("更新时间"), "updated_at"),
]

PLAN_SORT_FIELDS = {
    "enterprise": (gettext_lazy("企业"), ("enterprise__sort_key",)),
    "programme": (gettext_lazy("驻企批次"), ("programme__start_date", "programme__sort_key")),
    "state": (gettext_lazy("状态"), ("state",)),
    "first_submitted_at": (gettext_lazy("首次报送时间"), ("first_submitted_at",)),
    "updated_at": (gettext_lazy("更新时间"), ("updated_at",)),
}


class PlanListView(FilteredListView):
    """Every work plan the user may see: by programme, state, dispatching unit, enterprise."""

    template_name = "stationing/plans/plan_list.html"
    filterset_class = WorkPlanFilterSet
    context_object_name = "plans"
    sort_fields = PLAN_SORT_FIELDS
    export_columns = PLAN_EXPORT_COLUMNS
    export_title = gettext_lazy("工作计划")

    def get_base_queryset(self):
        return work_plan_list(user=self.request.user)


class PlanQueueView(QueueMixin, OfficeOrLeaderRequiredMixin, FilteredListView):
    """Plans waiting for approval (oldest first, filtered, paged, exportable), and stationings
    whose plan is overdue. A plan opened from here offers 审阅下一份."""

    template_name = "stationing/plans/plan_queue.html"
    filterset_class = WorkPlanFilterSet
    context_object_name = "queue"
    hidden_filters = ("state",)
    sort_fields = PLAN_SORT_FIELDS
    export_columns = PLAN_EXPORT_COLUMNS
    export_title = gettext_lazy("待审批的工作计划")
    queue_url_name = "plan-queue"
    detail_url_name = "plan-detail"

    def get_base_queryset(self):
        return plan_approval_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        overdue = overdue_plan_list(user=user)
        # The keys first, without the display joins: PostgreSQL cannot tell how few stationings
        # are "first at their enterprise" and joined every one to its units (6 s a province).
        keys = list(overdue.values_list("pk", flat=True)[:OVERDUE_PLANS_LISTED])
        listed = sorted(page_rows(overdue, keys), key=lambda a: (a.start_date, a.pk))
        context.update(
            overdue=[
                {
                    "assignment": assignment,
                    "due": plan_due_date_from(
                        assignment.start_date, assignment.programme.plan_due_days
                    ),
                }
                for assignment in listed
            ],
            overdue_count=overdue.count(),
            can_decide=bool(may_decide(user)),
        )
        return context
