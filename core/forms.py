"""Form building blocks shared by every app: Bootstrap classes and is-invalid on widgets, the
hidden version and form-token fields, and mapping a service's ValidationError onto a form."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.db import transaction
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.boundfield import BoundField
from django.forms.utils import pretty_name
from django.utils import translation
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from . import audit
from .choices import AuditAction
from .idempotency import new_token
from .inputs import bound_form_field
from .services import password_reset_email_send
from .validators import (
    EMAIL_MAX_LENGTH,
    mobile_validator,
    normalize_email,
    normalize_mobile,
    validate_email_address,
)

SMALL_CSS = {
    "form-select": "form-select form-select-sm",
    "form-control": "form-control form-control-sm",
}


def widget_css_class(widget) -> str:
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


class PortalBoundField(BoundField):
    """Adds Bootstrap's classes to the widget, and is-invalid when the field has errors."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [attrs.get("class") or widget.attrs.get("class") or "", widget_css_class(widget)]
        if self.errors and not widget.is_hidden:
            classes.append("is-invalid")
        css = " ".join(dict.fromkeys(c for c in " ".join(classes).split() if c))
        if css:
            attrs["class"] = css
        return attrs


# The prompt of an empty choice, instead of Django's "---------".
EMPTY_CHOICE_LABEL = gettext_lazy("请选择…")
_DASHES = BLANK_CHOICE_DASH[0][1]


def _framework_message(field, key: str):
    """Django's own message `key` of this field, or None when the field's class (ours, such
    as enterprises' MonthField) says something of its own."""
    for cls in type(field).__mro__:
        messages = cls.__dict__.get("default_error_messages", {})
        if key in messages:
            return messages[key] if cls.__module__.startswith("django.") else None
    return None


def _translated(message: str, msgid: str) -> bool:
    """In another language than Chinese, a message not yet in the catalogue would show the
    Chinese source: keep Django's own (translated) message instead."""
    return message != msgid or (translation.get_language() or "").startswith("zh")


def _is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.Select | forms.SelectMultiple | forms.RadioSelect
    )


def named_messages(field, label: str) -> dict:
    """Required and invalid messages that name the field: 请填写“企业名称”。, not 这个字段是必填项。

    `%` in the label is doubled: Django formats some of these messages with params."""
    if isinstance(field, forms.FileField):
        required = gettext_noop("请上传“%(field)s”。")
    elif isinstance(field, forms.BooleanField):
        required = gettext_noop("请勾选“%(field)s”。")
    elif _is_choice(field):
        required = gettext_noop("请选择“%(field)s”。")
    else:
        required = gettext_noop("请填写“%(field)s”。")
    msgids = {
        "required": required,
        "invalid": gettext_noop("“%(field)s”的格式不正确，请重新填写。"),
        "invalid_choice": gettext_noop("“%(field)s”中没有所选的选项，请重新选择。"),
        "invalid_list": gettext_noop("请选择“%(field)s”。"),
        "invalid_pk_value": gettext_noop("“%(field)s”中没有所选的选项，请重新选择。"),
    }
    params = {"field": label.replace("%", "%%")}
    named = {}
    for key, msgid in msgids.items():
        message = _(msgid)
        if _translated(message, msgid):
            named[key] = message % params
    return named


def _prompt_choices(choices):
    """The choices with Django's "---------" empty label replaced by 请选择…."""
    return [
        (value, EMPTY_CHOICE_LABEL if value in ("", None) and label == _DASHES else label)
        for value, label in choices
    ]


class PortalFormMixin:
    """Bootstrap classes on widgets (PortalBoundField), and no framework defaults shown to users:
    empty choices read 请选择… instead of "---------", and the required and invalid messages name
    the field. Messages a form sets itself are left alone; hidden fields keep Django's own."""

    bound_field_class = PortalBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._prompt_empty_choice(field)
            label = str(field.label) if field.label else pretty_name(name)
            bound_form_field(field, label)
            if field.widget.is_hidden:
                continue
            for key, message in named_messages(field, label).items():
                default = _framework_message(field, key)
                if default is not None and field.error_messages.get(key) is default:
                    field.error_messages[key] = message

    @staticmethod
    def _prompt_empty_choice(field) -> None:
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == _DASHES:
                field.empty_label = EMPTY_CHOICE_LABEL
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field.choices, CallableChoiceIterator
        ):
            choices = list(field.choices)
            if any(label == _DASHES for _value, label in choices):
                field.choices = _prompt_choices(choices)


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """A ModelForm used for rendering and first validation only: views never call save().

    The service does the write (and validates again with full_clean, inside its transaction).
    """


class PasswordResetRequestForm(PortalFormMixin, auth_forms.PasswordResetForm):
    """忘记密码: the e-mail address a user registered. The page says the same whether or not the
    address is known (PasswordResetView redirects to the same page either way)."""

    email = forms.EmailField(
        label=gettext_lazy("登记的电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def get_users(self, email):
        """Unlike Django's default, people the office created without a password (unusable
        until they set one) may ask for the link too: every login here is local."""
        matching = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in matching if user.email.casefold() == email.casefold())

    def save(self, **kwargs):
        # One e-mail builder for this page and the office's reset (core.services).
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_email_send(user=user)


class AuditedPasswordMixin:
    """Django's own password forms set the password; the audit trail records that it changed
    (the action only, never the password or its hash) in the same transaction."""

    audit_note = ""

    def save(self, commit=True):
        with transaction.atomic():
            user = super().save(commit)
            audit.record(user, AuditAction.PASSWORD_CHANGED, user, note=self.audit_note)
        return user


class PortalSetPasswordForm(AuditedPasswordMixin, PortalFormMixin, auth_forms.SetPasswordForm):
    audit_note = gettext_lazy("通过重设链接设置")


class PortalPasswordChangeForm(
    AuditedPasswordMixin, PortalFormMixin, auth_forms.PasswordChangeForm
):
    audit_note = gettext_lazy("本人修改")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MobileField(forms.CharField):
    """A mainland mobile number, normalised and checked as the API and the import do it
    (core.validators)."""

    default_validators = [mobile_validator]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_mobile(super().to_python(value))


class EmailAddressField(forms.CharField):
    """An e-mail address, normalised and checked as the API and the import do it
    (core.validators)."""

    default_validators = [validate_email_address]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault(
            "widget", forms.EmailInput(attrs={"inputmode": "email", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class VersionedFormMixin(forms.Form):
    """Edit forms carry the version they were loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"].initial = instance.version


class TokenFormMixin(forms.Form):
    """Create forms carry a one-time token, so a double-clicked submit saves once."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = new_token()


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: next to its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            if target is None and field not in (NON_FIELD_ERRORS, None):
                # A field the form does not show: name it, so the message still makes sense.
                label = _field_label(form, field)
                errors = [
                    ValidationError(f"{label}：{message}") if label else message
                    for message in ValidationError(errors).messages
                ]
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


def _field_label(form, name) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""
