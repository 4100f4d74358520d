"""Forms of the appraisal pages. They render and pre-validate; supervision.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PortalForm, TokenFormMixin

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class AppraisalStartForm(TokenFormMixin, PortalForm):
    """Start a run (a new version) as of a date; after a published version, with its reason."""

    as_of = forms.DateField(label=_("考核截止日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("重新考核原因"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已有发布的考核结果时必填。"),
    )


class PublishForm(PortalForm):
    confirm = forms.BooleanField(label=_("我已核对考核结果，确认发布"))


class ReviewRequestForm(PortalForm):
    reason = forms.CharField(
        label=_("复核理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请写明对哪一项有异议及依据，例如漏计的半月报或工作任务。"),
    )


class ReviewAnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("复核意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rerun = forms.BooleanField(
        label=_("复核后需要更正结果：按原截止日期重新考核，生成新版本（草稿）"), required=False
    )


class CadreRatingForm(PortalForm):
    """The enterprise contact's 1-5 stars for a cadre stationed with them."""

    cadre = forms.IntegerField(widget=forms.HiddenInput)
    programme = forms.IntegerField(widget=forms.HiddenInput)
    stars = forms.TypedChoiceField(
        label=_("评价星级"), choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
