"""Forms for the enterprise pages. They render and pre-validate; services do the writes."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DateInput,
    EmailAddressField,
    MobileField,
    PortalModelForm,
    TokenFormMixin,
    VersionedFormMixin,
)
from core.selectors import territory_regions

from .models import Enterprise, EnterpriseSurvey, IndicatorReport
from .validators import normalize_credit_code

MONEY_ATTRS = {"inputmode": "decimal", "step": "0.01"}


class EnterpriseForm(PortalModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "industry",
            "industry_detail",
            "ownership",
            "size",
            "is_key",
            "listing_status",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_mobile",
            "contact_email",
            "employees",
            "main_products",
        ]
        # Normalised and checked as the API and the import do it (core.validators).
        field_classes = {"contact_mobile": MobileField, "contact_email": EmailAddressField}
        help_texts = {
            "contact_email": _("联系人有平台账号（以此手机号登录）时，也作为其接收通知的邮箱。"),
        }
        widgets = {
            "credit_code": forms.TextInput(
                attrs={
                    "autocapitalize": "characters",
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "maxlength": 18,
                }
            ),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "employees": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = territory_regions(user)
        self.fields["credit_code"].help_text = _("18位，字母请用大写；系统会核对末位校验码。")
        # Its length is checked once normalised (clean_credit_code, then the model), as the
        # API and the import do: "9144 0300 …" copied from a licence is 18 characters.
        code = self.fields["credit_code"]
        code.validators = [v for v in code.validators if not isinstance(v, MaxLengthValidator)]
        code.widget.attrs["maxlength"] = 30

    def clean_credit_code(self):
        # Typed in lower case on a phone or pasted with spaces: the same code.
        return normalize_credit_code(self.cleaned_data.get("credit_code"))


class EnterpriseCreateForm(TokenFormMixin, EnterpriseForm):
    pass


class EnterpriseUpdateForm(VersionedFormMixin, EnterpriseForm):
    pass


class SurveyForm(TokenFormMixin, PortalModelForm):
    class Meta:
        model = EnterpriseSurvey
        fields = [
            "surveyed_on",
            "fixed_assets",
            "output_value",
            "sales",
            "profit_tax",
            "main_markets",
            "equipment",
            "renovation_plans",
            "difficulties",
            "suggestions",
        ]
        widgets = {
            "surveyed_on": DateInput(),
            "fixed_assets": forms.NumberInput(attrs=MONEY_ATTRS),
            "output_value": forms.NumberInput(attrs=MONEY_ATTRS),
            "sales": forms.NumberInput(attrs=MONEY_ATTRS),
            "profit_tax": forms.NumberInput(attrs=MONEY_ATTRS),
            "main_markets": forms.Textarea(attrs={"rows": 2}),
            "equipment": forms.Textarea(attrs={"rows": 2}),
            "renovation_plans": forms.Textarea(attrs={"rows": 2}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "suggestions": forms.Textarea(attrs={"rows": 2}),
        }


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (<input type="month">), cleaned to the first day of that month."""

    default_error_messages = {"invalid": _("请按“年-月”填写月份，如 2026-03。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d", "%Y/%m"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "2026-03"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


INDICATOR_FIGURES = [
    "output_value",
    "value_added",
    "revenue",
    "profit",
    "tax",
    "investment",
    "employees",
]


class IndicatorForm(TokenFormMixin, PortalModelForm):
    month = MonthField(label=_("月份"))

    class Meta:
        model = IndicatorReport
        fields = ["month", *INDICATOR_FIGURES]
        widgets = {
            **{name: forms.NumberInput(attrs=MONEY_ATTRS) for name in INDICATOR_FIGURES},
            "employees": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        # The one-row-per-month rule is the service's (indicator_create); its error lands on
        # the month field and the page links to the month already filed.
        self.enterprise = enterprise


class IndicatorUpdateForm(VersionedFormMixin, PortalModelForm):
    """One month's figures; the month itself is fixed (file another month with a new form)."""

    class Meta:
        model = IndicatorReport
        fields = INDICATOR_FIGURES
        widgets = IndicatorForm.Meta.widgets
