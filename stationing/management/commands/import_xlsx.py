"""`manage.py import_xlsx FILE [--dry-run] [--user USERNAME]`: the Excel import from a shell.

The same run_import as the page: every recognised sheet is imported all-or-nothing; on any
error every error is printed and the command exits non-zero with nothing saved.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from stationing.imports import run_import
from stationing.permissions import may_import


class Command(BaseCommand):
    help = _l("从 Excel（.xlsx）导入企业、驻企干部、驻企安排和月度指标；有任何错误则不保存。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_l("要导入的 .xlsx 文件"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_l("只检查并报告将新增、更新多少条，不保存。"),
        )
        parser.add_argument(
            "--user",
            help=_l("以该用户（登录名）的身份导入：只能导入其管辖范围内的数据，并记为修改人。"),
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件 %(path)s。") % {"path": file})
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(_("没有登录名为 %(name)s 的用户。") % {"name": user})
            verdict = may_import(importer)
            if not verdict:
                raise CommandError(verdict.reason)
        report = run_import(path, user=importer, commit=not dry_run)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("导入失败：共 %(count)s 处错误，未保存任何数据。") % {"count": len(report.errors)}
            )
        for item in report.summary():
            self.stdout.write(
                _(
                    "%(label)s（工作表“%(sheet)s”）：新增%(created)s条，更新%(updated)s条，"
                    "未变化%(unchanged)s条"
                )
                % {
                    "label": item.label,
                    "sheet": item.title,
                    "created": item.created,
                    "updated": item.updated,
                    "unchanged": item.unchanged,
                }
            )
        if dry_run:
            self.stdout.write(_("试运行：检查通过，未保存任何数据。"))
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成。")))
