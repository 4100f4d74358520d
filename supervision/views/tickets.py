"""Ticket pages: list, detail with its actions, raising, inbox, enterprise page, attachments and
the office's calendar settings.

Reads go through supervision.selectors (scoped: a ticket out of scope is a 404, attachments
included), writes through supervision.services. Which actions a user sees and may post is
decided by supervision.permissions: a role that may not take a step gets 403; a step its role
may take but the ticket's state no longer allows (someone acted first) comes back as a message.
"""

import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.choices import Role
from core.dates import local_date
from core.exports import Column
from core.forms import apply_validation_error
from core.inputs import parse_id
from core.permissions import is_office
from core.roles import actor_for
from core.selectors import unit_list
from core.views import (
    FilteredListView,
    PortalLoginRequiredMixin,
    RoleRequiredMixin,
    ServiceFormView,
)
from stationing.selectors import report_list

from .. import attachments, permissions, selectors, services, steps
from ..choices import Colour, ExtensionState, TicketState
from ..filtersets import TicketFilterSet
from ..forms import tickets as forms
from ..workdays import WorkCalendar, colour, working_days_left


def annotate_clock(tickets, now: datetime.datetime | None = None) -> None:
    """Set `colour` and `days_left` on each ticket, loading the calendar once for all."""
    tickets = list(tickets)
    now = now or timezone.now()
    today = local_date(now)
    deadlines = [t.deadline for t in tickets if t.deadline is not None]
    calendar = None
    if deadlines:
        years = [today.year] + [local_date(d).year for d in deadlines]
        calendar = WorkCalendar.load(min(years) - 1, max(years) + 1)
    for ticket in tickets:
        ticket.colour = colour(ticket, now)
        ticket.days_left = (
            working_days_left(ticket.deadline, today, calendar)
            if ticket.colour is not None
            else None
        )


def _person(user) -> str:
    return getattr(getattr(user, "profile", None), "name", "") or getattr(user, "username", "")


def _colour_label(ticket) -> str:
    return str(dict(Colour.choices).get(ticket.colour, "")) if ticket.colour else ""


TICKET_EXPORT_COLUMNS = [
    Column(gettext_lazy("编号"), "number"),
    Column(gettext_lazy("标题"), "title", width=40),
    Column(gettext_lazy("企业"), "enterprise.name", width=28),
    Column(gettext_lazy("类别"), "get_category_display"),
    Column(gettext_lazy("紧急程度"), "get_urgency_display"),
    Column(gettext_lazy("层级"), "get_level_display"),
    Column(gettext_lazy("状态"), "get_state_display"),
    Column(gettext_lazy("承办单位"), "responsible_unit.name", width=24),
    Column(gettext_lazy("包案领导"), lambda t: _person(t.leader) if t.leader_id else ""),
    Column(gettext_lazy("提出人"), lambda t: _person(t.raised_by) if t.raised_by_id else ""),
    Column(gettext_lazy("提出时间"), "created_at"),
    Column(gettext_lazy("办结期限"), "deadline"),
    Column(gettext_lazy("亮牌"), _colour_label),
    Column(gettext_lazy("剩余工作日"), "days_left"),
    Column(gettext_lazy("督办"), "is_urged"),
    Column(gettext_lazy("办结时间"), "closed_at"),
    Column(gettext_lazy("满意度"), "get_satisfaction_display"),
]


class TicketSortingMixin:
    """The ticket lists' sortable columns and export (TicketFilterSet's `ordering`); the
    urgency order (red, yellow, nearest deadline) is the default and has one direction."""

    sort_columns = ("urgency", "deadline", "created_at", "number")
    default_sort = "urgency"
    one_way_sorts = ("urgency",)
    export_columns = TICKET_EXPORT_COLUMNS

    def get_export_rows(self, queryset):
        tickets = list(queryset)
        annotate_clock(tickets)
        return tickets


class TicketListView(TicketSortingMixin, FilteredListView):
    template_name = "supervision/tickets/ticket_list.html"
    filterset_class = TicketFilterSet
    context_object_name = "tickets"
    export_title = gettext_lazy("企业诉求")

    def get_base_queryset(self):
        # Red, then yellow, then the nearest deadline, unless a column header asks otherwise.
        return selectors.by_urgency(selectors.ticket_list(user=self.request.user))

    @cached_property
    def state_counts(self) -> dict[str, int]:
        """Counts per state under the other filters, so the tabs say what a click would show."""
        params = self.request.GET.copy()
        params.pop("state", None)
        params.pop("page", None)
        others = TicketFilterSet(
            params or None,
            queryset=selectors.ticket_list(user=self.request.user),
            request=self.request,
        )
        return selectors.state_counts(others.qs if others.is_valid() else others.queryset)

    def get_paginator(self, queryset, per_page, **kwargs):
        """The tabs' counts add up to the list's: one pass over the table instead of two."""
        if self.filterset.is_bound and not self.filterset.is_valid():
            count = 0
        elif self.filterset.form.cleaned_data.get("state") if self.filterset.is_bound else "":
            count = self.state_counts.get(self.filterset.form.cleaned_data["state"], 0)
        else:
            count = sum(self.state_counts.values())
        return super().get_paginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        annotate_clock(context["tickets"])
        counts = self.state_counts
        context["state_tabs"] = [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in TicketState.choices
            if counts.get(value)
        ]
        context["count_all"] = sum(counts.values())
        context["current_state"] = self.request.GET.get("state", "")
        context["is_office"] = bool(is_office(self.request.user))
        context["can_raise"] = bool(permissions.may_raise_tickets(self.request.user))
        context["is_leader"] = actor_for(self.request.user).has(Role.LEADER)
        context["current_awaiting"] = self.request.GET.get("awaiting", "")
        context["current_led"] = self.request.GET.get("led_by_me", "") == "true"
        return context


class TicketInboxView(TicketSortingMixin, RoleRequiredMixin, FilteredListView):
    """The department's inbox: its unit's tickets whose clock runs, most urgent first, with the
    same filters and sortable columns as the ticket list (one TicketFilterSet)."""

    template_name = "supervision/tickets/ticket_inbox.html"
    filterset_class = TicketFilterSet
    context_object_name = "tickets"
    export_title = gettext_lazy("待办诉求")

    def has_permission(self):
        return bool(permissions.may_use_inbox(self.request.user))

    def get_base_queryset(self):
        return selectors.department_inbox(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        annotate_clock(context["tickets"])
        context["unit"] = (
            unit_list(user=self.request.user)
            .filter(pk=actor_for(self.request.user).unit_id)
            .first()
        )
        return context


class TicketMineView(PortalLoginRequiredMixin, ListView):
    """An enterprise contact's tickets (a cadre's: those they raised); first the answered ones
    waiting for their rating."""

    template_name = "supervision/tickets/ticket_mine.html"
    context_object_name = "tickets"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return selectors.own_ticket_list(user=self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        waiting = list(selectors.awaiting_rating(user=user, within=self.get_queryset()))
        annotate_clock([*context["tickets"], *waiting])
        context["awaiting"] = waiting
        context["can_raise"] = bool(permissions.may_raise_tickets(user))
        return context


def make_action_form(step: steps.Step, ticket, user, data=None, files=None):
    return step.form(data, files, prefix=step.slug, ticket=ticket, user=user)


def scoped_ticket(user, pk):
    queryset = selectors.ticket_list(user=user).prefetch_related("co_units")
    return get_object_or_404(queryset, pk=pk)


def _name_hand_over_targets(events) -> None:
    usernames = {e.data.get("to") for e in events if e.kind == "hand_over" and e.data}
    usernames.discard(None)
    if not usernames:
        return
    names = selectors.person_names(usernames=usernames)
    for event in events:
        if event.kind == "hand_over" and event.data:
            event.to_name = names.get(event.data.get("to")) or ""


def detail_context(request, ticket, bound=None) -> dict:
    """Everything the detail page shows; `bound` is an action form with errors to show again."""
    user = request.user
    now = timezone.now()
    annotate_clock([ticket], now)
    files = list(
        selectors.attachment_list(user=user)
        .filter(ticket=ticket)
        .select_related("uploaded_by__profile")
        .order_by("uploaded_at", "pk")
    )
    by_event = {}
    for attachment in files:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    events = list(selectors.ticket_event_list(user=user, ticket=ticket).order_by("at", "pk"))
    for event in events:
        event.files = by_event.get(event.pk, [])
    _name_hand_over_targets(events)
    allowed = permissions.allowed_actions(user, ticket, now)
    actions = []
    for step in (steps.STEPS[name] for name in allowed):
        form = bound if bound is not None and bound.prefix == step.slug else None
        actions.append(
            {
                "name": step.name,
                "slug": step.slug,
                "label": step.label_for(ticket),
                "button": step.button,
                "form": form or make_action_form(step, ticket, user),
                "open": form is not None,
                "url": reverse("ticket-action", args=[ticket.pk, step.slug]),
            }
        )
    if bound is not None and not any(a["open"] for a in actions):
        messages.error(request, _("该操作当前不可用。"))
    extensions = list(selectors.extension_list(user=user, ticket=ticket))
    problem = ticket.report_problem if ticket.report_problem_id else None
    report_visible = bool(problem and report_list(user=user).filter(pk=problem.report_id).exists())
    return {
        "ticket": ticket,
        "events": events,
        "extensions": extensions,
        "approved_extension_days": approved_extension_days(ticket, extensions),
        "attachments": files,
        "actions": actions,
        "problem": problem,
        "report_visible": report_visible,
        "owner_is_unit_pending": ticket.owner_id is None and ticket.responsible_unit_id,
        "objection_open": permissions.OBJECT in allowed,
        "now": now,
    }


def approved_extension_days(ticket, extensions) -> int:
    """Working days of the extensions approved since the ticket was last (re)assigned: those
    are in its time limit (a reopening keeps them, a reassignment starts afresh)."""
    if ticket.assigned_at is None:
        return 0
    return sum(
        e.days
        for e in extensions
        if e.state == ExtensionState.APPROVED
        and e.decided_at
        and e.decided_at >= ticket.assigned_at
    )


class TicketDetailView(PortalLoginRequiredMixin, TemplateView):
    template_name = "supervision/tickets/ticket_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request, scoped_ticket(self.request.user, kwargs["pk"])))
        return context


class TicketActionView(PortalLoginRequiredMixin, View):
    """POST /tickets/<pk>/<slug>/: one step of the loop, as supervision.steps describes it."""

    def get(self, request, pk, action):
        return redirect("ticket-detail", pk=pk)

    def post(self, request, pk, action):
        step = steps.BY_SLUG.get(action)
        if step is None:
            raise Http404
        ticket = scoped_ticket(request.user, pk)
        permissions.may_attempt(request.user, ticket, step.name).check()
        verdict = steps.possible_now(step, request.user, ticket)
        if not verdict:
            messages.error(request, verdict.reason)
            return redirect("ticket-detail", pk=ticket.pk)
        form = make_action_form(step, ticket, request.user, request.POST, request.FILES)
        if form.is_valid():
            uploads = form.files_to_attach() if step.attachments else []
            try:
                steps.take(
                    step, ticket=ticket, by=request.user, data=form.cleaned_data, uploads=uploads
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "state" or not hasattr(exc, "error_dict"):
                    # Refused by the state machine (e.g. another officer acted first).
                    messages.error(request, " ".join(exc.messages))
                    return redirect("ticket-detail", pk=ticket.pk)
                apply_validation_error(form, exc)
            else:
                if isinstance(form, forms.AttachmentFormMixin):
                    form.discard_staged()
                messages.success(request, str(step.done))
                return redirect("ticket-detail", pk=ticket.pk)
            finally:
                close_staged(uploads)
        if isinstance(form, forms.AttachmentFormMixin):
            form.keep_for_redisplay()
        ticket = scoped_ticket(request.user, pk)
        context = detail_context(request, ticket, bound=form)
        return render(request, "supervision/tickets/ticket_detail.html", context)


def close_staged(files) -> None:
    for upload in files:
        if not hasattr(upload, "content_type"):  # a staged file we opened
            upload.close()


def attach_all(ticket, user, files) -> None:
    """Attach the form's files to the step just taken (staged files are closed afterwards)."""
    try:
        services.ticket_attach_many(ticket=ticket, by=user, uploads=files)
    finally:
        close_staged(files)


class TicketCreateView(RoleRequiredMixin, ServiceFormView):
    form_class = forms.TicketCreateForm
    template_name = "supervision/tickets/ticket_form.html"
    title = gettext_lazy("提出企业诉求")
    success_message = gettext_lazy("诉求已提交，督查室受理后会交办相关部门。")

    def has_permission(self):
        return bool(permissions.may_raise_tickets(self.request.user))

    @cached_property
    def enterprises(self):
        return selectors.raisable_enterprise_list(user=self.request.user)

    @cached_property
    def chosen_enterprise(self):
        value = self.request.GET.get("enterprise", "")
        if not value:
            return None
        pk = parse_id(value)
        if pk is None:
            raise Http404
        return get_object_or_404(self.enterprises, pk=pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["enterprises"] = self.enterprises
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.chosen_enterprise is not None:
            initial["enterprise"] = self.chosen_enterprise.pk
        return initial

    def get_cancel_url(self):
        if self.chosen_enterprise is not None:
            return reverse("enterprise-detail", args=[self.chosen_enterprise.pk])
        return reverse("ticket-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("duplicates", [])
        context["problem"] = getattr(self, "problem", None)
        return context

    def form_invalid(self, form):
        form.keep_for_redisplay()
        return super().form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        if not data.get("confirm_duplicate"):
            duplicates = list(
                selectors.open_duplicates(
                    user=self.request.user,
                    enterprise_id=data["enterprise"].pk,
                    category=data["category"],
                ).order_by("-created_at")[:10]
            )
            if duplicates:
                form.keep_for_redisplay()
                form.data["confirm_duplicate"] = "True"
                annotate_clock(duplicates)
                return self.render_to_response(
                    self.get_context_data(form=form, duplicates=duplicates)
                )
        response = super().form_valid(form)
        if not form.errors:
            form.discard_staged()
        return response

    def perform(self, form):
        data = form.cleaned_data
        ticket = services.ticket_create(
            by=self.request.user,
            enterprise=data["enterprise"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
            urgency=data["urgency"],
            report_problem=getattr(self, "problem", None),
            project_formality=getattr(self, "formality", None),
            project_problem=getattr(self, "project_problem", None),
        )
        files = form.files_to_attach()
        if files:
            attach_all(ticket, self.request.user, files)
        return ticket

    def get_success_url_for(self, obj):
        return reverse("ticket-detail", args=[obj.pk])


class TicketFromProblemView(TicketCreateView):
    """One action from a half-month report's problem line: the problem text prefilled, the
    ticket linked to it. A problem already turned into a ticket goes to that ticket."""

    title = gettext_lazy("问题转为诉求")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.problem = get_object_or_404(
            selectors.report_problem_list(user=request.user), pk=kwargs["problem_pk"]
        )
        existing = selectors.ticket_list(user=request.user).filter(report_problem=self.problem)
        existing = existing.first()
        if existing is not None:
            messages.info(request, _("该问题已转为诉求 %(number)s。") % {"number": existing.number})
            return redirect("ticket-detail", pk=existing.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def enterprises(self):
        return selectors.raisable_enterprise_list(user=self.request.user).filter(
            pk=self.problem.report.assignment.enterprise_id
        )

    def has_permission(self):
        return bool(
            permissions.can_raise_for(
                self.request.user, self.problem.report.assignment.enterprise_id
            )
        )

    @cached_property
    def chosen_enterprise(self):
        return self.enterprises.first()

    def get_initial(self):
        initial = super().get_initial()
        text = self.problem.description.strip()
        initial["title"] = problem_title(text)
        initial["description"] = text
        return initial

    def get_cancel_url(self):
        return reverse("report-detail", args=[self.problem.report_id])

    def get_context_data(self, **kwargs):
        report = self.problem.report
        kwargs.setdefault(
            "subtitle",
            _("来自 %(enterprise)s %(period)s半月报")
            % {
                "enterprise": report.assignment.enterprise.name,
                "period": report.period.label,
            },
        )
        return super().get_context_data(**kwargs)


def problem_title(text: str, limit: int = 40) -> str:
    """The first sentence of a problem line, at most `limit` characters."""
    first = text.splitlines()[0] if text else ""
    for mark in "。；;！!？?":
        if mark in first:
            first = first.split(mark, 1)[0]
    first = re.sub(r"[，,、\s]+$", "", first.strip())
    return first if len(first) <= limit else first[: limit - 1] + "…"


class AttachmentDownloadView(PortalLoginRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(selectors.attachment_list(user=request.user), pk=pk)
        return attachments.download_response(attachment)
