"""Notification pages: the inbox, e-mail preferences with the calendar subscription, the
office's list of failed deliveries, and the iCalendar feed itself.

Reads through supervision.selectors (a user only ever sees their own notifications: another
user's is a 404), writes through supervision.notification_services.
"""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import EmailAddressField, PortalForm
from core.roles import actor_for
from core.views import OfficeRequiredMixin, PortalLoginRequiredMixin

from . import selectors, services
from .kinds import all_kinds, kind_label, kinds_for_roles

# --- Links: only paths on this site -----------------------------------------------------------


def local_path(link: str) -> str | None:
    """`link` as a path on this site, or None when it could lead elsewhere (never an open
    redirect: no scheme, no host, no protocol-relative or backslash tricks)."""
    link = (link or "").strip()
    site = settings.SITE_URL
    if site and link.startswith(f"{site}/"):
        link = link[len(site) :]
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in link):
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return None
    return link


def _back(request, default: str):
    target = local_path(request.POST.get("next", ""))
    return redirect(target or default)


# --- Inbox ------------------------------------------------------------------------------------


class NotificationListView(PortalLoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    @property
    def unread_only(self) -> bool:
        return self.request.GET.get("unread") == "1"

    def get_queryset(self):
        queryset = selectors.notification_list(user=self.request.user)
        if self.unread_only:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def paginate_queryset(self, queryset, page_size):
        # A page that emptied (items marked read under "unread") shows the last page, not 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for notification in context["notifications"]:
            notification.target = local_path(notification.link)
        context["unread_only"] = self.unread_only
        context["is_office"] = actor_for(self.request.user).is_office
        return context


class NotificationReadView(PortalLoginRequiredMixin, View):
    """POST /notifications/<pk>/read/: mark one read, back to where the user was."""

    def post(self, request, pk):
        notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        return _back(request, reverse("notification-list"))


class NotificationReadAllView(PortalLoginRequiredMixin, View):
    def post(self, request):
        count = services.notification_mark_all_read(user=request.user)
        if count:
            messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
        else:
            messages.info(request, _("没有未读通知。"))
        return _back(request, reverse("notification-list"))


class NotificationOpenView(PortalLoginRequiredMixin, View):
    """GET /notifications/<pk>/open/: mark read, then go to what the notification is about."""

    def get(self, request, pk):
        notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        target = local_path(notification.link)
        if target is None:
            return redirect("notification-list")
        return redirect(target)


# --- Preferences and the calendar subscription ------------------------------------------------


def kinds_for(user) -> list[str]:
    """The kinds shown on the user's settings page: those of their roles and any they received,
    in the order the apps registered them (notifications.kinds)."""
    actor = actor_for(user)
    wanted = set(selectors.received_notification_kinds(user=user))
    wanted.update(kinds_for_roles(actor.roles))
    everything = [kind.value for kind in all_kinds()]
    if actor.is_superuser or not wanted:
        return everything
    return [kind for kind in everything if kind in wanted]


class NotificationSettingsForm(PortalForm):
    # Normalised and checked as on every other page, the API and the import (core.validators).
    email = EmailAddressField(
        label=gettext_lazy("邮箱地址"),
        required=False,
        help_text=gettext_lazy("邮件通知发送到这个地址；不填则不发邮件。"),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[f"kind_{kind}"] = forms.BooleanField(label=kind_label(kind), required=False)

    def kind_rows(self):
        return [(kind, self[f"kind_{kind}"]) for kind in self.kinds]

    def email_kinds(self) -> set[str]:
        return {kind for kind in self.kinds if self.cleaned_data.get(f"kind_{kind}")}


def feed_urls(token: str) -> dict:
    path = reverse("calendar-feed", args=[token])
    https = f"{settings.SITE_URL}{path}"
    webcal = "webcal://" + https.split("://", 1)[-1]
    return {"https": https, "webcal": webcal}


class NotificationSettingsView(PortalLoginRequiredMixin, FormView):
    template_name = "notifications/settings.html"
    form_class = NotificationSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = kinds_for(self.request.user)
        return kwargs

    def get_initial(self):
        saved = selectors.notification_preference_map(user=self.request.user)
        initial = {"email": self.request.user.email}
        for kind in kinds_for(self.request.user):
            initial[f"kind_{kind}"] = saved.get(kind, True)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = services.calendar_feed_for(user=self.request.user)
        context["feed"] = feed_urls(feed.token)
        context["has_email"] = bool(self.request.user.email)
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                services.notification_preferences_save(
                    user=self.request.user,
                    kinds=form.kinds,
                    email_kinds=form.email_kinds(),
                    email=form.cleaned_data["email"],
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("通知设置已保存。"))
        return redirect("notification-settings")


class CalendarFeedResetView(PortalLoginRequiredMixin, View):
    def post(self, request):
        services.calendar_feed_reset(user=request.user)
        messages.success(
            request, _("已生成新的日历订阅地址，原地址已失效。请在手机日历中重新订阅。")
        )
        return redirect(reverse("notification-settings") + "#calendar")


# --- Failed deliveries (office) ---------------------------------------------------------------

FAILURE_LIMIT = 200


class NotificationFailuresView(OfficeRequiredMixin, TemplateView):
    template_name = "notifications/failures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        emails = selectors.failed_email_list(user=self.request.user)
        hooks = selectors.failed_webhook_list(user=self.request.user)
        hook_rows = list(hooks[:FAILURE_LIMIT])
        for delivery in hook_rows:
            # The robot URL's query holds its secret key: show where it goes, not the key.
            delivery.host = urlsplit(delivery.url).netloc
        context.update(
            emails=list(emails[:FAILURE_LIMIT]),
            email_total=emails.count(),
            hooks=hook_rows,
            hook_total=hooks.count(),
            limit=FAILURE_LIMIT,
        )
        return context


class FailedEmailRetryView(OfficeRequiredMixin, View):
    def post(self, request, pk):
        notification = get_object_or_404(selectors.email_delivery_list(user=request.user), pk=pk)
        if services.notification_email_retry(notification=notification):
            messages.success(
                request,
                _("已重新发送给%(name)s的邮件。") % {"name": _person_name(notification.recipient)},
            )
        else:
            messages.info(request, _("这条通知已不是发送失败状态，无需重发。"))
        return redirect("notification-failures")


class FailedWebhookRetryView(OfficeRequiredMixin, View):
    def post(self, request, pk):
        delivery = get_object_or_404(selectors.webhook_delivery_list(user=request.user), pk=pk)
        if services.webhook_delivery_retry(delivery=delivery):
            messages.success(
                request, _("已重新推送到%(unit)s的机器人。") % {"unit": delivery.unit.name}
            )
        else:
            messages.info(request, _("这条推送已不是发送失败状态，无需重发。"))
        return redirect("notification-failures")


def _person_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "name", "") if profile else "") or user.get_username()
