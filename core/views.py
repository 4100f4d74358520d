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

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView

from .forms import SMALL_CSS, apply_validation_error, widget_css_class
from .idempotency import AlreadySubmitted, claim_token, previous_submission, record_result
from .locking import StaleEditError
from .permissions import is_office, is_office_or_leader


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
    """A list page: selector queryset -> FilterSet -> pagination (settings.PAGE_SIZE).

    Subclasses set `filterset_class` and implement `get_base_queryset()` with a selector call.
    The context gets `filterset`, `total` (matching rows, all pages) and `filters_active`.
    """

    filterset_class = None
    # Query parameters that are not filters (kept in links, ignored by "filters active").
    non_filter_params = ("page",)

    def get_base_queryset(self):
        raise NotImplementedError

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        for field in self.filterset.form.fields.values():
            css = widget_css_class(field.widget)
            field.widget.attrs["class"] = SMALL_CSS.get(css, css)
        # An invalid filter value (e.g. a region id that does not exist) shows the field error
        # and an empty list rather than silently ignoring the filter.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        paginator = context.get("paginator")
        context["total"] = paginator.count if paginator else len(context["object_list"])
        context["filters_active"] = any(
            value for key, value in self.request.GET.items() if key not in self.non_filter_params
        )
        return context


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

    def perform(self, form):
        raise NotImplementedError

    def get_success_url_for(self, obj) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return self.cancel_url or "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
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
