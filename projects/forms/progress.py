"""The monthly progress form, made for a phone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, TokenFormMixin

from ..choices import Stage
from ..models import ProjectMilestone


class ProgressForm(TokenFormMixin, PortalForm):
    month = forms.DateField(
        label=_("月份"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    investment_month = forms.DecimalField(
        label=_("本月完成投资（万元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    stage_reached = forms.ChoiceField(label=_("达到阶段"), choices=Stage.choices)
    milestones_met = forms.ModelMultipleChoiceField(
        label=_("本月完成节点"),
        queryset=ProjectMilestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_done = forms.CharField(label=_("本月工作进展"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=_("存在的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个问题；报送后每个问题都可以转为诉求。"),
    )
    next_steps = forms.CharField(
        label=_("下一步工作"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, project, chain, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        start = _index(chain, project.stage)
        self.fields["stage_reached"].choices = [(stage, labels[stage]) for stage in chain[start:]]
        self.fields["stage_reached"].initial = project.stage
        open_milestones = project.milestones.filter(actual_date__isnull=True).order_by(
            "planned_date", "position", "pk"
        )
        if open_milestones.exists():
            self.fields["milestones_met"].queryset = open_milestones
        else:
            # Nothing to tick: no empty box on the phone.
            del self.fields["milestones_met"]

    def clean_problems(self):
        return [line.strip() for line in self.cleaned_data["problems"].splitlines() if line.strip()]


def _index(chain: list[str], stage: str) -> int:
    return chain.index(stage) if stage in chain else 0
