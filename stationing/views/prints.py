"""A4 print views of a half-monthly report and a work plan (templates/print_base.html): the
browser prints them. Kept apart from the detail pages because they share the print layout, not
the pages' forms; each reads its object through the same scoped selector as its detail page, so
whoever may not see the page gets the same 404.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.views import PortalLoginRequiredMixin

from ..selectors import (
    assignment_list,
    period_status,
    plan_is_overdue,
    report_list,
    work_plan_due_date,
    work_plan_list,
)
from ..services import report_content


class ReportPrintView(PortalLoginRequiredMixin, TemplateView):
    """The latest submitted version (what the office received); a draft prints as it stands."""

    template_name = "stationing/reports/report_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = get_object_or_404(report_list(user=self.request.user), pk=kwargs["pk"])
        version = report.versions.order_by("-number").first()
        context.update(
            report=report,
            version=version,
            content=version.content if version is not None else report_content(report),
            status=period_status(report=report, period=report.period, now=timezone.localtime()),
        )
        return context


class PlanPrintView(PortalLoginRequiredMixin, TemplateView):
    template_name = "stationing/plans/plan_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = get_object_or_404(work_plan_list(user=user), pk=kwargs["pk"])
        due = work_plan_due_date(plan)
        context.update(
            plan=plan,
            items=plan.items.filter(is_active=True).order_by("position", "id"),
            # The cadres stationed at the enterprise in this programme, as far as the user sees.
            stationed=assignment_list(user=user)
            .filter(programme_id=plan.programme_id, enterprise_id=plan.enterprise_id)
            .select_related("cadre__unit"),
            versions=plan.versions.select_related("submitted_by__profile", "decided_by__profile"),
            due=due,
            overdue=plan_is_overdue(due_date=due, first_submitted_at=plan.first_submitted_at),
        )
        return context
