"""The A4 print view of a ticket with its timeline (templates/print_base.html): the browser
prints it. The ticket is read as on its detail page (scoped_ticket: out of scope is a 404), and
so is its timeline (ticket_event_list)."""

from django.utils import timezone
from django.views.generic import TemplateView

from core.views import PortalLoginRequiredMixin

from .. import selectors
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
