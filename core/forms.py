"""Form building blocks shared by every app: Bootstrap classes and is-invalid on widgets, the
hidden version and form-token fields, and mapping a service's ValidationError onto a form."""

from django import forms
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.forms.boundfield import BoundField

from .idempotency import new_token

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


class PortalFormMixin:
    bound_field_class = PortalBoundField


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """A ModelForm used for rendering and first validation only: views never call save().

    The service does the write (and validates again with full_clean, inside its transaction).
    """


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
                    ValidationError(f"{label}: {message}") if label else message
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
