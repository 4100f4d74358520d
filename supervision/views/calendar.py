"""The office's settings page: the working-day calendar (holidays, 调休) and the time limit of
each category. Reads through supervision.selectors, writes through supervision.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import apply_validation_error
from core.inputs import parse_id
from core.views import OfficeRequiredMixin

from .. import selectors, services
from ..forms import calendar as forms
from ..workdays import uncovered_years


class CalendarSettingsView(OfficeRequiredMixin, TemplateView):
    template_name = "supervision/calendar/calendar_settings.html"

    year_override = None

    def year(self) -> int:
        value = str(self.year_override or self.request.GET.get("year", ""))
        today = timezone.localdate()
        year = parse_id(value)
        if year is not None and 2000 <= year <= 2100:
            return year
        return today.year

    def get_context_data(self, day_form=None, editing=None, category_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = self.year()
        today = timezone.localdate()
        edit = parse_id(self.request.GET.get("edit"))
        if editing is None and edit is not None:
            editing = selectors.calendar_day_list(year=year).filter(pk=edit).first()
        if day_form is None:
            initial = (
                {
                    "date": editing.date,
                    "is_workday": "1" if editing.is_workday else "0",
                    "name": editing.name,
                }
                if editing
                else {}
            )
            day_form = forms.CalendarDayForm(initial=initial, prefix="day")
        category_forms = category_forms or {}
        categories = []
        unit_choices = None
        for setting in selectors.category_setting_list():
            form = category_forms.get(setting.category) or forms.CategorySettingForm(
                prefix=setting.category,
                user=user,
                unit_choices=unit_choices,
                initial={
                    "normal_days": setting.normal_days,
                    "urgent_days": setting.urgent_days,
                    "critical_days": setting.critical_days,
                    "default_unit": setting.default_unit_id,
                },
            )
            if unit_choices is None:
                unit_choices = list(form.fields["default_unit"].choices)
            categories.append({"setting": setting, "form": form})
        context.update(
            year=year,
            years=list(range(today.year - 1, today.year + 3)),
            days=selectors.calendar_day_list(year=year),
            day_form=day_form,
            editing=editing,
            categories=categories,
            uncovered=uncovered_years([today.year, today.year + 1]),
            year_uncovered=bool(uncovered_years([year])),
        )
        return context


class CalendarDaySaveView(OfficeRequiredMixin, View):
    def post(self, request, pk=None):
        day = get_object_or_404(selectors.calendar_day_list_all(), pk=pk) if pk else None
        form = forms.CalendarDayForm(request.POST, prefix="day")
        year = request.POST.get("year", "")
        if form.is_valid():
            try:
                saved = services.calendar_day_save(by=request.user, day=day, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("%(date)s 的安排已保存。") % {"date": saved.date})
                return redirect(f"{reverse('calendar-settings')}?year={saved.date.year}")
        view = CalendarSettingsView()
        view.setup(request)
        view.year_override = year
        return view.render_to_response(view.get_context_data(day_form=form, editing=day))


class CalendarDayDeleteView(OfficeRequiredMixin, View):
    def post(self, request, pk):
        day = get_object_or_404(selectors.calendar_day_list_all(), pk=pk)
        year = day.date.year
        services.calendar_day_delete(by=request.user, day=day)
        messages.success(request, _("已删除 %(date)s 的安排。") % {"date": day.date})
        return redirect(f"{reverse('calendar-settings')}?year={year}")


class CategorySettingSaveView(OfficeRequiredMixin, View):
    def post(self, request, category):
        setting = get_object_or_404(selectors.category_setting_list(), category=category)
        form = forms.CategorySettingForm(request.POST, prefix=category, user=request.user)
        if form.is_valid():
            try:
                services.category_setting_update(
                    by=request.user, setting=setting, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(category)s”的办理时限已保存。") % {"category": setting},
                )
                return redirect(f"{reverse('calendar-settings')}#categories")
        view = CalendarSettingsView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(category_forms={category: form}))
