"""Forms of the bulletin pages. They render and pre-validate; supervision.services writes.

The periods offered for drafting come from the scoped selector the API uses too.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalModelForm, VersionedFormMixin

from ..models import Bulletin
from ..selectors import bulletin_period_list


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme.name} · {obj.label}"


class BulletinGenerateForm(PortalForm):
    period = PeriodChoiceField(
        label=_("报告期"),
        queryset=None,
        help_text=_(
            "已过报送截止时间的报告期。该期已有草稿时按最新数据更新草稿，已发布的通报不变。"
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = bulletin_period_list(user=user)


class BulletinForm(VersionedFormMixin, PortalModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "issuer", "overview", "praise", "criticism", "requirements"]
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 5}),
            "praise": forms.Textarea(attrs={"rows": 5}),
            "criticism": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "issuer": _("印在文末右下方，如：某某县人民政府督查室。"),
            "overview": _("生成时已按数据起草，可修改；各节为空时不印出。"),
        }


class BulletinPublishForm(VersionedFormMixin, PortalForm):
    confirm = forms.BooleanField(
        label=_("我已核对通报内容，确认发布（发布后不能再修改）"),
        error_messages={"required": _("请勾选确认后再发布。")},
    )

    def __init__(self, *args, bulletin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = bulletin.version
