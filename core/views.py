"""Building blocks shared by every app's HTML pages.

Views stay thin: they pick a selector (reads), a FilterSet (list filters) and a service (writes).
What every page needs in the same way lives here:

- `PortalLoginRequiredMixin` / `RoleRequiredMixin` / `OfficeRequiredMixin`: sign-in and role
  checks. A user without the role gets 403; an object outside their scope is a 404 (views fetch
  objects with get_object_or_404 on a selector's queryset, so existence is never disclosed).
- `FilteredListMixin`: a scoped queryset, narrowed by the model's FilterSet, paginated.
- Forms: core.forms.
- `ServiceFormView`: form_valid calls one service inside a transaction, maps a service's
  ValidationError back onto the form fields, refuses stale edits with the service's message and
  sends a double submit of a create form to where the first one went.
"""

import copy
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.forms import HiddenInput
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView

from . import audit
from .exports import Column, workbook_bytes
from .filtersets import AuditEventFilterSet
from .forms import SMALL_CSS, apply_validation_error, widget_css_class
from .idempotency import AlreadySubmitted, claim_token, previous_submission, record_result
from .locking import StaleEditError
from .paging import NarrowPaginator
from .permissions import is_office, is_office_or_leader, may_read_audit
from .selectors import (
    api_token_expires_at,
    api_token_for,
    api_token_is_expired,
    audit_event_list,
)
from .services import api_token_issue, api_token_revoke
from .widgets import fast_select


class PortalLoginRequiredMixin(LoginRequiredMixin):
    """Every portal page requires a signed-in user (anonymous users go to the login page)."""


class RoleRequiredMixin(PortalLoginRequiredMixin):
    """Refuse (403) a signed-in user for whom `has_permission()` is false.

    Subclasses override `has_permission`; the check runs before the view does anything else.
    """

    def has_permission(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeRequiredMixin(RoleRequiredMixin):
    """Pages of the supervision office (and superusers) only: setting up programme data,
    imports, time limits, failed deliveries. The one office mixin of the portal."""

    def has_permission(self) -> bool:
        return bool(is_office(self.request.user))


class OfficeOrLeaderRequiredMixin(RoleRequiredMixin):
    """The office's overviews, which leaders read too (matrix, queues)."""

    def has_permission(self) -> bool:
        return bool(is_office_or_leader(self.request.user))


class FilteredListMixin(PortalLoginRequiredMixin):
    """A list page: selector queryset -> FilterSet -> sort -> pagination (settings.PAGE_SIZE),
    and the same rows, all pages, as an Excel file (`?export=xlsx`).

    Subclasses set `filterset_class` and implement `get_base_queryset()` with a selector call.
    The context gets `filterset`, `total` (matching rows, all pages), `filters_active`, the
    sortable columns (`sort_columns`, and `sort` by key) and `can_export`.

    Sorting (`?ordering=key` or `-key`): `sort_fields` maps each sortable column to its label
    and the fields it orders by (the API sorts with DRF's OrderingFilter on the same
    parameter). A FilterSet with its own `ordering` filter (tickets: shared with their API)
    sorts instead, and `sort_columns` picks which of its choices are headers. Every order ends
    with the primary key, so pages never overlap; without `ordering` the selector's (natural)
    order stays. `default_sort` is the column the unsorted page is in, `one_way_sorts` the
    columns with a single direction (tickets' urgency order).

    Export: `export_columns` (core.exports.Column, Chinese headers) and `export_title`; the rows
    are exactly the page's — the same selector, filters and order — without paging.
    `get_export_rows(queryset)` may prepare them (e.g. annotate, prefetch).
    """

    filterset_class = None
    # Keys of the page first, then its rows (core.paging): the list's time stays flat.
    paginator_class = NarrowPaginator
    # Query parameters that are not filters (kept in links, ignored by "filters active").
    non_filter_params = ("page", "ordering", "export")
    sort_param = "ordering"
    # {"name": (_("名称"), ("sort_key",)), ...}
    sort_fields: dict = {}
    sort_columns: tuple = ()
    default_sort = ""
    one_way_sorts: tuple = ()
    # Filters a page keeps in its URL but does not offer (e.g. "state" on a queue).
    hidden_filters: tuple = ()
    export_columns = None
    export_title = ""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get(self, request, *args, **kwargs):
        if self.export_columns is not None and request.GET.get("export") == "xlsx":
            return self.export_response()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        for name, field in self.filterset.form.fields.items():
            if name in self.hidden_filters:
                field.widget = HiddenInput()
                continue
            field.widget = fast_select(field.widget)
            css = widget_css_class(field.widget)
            field.widget.attrs["class"] = SMALL_CSS.get(css, css)
        # An invalid filter value (e.g. a region id that does not exist) shows the field error
        # and an empty list rather than silently ignoring the filter.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.sort(self.filterset.qs)

    def sort(self, queryset):
        """Order by the chosen column of `sort_fields` (an unknown key: the default order)."""
        value = self.request.GET.get(self.sort_param, "")
        spec = self.sort_fields.get(value.lstrip("-"))
        if spec is None:
            return queryset
        sign = "-" if value.startswith("-") else ""
        fields = [f"{sign}{field}" for field in spec[1]]
        return queryset.order_by(*fields, f"{sign}pk")

    # --- Export -------------------------------------------------------------------------------

    def get_export_title(self) -> str:
        return str(self.export_title)

    def get_export_rows(self, queryset):
        return queryset

    def export_response(self) -> HttpResponse:
        queryset = self.get_queryset()
        # A province's 100,000 tickets in one workbook take minutes and a gigabyte: past the
        # limit the list comes back with its filters and a request to narrow them.
        limit = settings.EXPORT_MAX_ROWS
        count = queryset.order_by().count()
        if count > limit:
            messages.error(
                self.request,
                _("共 %(count)s 条，超过一次导出的上限 %(limit)s 条，请先筛选缩小范围再导出。")
                % {"count": f"{count:,}", "limit": f"{limit:,}"},
            )
            query = self.request.GET.copy()
            query.pop("export", None)
            return redirect(
                f"{self.request.path}?{query.urlencode()}" if query else self.request.path
            )
        rows = self.get_export_rows(queryset)
        title = self.get_export_title()
        return xlsx_response(workbook_bytes(title, self.export_columns, rows), title)

    # --- Sorting ------------------------------------------------------------------------------

    def get_sort_columns(self) -> list[dict]:
        """The sortable column headers: each toggles between ascending and descending (a
        one-way order has one direction); the current one carries an arrow and aria-sort."""
        if self.sort_fields:
            labels = {key: label for key, (label, _fields) in self.sort_fields.items()}
        elif self.sort_param in self.filterset.form.fields:
            choices = self.filterset.form.fields[self.sort_param].choices
            labels = {str(value): label for value, label in choices if value}
        else:
            return []
        keys = self.sort_columns or [k for k in labels if not k.startswith("-")]
        current = self.request.GET.get(self.sort_param, "") or self.default_sort
        columns = []
        for key in keys:
            active = current.lstrip("-") == key
            descending = current.startswith("-")
            if key in self.one_way_sorts:
                target, arrow, aria = key, "", "other"
            elif active and not descending:
                target, arrow, aria = f"-{key}", "↑", "ascending"
            else:
                target, arrow, aria = key, "↓" if active else "", "descending"
            columns.append(
                {
                    "key": key,
                    "label": labels.get(key, key),
                    "target": target,
                    "active": active,
                    "arrow": arrow,
                    "aria_sort": aria if active else "none",
                }
            )
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        paginator = context.get("paginator")
        context["total"] = paginator.count if paginator else len(context["object_list"])
        context["filters_active"] = any(
            value for key, value in self.request.GET.items() if key not in self.non_filter_params
        )
        columns = self.get_sort_columns()
        context["sort_columns"] = columns
        context["sort"] = {column["key"]: column for column in columns}
        context["can_export"] = self.export_columns is not None
        return context


class QueueMixin:
    """A work queue (a FilteredListMixin page) whose items are decided one after the other.

    A queue page links each item as `<detail>?queue=<the page's filters and order>`. The detail
    page then offers 审阅下一份 (the next item in the same filtered queue) and its decision
    forms carry the `queue` value back; after a decision the user lands on the next item of
    the queue with the same filters, or on the queue itself when nothing else waits.
    Subclasses set `queue_url_name` and `detail_url_name`.
    """

    queue_param = "queue"
    queue_url_name = ""
    detail_url_name = ""

    @classmethod
    def queue_pks(cls, request, query: str) -> list[int]:
        """The queue's item ids, in its order, under the filters and order in `query`."""
        view = cls()
        shadow = copy.copy(request)
        shadow.GET = QueryDict(query)
        view.setup(shadow)
        return list(view.get_queryset().values_list("pk", flat=True))

    @classmethod
    def queue_query(cls, data) -> str | None:
        """The `queue` value of a request's GET or POST; None when not reached from a queue."""
        value = data.get(cls.queue_param)
        return None if value is None else str(value)

    @classmethod
    def detail_url(cls, pk: int, query: str) -> str:
        return f"{reverse(cls.detail_url_name, args=[pk])}?{urlencode({cls.queue_param: query})}"

    @classmethod
    def queue_url(cls, query: str) -> str:
        url = reverse(cls.queue_url_name)
        return f"{url}?{query}" if query else url

    @classmethod
    def navigation(cls, request, current: int) -> dict | None:
        """For a detail page reached from the queue: the next item's URL (None: no other item
        waits), the way back to the queue, how many wait and the value for decision forms."""
        query = cls.queue_query(request.GET)
        if query is None:
            return None
        pks = cls.queue_pks(request, query)
        following = queue_neighbour(pks, current)
        return {
            "query": query,
            "next_url": cls.detail_url(following, query) if following else None,
            "back_url": cls.queue_url(query),
            "count": len(pks),
        }

    @classmethod
    def stay_url(cls, request, current: int) -> str:
        """The item's own page after a decision that failed, still within the queue if it was
        reached from there."""
        query = cls.queue_query(request.POST)
        if query is None:
            return reverse(cls.detail_url_name, args=[current])
        return cls.detail_url(current, query)

    @classmethod
    def after_decision_url(cls, request, current: int) -> str | None:
        """Where a decision posted from the queue goes: the next waiting item (same filters),
        else the queue; None when the decision was not made from the queue."""
        query = cls.queue_query(request.POST)
        if query is None:
            return None
        following = queue_neighbour(cls.queue_pks(request, query), current)
        return cls.detail_url(following, query) if following else cls.queue_url(query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "export"):
            query.pop(name, None)
        context["queue_param"] = urlencode({self.queue_param: query.urlencode()})
        return context


def queue_neighbour(pks: list[int], current: int) -> int | None:
    """The item after `current` in a queue's order (wrapping round), or the first item when
    `current` has left the queue (it was just decided); None when nothing else is waiting."""
    if current in pks:
        index = pks.index(current)
        pks = pks[index + 1 :] + pks[:index]
    return pks[0] if pks else None


class FilteredListView(FilteredListMixin, ListView):
    pass


class ServiceFormView(PortalLoginRequiredMixin, FormView):
    """A form page whose valid submission calls one service.

    Subclasses implement:
    - `perform(form)`: call the service with form.cleaned_data and return the saved object;
    - `get_success_url_for(obj)`: where to go after saving.

    Create forms (with `TokenFormMixin`) are idempotent: the token is claimed in the same
    transaction as the service call and remembers the success URL. Edit forms (with
    `VersionedFormMixin`) pass `self.expected_version(form)` to the *_update service.
    """

    success_message = _("已保存")
    duplicate_message = _("该表单已经提交过，以下是第一次提交保存的结果。")
    template_name = "includes/form_page.html"
    title = ""
    cancel_url = None
    # [(legend or None, [field names], "Bootstrap column classes"), ...]; None: one group.
    fieldsets = None
    # Fields the page's template places itself (left out of the generic groups).
    manual_fields = ()
    # The pages above this one in the breadcrumb, [(label, url), ...] after 首页; the page's
    # title comes last (base.html renders `breadcrumbs`).
    breadcrumb_parents = ()

    def perform(self, form):
        raise NotImplementedError

    def get_success_url_for(self, obj) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return self.cancel_url or "/"

    def get_breadcrumb_parents(self) -> list:
        return list(self.breadcrumb_parents)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("breadcrumbs", [*self.get_breadcrumb_parents(), (context["title"], "")])
        context.setdefault("cancel_url", self.get_cancel_url())
        context.setdefault("stale", getattr(self, "stale", False))
        context.setdefault("subtitle", "")
        context["fieldsets"] = self.get_fieldsets(context["form"])
        return context

    def get_fieldsets(self, form) -> list[dict]:
        """Group the visible fields for the template; a field left out of `fieldsets` is added
        to a last group, so it is never silently missing from the page."""
        visible = [
            name
            for name, field in form.fields.items()
            if not field.widget.is_hidden and name not in self.manual_fields
        ]
        spec = list(self.fieldsets or [(None, visible, "col-12")])
        placed = {name for _legend, names, _col in spec for name in names}
        rest = [name for name in visible if name not in placed]
        if rest:
            spec.append((None, rest, "col-12"))
        return [
            {"legend": legend, "col": col, "fields": [form[n] for n in names if n in form.fields]}
            for legend, names, col in spec
        ]

    @staticmethod
    def expected_version(form) -> int | None:
        return form.cleaned_data.get("version")

    @staticmethod
    def service_fields(form, exclude=()) -> dict:
        """cleaned_data without the bookkeeping fields (version, form_token) and `exclude`."""
        skip = {"version", "form_token", *exclude}
        return {k: v for k, v in form.cleaned_data.items() if k not in skip}

    def post(self, request, *args, **kwargs):
        # A resubmitted create form goes where the first submission went, before validation:
        # validating again would only report the first submission's own object as a duplicate.
        previous = previous_submission(token=request.POST.get("form_token"), user=request.user)
        if previous is not None:
            messages.info(request, self.duplicate_message)
            return redirect(previous.result_url or self.get_cancel_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                token = None
                if "form_token" in form.fields:
                    token = claim_token(
                        token=form.cleaned_data.get("form_token"), user=self.request.user
                    )
                obj = self.perform(form)
                url = self.get_success_url_for(obj)
                if token is not None:
                    record_result(token, url)
        except AlreadySubmitted as exc:
            messages.info(self.request, self.duplicate_message)
            return redirect(exc.result_url or self.get_cancel_url())
        except StaleEditError as exc:
            # The user's input stays in the bound form; the message says who changed it when.
            self.stale = True
            form.add_error(None, exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, str(self.success_message))
        return redirect(url)


class ServiceUpdateView(ServiceFormView):
    """An edit page for one object: fetched through a selector (out of scope: 404), the form
    bound to it, and the object's *_update service called with the version the form loaded.

    Subclasses set `selector` (e.g. enterprise_list), `update_service` (e.g. enterprise_update),
    `object_kwarg` (the service's keyword for the object) and `detail_url_name`.
    """

    selector = None
    update_service = None
    object_kwarg = ""
    detail_url_name = ""

    @cached_property
    def object(self):
        selector = type(self).selector
        return get_object_or_404(selector(user=self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", str(self.object))
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        return reverse(self.detail_url_name, args=[self.object.pk])

    def get_breadcrumb_parents(self) -> list:
        return [*super().get_breadcrumb_parents(), (str(self.object), self.get_cancel_url())]

    def get_success_url_for(self, obj):
        return reverse(self.detail_url_name, args=[obj.pk])

    def perform(self, form):
        update = type(self).update_service
        return update(
            **{self.object_kwarg: self.object},
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form),
        )


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ApiTokenView(PortalLoginRequiredMixin, TemplateView):
    """/password/token/ (API 令牌): the signed-in user's own API token.

    The page says whether they have one and until when it works. 获取新令牌 replaces it (the old
    one stops working) and shows the new key this once: the answer is rendered, not redirected
    to, and not cached. 吊销 deletes it. The office revokes other people's tokens in the admin
    or through core.services.api_token_revoke."""

    template_name = "registration/api_token.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = api_token_for(user=self.request.user)
        context.update(
            token=token,
            expires_at=api_token_expires_at(token) if token else None,
            expired=bool(token) and api_token_is_expired(token),
            ttl_days=settings.API_TOKEN_TTL_DAYS,
            new_key="",
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "revoke":
            if api_token_revoke(user=request.user, by=request.user):
                messages.success(request, _("API 令牌已吊销，使用它的程序将无法再访问平台。"))
            return redirect("api_token")
        if action != "issue":
            return redirect("api_token")
        token = api_token_issue(user=request.user)
        context = self.get_context_data()
        context["new_key"] = token.key
        response = self.render_to_response(context)
        add_never_cache_headers(response)
        return response


# --- The audit trail ---------------------------------------------------------------------------


def audit_actor_label(event) -> str:
    profile = getattr(event.actor, "profile", None) if event.actor_id else None
    name = profile.name if profile is not None else ""
    if name and event.actor_name and name != event.actor_name:
        return f"{name}（{event.actor_name}）"
    return name or event.actor_name


def _audit_object_type(event) -> str:
    model = event.content_type.model_class() if event.content_type_id else None
    return str(model._meta.verbose_name) if model is not None else ""


AUDIT_EXPORT_COLUMNS = [
    Column(_("时间"), "at"),
    Column(_("操作人"), audit_actor_label),
    Column(_("操作"), lambda event: event.get_action_display()),
    Column(_("对象类型"), _audit_object_type),
    Column(_("对象编号"), "object_id"),
    Column(_("对象"), "object_repr"),
    Column(_("变更内容"), audit.changes_text, width=60),
    Column(_("说明"), "note", width=40),
    Column(_("IP地址"), "ip_address"),
]


class AuditEventListView(RoleRequiredMixin, FilteredListView):
    """/audit/ (操作记录): who did what to which object when, with the old and new values; the
    office's, read-only, 50 a page, exported with the same filters."""

    template_name = "core/audit_list.html"
    filterset_class = AuditEventFilterSet
    context_object_name = "events"
    export_columns = AUDIT_EXPORT_COLUMNS
    export_title = _("操作记录")
    page_size = 50

    def has_permission(self) -> bool:
        return bool(may_read_audit(self.request.user))

    def get_paginate_by(self, queryset):
        return self.page_size

    def get_base_queryset(self):
        return audit_event_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for event in context["events"]:
            event.actor_label = audit_actor_label(event)
            event.object_type_label = _audit_object_type(event)
            event.lines = audit.change_lines(event)
        return context
