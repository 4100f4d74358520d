"""A4 print views (templates/print_base.html): the browser prints them.

- a ticket with its timeline, read as on its detail page (scoped_ticket: out of scope is a
  404), and so is its timeline (ticket_event_list);
- an appraisal run's cadre table and one cadre's result with what was counted, read through
  the same scoped selectors as their pages (scoped_run, cadre_result_list, scoped_result).
"""

from django.utils import timezone
from django.views.generic import TemplateView

from core.roles import actor_for
from core.views import PortalLoginRequiredMixin

from .. import selectors
from .appraisal import breakdown, counted_items, scoped_result, scoped_run
from .tickets import _name_hand_over_targets, annotate_clock, scoped_ticket


class TicketPrintView(PortalLoginRequiredMixin, TemplateView):
    template_name = "supervision/tickets/ticket_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        ticket = scoped_ticket(user, kwargs["pk"])
        annotate_clock([ticket], timezone.now())
        events = list(selectors.ticket_event_list(user=user, ticket=ticket).order_by("at", "pk"))
        _name_hand_over_targets(events)
        context.update(ticket=ticket, events=events)
        return context


class AppraisalRunPrintView(PortalLoginRequiredMixin, TemplateView):
    """A run's ranked cadre table with grades, its as-of date, version and state (a draft is
    marked as one), as far as the user may read it (a cadre: their own row)."""

    template_name = "supervision/appraisal/run_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = scoped_run(user, kwargs["pk"])
        actor = actor_for(user)
        context.update(
            run=run,
            # Only what the table shows: each row's detail (what was counted) and its run's and
            # programme's settings are JSON, decoded per row: 5 of a province's 13 s.
            results=selectors.cadre_result_list(user=user, run=run)
            .select_related(None)
            .select_related("cadre", "unit")
            .defer("detail")
            .order_by("rank", "cadre__sort_key", "pk"),
            oversees=actor.is_office or actor.sees_programmes_of_unit,
            weights=run.settings_snapshot.get("weights", {}),
        )
        return context


class CadreResultPrintView(PortalLoginRequiredMixin, TemplateView):
    """One cadre's result: the components with their weights and the items counted."""

    template_name = "supervision/appraisal/result_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        result = scoped_result(user, kwargs["pk"])
        context.update(
            result=result,
            run=result.run,
            breakdown=breakdown(result),
            counted=counted_items(user, result),
        )
        return context
