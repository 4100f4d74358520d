"""The upload form: size limit, .xlsx name, and a real workbook inside."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from stationing.imports.workbook import ImportFileError, check_xlsx


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_l("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": _l("请选择要导入的 Excel 文件。"),
            "empty": _l("上传的文件是空的。"),
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("文件太大（%(size)s），最大允许 %(limit)s。请拆分后分批导入。")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            )
        if not uploaded.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("只能导入 Excel 工作簿（.xlsx）文件，“%(name)s”不是。可以先下载导入模板填写。")
                % {"name": uploaded.name}
            )
        try:
            check_xlsx(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return uploaded
