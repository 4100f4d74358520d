"""Forms of the ticket pages. They render and pre-validate; supervision.services writes.

Choice lists come from scoped selectors. Attachments are checked by content in the form (so a
refused file is reported next to the file field) and again by the service that stores them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import PortalForm, TokenFormMixin, VersionedFormMixin
from stationing.forms.organisation import PersonChoiceField

from .. import attachments
from ..choices import Category, Level, Satisfaction, Urgency
from ..selectors import (
    category_setting_list,
    hand_over_target_list,
    raisable_enterprise_list,
    responsible_unit_list,
    ticket_leader_list,
)
from ..services import category_days

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one is checked by the form (see AttachmentFormMixin)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def attachment_help_text():
    return _("可选多个文件。支持%(types)s，每个不超过 %(limit)s MB。") % {
        "types": attachments.allowed_types_label(),
        "limit": attachments.max_bytes() // (1024 * 1024),
    }


class AttachmentFormMixin(forms.Form):
    """Attachments checked by content; those that pass are kept across a re-shown form.

    After is_valid(): `accepted` holds (upload, CheckedFile) for this request's good files and
    `staged_entries` the files kept from an earlier submission of the same form. The view calls
    `keep_for_redisplay()` before showing the form again, and `files_to_attach()` when saving.
    """

    attachments = MultipleFileField(label=_("附件"), required=False)
    staged = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "user", None)
        self.accepted = []
        self.fields["attachments"].help_text = attachment_help_text()
        self.staged_entries = []
        if self.is_bound:
            entries = attachments.load_staged(self.data.get(self.add_prefix("staged"), ""), user)
            keep = set(self.data.getlist(self.add_prefix("keep"))) if self.data else set()
            self.staged_entries = [e for e in entries if e["key"] in keep]
            attachments.discard_staged([e for e in entries if e["key"] not in keep])

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) + len(self.staged_entries) > MAX_FILES:
            raise forms.ValidationError(
                ngettext("最多上传 %(n)d 个附件。", "最多上传 %(n)d 个附件。", MAX_FILES)
                % {"n": MAX_FILES}
            )
        refused = []
        for upload in uploads:
            try:
                self.accepted.append((upload, attachments.check_upload(upload)))
            except forms.ValidationError as exc:
                refused.extend(exc.messages)
        if refused:
            raise forms.ValidationError(refused)
        return uploads

    def keep_for_redisplay(self) -> None:
        """Stage this request's good files so the re-shown form still has them."""
        for upload, checked in self.accepted:
            self.staged_entries.append(attachments.stage(upload, checked))
        self.accepted = []
        data = self.data.copy()
        data[self.add_prefix("staged")] = attachments.sign_staged(self.staged_entries, self.user)
        data.setlist(self.add_prefix("keep"), [e["key"] for e in self.staged_entries])
        self.data = data

    def files_to_attach(self) -> list:
        return [upload for upload, _checked in self.accepted] + [
            attachments.staged_file(entry) for entry in self.staged_entries
        ]

    def discard_staged(self) -> None:
        attachments.discard_staged(self.staged_entries)


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TicketCreateForm(TokenFormMixin, AttachmentFormMixin, PortalForm):
    enterprise = EnterpriseChoiceField(label=_("企业"), queryset=None)
    category = forms.ChoiceField(label=_("类别"), choices=[("", "---------"), *Category.choices])
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        help_text=_("一般、紧急、特急分别限 10、5、2 个工作日办结（可按类别调整）。"),
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("一句话说明问题，如：新厂房用电增容")}),
    )
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写清问题经过、涉及的部门和希望怎样解决。"),
    )
    confirm_duplicate = forms.BooleanField(widget=forms.HiddenInput, required=False)

    field_order = ["enterprise", "category", "urgency", "title", "description", "attachments"]

    def __init__(self, *args, user, enterprises=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        queryset = enterprises if enterprises is not None else raisable_enterprise_list(user=user)
        self.fields["enterprise"].queryset = queryset
        if len(self.fields["enterprise"].queryset) == 1:
            only = self.fields["enterprise"].queryset[0]
            self.fields["enterprise"].initial = only.pk
            self.fields["enterprise"].empty_label = None


def _text(label, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(PortalForm):
    """Base of the action forms: built with the ticket and the acting user."""

    def __init__(self, *args, ticket, user, **kwargs):
        self.ticket = ticket
        self.user = user
        super().__init__(*args, **kwargs)


class AcceptForm(ActionForm):
    pass


class RejectForm(ActionForm):
    reason = _text(_("不予受理理由"), help_text=_("理由会告知提出人。"))


class AssignForm(VersionedFormMixin, ActionForm):
    """交办 (受理并交办, 改派). Carries the version of the ticket it was loaded with: assigning
    from a page loaded before someone else acted is refused, not applied over their step."""

    level = forms.ChoiceField(label=_("层级"), choices=Level.choices, initial=Level.SYSTEM)
    responsible_unit = forms.ModelChoiceField(label=_("承办单位"), queryset=None)
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=None, required=False)
    leader = PersonChoiceField(label=_("包案领导"), queryset=None, required=False)
    comment = _text(_("交办意见"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ticket = self.ticket
        self.fields["version"].initial = ticket.version
        # As in the API: a post without a version is not compared (the page always sends one).
        self.fields["version"].required = False
        units = responsible_unit_list(user=self.user)
        self.fields["responsible_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].widget.attrs["size"] = 4
        # The page turns this list into a search box with removable chips (static/js/select.js).
        self.fields["co_units"].help_text = _("可选多个单位，输入名称可搜索。")
        self.fields["leader"].queryset = ticket_leader_list(user=self.user, ticket=ticket)
        self.time_limit_days = category_days(ticket.category, ticket.urgency)
        if ticket.responsible_unit_id:
            self.initial.setdefault("responsible_unit", ticket.responsible_unit_id)
            self.initial.setdefault("level", ticket.level or Level.SYSTEM)
            self.initial.setdefault("leader", ticket.leader_id)
        else:
            setting = category_setting_list().filter(category=ticket.category).first()
            if setting is not None and setting.default_unit_id:
                self.initial.setdefault("responsible_unit", setting.default_unit_id)


class CommentForm(ActionForm):
    comment = _text(_("说明"), required=False, rows=2)


class ObjectForm(ActionForm):
    reason = _text(_("异议理由"), help_text=_("说明为什么不属于本单位职责、应由哪个单位办理。"))


class HandOverForm(ActionForm):
    to = PersonChoiceField(label=_("移交给"), queryset=None)
    comment = _text(_("移交说明"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = hand_over_target_list(user=self.user, ticket=self.ticket)


class ProgressForm(AttachmentFormMixin, ActionForm):
    comment = _text(_("办理进展"))
    field_order = ["comment", "attachments"]


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(
        label=_("延长工作日"),
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = _text(_("延期理由"))


class ExtensionDecisionForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意延期"))],
        widget=forms.RadioSelect,
    )
    comment = _text(_("说明"), required=False, rows=2, help_text=_("不同意时必须说明理由。"))

    def clean(self):
        # The step's data as the API's serializer gives it: approve true or false.
        data = super().clean()
        data["approve"] = data.get("decision") == "approve"
        return data


class AnswerForm(AttachmentFormMixin, ActionForm):
    answer = _text(_("答复内容"), rows=4, help_text=_("写明办理结果；答复后由企业评价。"))
    field_order = ["answer", "attachments"]


class RateForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = _text(
        _("评价意见"),
        required=False,
        rows=2,
        help_text=_("不满意时请说明原因，诉求将退回承办单位重新办理。"),
    )


class WithdrawForm(ActionForm):
    reason = _text(_("撤回原因"))


class UrgeForm(ActionForm):
    comment = _text(_("催办意见"))


class EscalateForm(ActionForm):
    reason = _text(_("督办说明"), required=False, rows=2)
