"""Bulletin pages (通报): list, detail (the draft's preview, with edit, redraft and publish for
the office), drafting, editing, the A4 print view and the PDF.

Reads go through supervision.selectors.bulletin_list (a draft out of the user's scope is a 404;
published bulletins are open to every signed-in user), writes through supervision.services. The
office's buttons follow supervision.permissions.may_edit_bulletins; others get 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.locking import StaleEditError
from core.pdf import html_to_pdf, pdf_response
from core.views import (
    FilteredListView,
    PortalLoginRequiredMixin,
    RoleRequiredMixin,
    ServiceFormView,
    ServiceUpdateView,
)

from .. import permissions, selectors, services
from ..filtersets import BulletinFilterSet
from ..forms.bulletins import BulletinForm, BulletinGenerateForm, BulletinPublishForm
from ..models import Bulletin

NUMERALS = "一二三四五六七八九十"
PRINT_TEMPLATE = "supervision/bulletins/bulletin_print.html"


def scoped_bulletin(user, pk) -> Bulletin:
    return get_object_or_404(selectors.bulletin_list(user=user), pk=pk)


def chinese_date(day: datetime.date) -> str:
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def document_context(bulletin: Bulletin) -> dict:
    """What the preview, the print view and the PDF show: the text sections that are not empty,
    numbered 一、二、…, the facts' tables, and the date under the issuing body."""
    headings = [
        ("overview", gettext_lazy("总体情况")),
        ("praise", gettext_lazy("表扬")),
        ("criticism", gettext_lazy("批评")),
        ("requirements", gettext_lazy("下一步要求")),
    ]
    sections = []
    for name, heading in headings:
        text = getattr(bulletin, name)
        if text.strip() or name == "overview":
            numeral = NUMERALS[len(sections)]
            sections.append({"name": name, "heading": f"{numeral}、{heading}", "text": text})
    issued = bulletin.published_at or timezone.now()
    return {
        "bulletin": bulletin,
        "facts": bulletin.facts,
        "sections": sections,
        "issued_on": chinese_date(timezone.localtime(issued).date()),
    }


def bulletin_filename(bulletin: Bulletin) -> str:
    return f"{bulletin.number_label or _('通报草稿')} {bulletin.title}.pdf"


class BulletinListView(FilteredListView):
    template_name = "supervision/bulletins/bulletin_list.html"
    filterset_class = BulletinFilterSet
    context_object_name = "bulletins"

    def get_base_queryset(self):
        return selectors.bulletin_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_generate"] = bool(permissions.may_edit_bulletins(self.request.user))
        return context


class BulletinDetailView(PortalLoginRequiredMixin, TemplateView):
    template_name = "supervision/bulletins/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulletin = scoped_bulletin(self.request.user, kwargs["pk"])
        can_edit = not bulletin.is_published and bool(
            permissions.may_edit_bulletins(self.request.user, bulletin.programme)
        )
        context.update(document_context(bulletin))
        context.update(
            can_edit=can_edit,
            publish_form=BulletinPublishForm(bulletin=bulletin) if can_edit else None,
        )
        return context


class OfficeBulletinMixin(RoleRequiredMixin):
    def has_permission(self) -> bool:
        return bool(permissions.may_edit_bulletins(self.request.user))


class BulletinGenerateView(OfficeBulletinMixin, ServiceFormView):
    """生成通报草稿: pick a period that has fallen due; its draft is made or brought up to date."""

    form_class = BulletinGenerateForm
    title = gettext_lazy("生成通报草稿")
    success_message = gettext_lazy("通报草稿已按最新数据生成，请核对修改后发布。")

    def get_breadcrumb_parents(self) -> list:
        return [(_("通报"), reverse("bulletin-list"))]

    def get_cancel_url(self):
        return reverse("bulletin-list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        bulletin = services.bulletin_generate(
            period=form.cleaned_data["period"], by=self.request.user
        )
        if bulletin.is_published:
            self.success_message = _("该期通报已发布（%(number)s），未作改动。") % {
                "number": bulletin.number_label
            }
        return bulletin

    def get_success_url_for(self, obj):
        return reverse("bulletin-detail", args=[obj.pk])


class DraftActionMixin(PortalLoginRequiredMixin):
    """A POST on a draft by the office over its programme (403 for anyone else)."""

    @cached_property
    def bulletin(self) -> Bulletin:
        return scoped_bulletin(self.request.user, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permissions.may_edit_bulletins(request.user, self.bulletin.programme).check()
        return super().dispatch(request, *args, **kwargs)

    def detail(self):
        return redirect("bulletin-detail", pk=self.bulletin.pk)


class BulletinEditView(DraftActionMixin, ServiceUpdateView):
    form_class = BulletinForm
    title = gettext_lazy("修改通报")
    selector = staticmethod(selectors.bulletin_list)
    update_service = staticmethod(services.bulletin_update)
    object_kwarg = "bulletin"
    detail_url_name = "bulletin-detail"
    success_message = gettext_lazy("通报已保存。")

    def get_breadcrumb_parents(self) -> list:
        return [(_("通报"), reverse("bulletin-list"))]

    def get(self, request, *args, **kwargs):
        if self.object.is_published:
            messages.info(request, _("通报已发布，不能再修改。"))
            return self.detail()
        return super().get(request, *args, **kwargs)


class BulletinRegenerateView(DraftActionMixin, View):
    """重新生成: bring a draft's facts (and the texts the office has not changed) up to date."""

    def post(self, request, pk):
        try:
            bulletin = services.bulletin_generate(period=self.bulletin.period, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.detail()
        if bulletin.is_published:
            messages.info(request, _("通报已发布，数据不再更新。"))
        else:
            messages.success(request, _("已按最新数据重新生成；您修改过的文字保持不变。"))
        return self.detail()


class BulletinPublishView(DraftActionMixin, View):
    """发布: confirmed, against the version the page showed; the number is given here."""

    def post(self, request, pk):
        form = BulletinPublishForm(request.POST, bulletin=self.bulletin)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.detail()
        try:
            bulletin = services.bulletin_publish(
                bulletin=self.bulletin,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.detail()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.detail()
        messages.success(request, _("通报已发布：%(number)s。") % {"number": bulletin.number_label})
        return self.detail()


class BulletinPrintView(PortalLoginRequiredMixin, TemplateView):
    """The A4 print view (templates/print_base.html); a draft prints as a preview."""

    template_name = PRINT_TEMPLATE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(document_context(scoped_bulletin(self.request.user, kwargs["pk"])))
        return context


class BulletinPdfView(PortalLoginRequiredMixin, View):
    """The print view rendered to PDF by WeasyPrint (Chinese in WenQuanYi Micro Hei)."""

    def get(self, request, pk):
        bulletin = scoped_bulletin(request.user, pk)
        html = render_to_string(PRINT_TEMPLATE, document_context(bulletin), request=request)
        return pdf_response(html_to_pdf(html), bulletin_filename(bulletin))
