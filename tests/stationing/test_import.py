"""Excel import: all-or-nothing, every error located, idempotent; the page, the command, templates.

Workbooks are built here with openpyxl, the way an office clerk or a statistics bureau would fill
them: several sheets in one file, numbers typed as numbers or as text, real Excel dates.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import Profile, SubmissionToken
from enterprises.models import Enterprise, IndicatorReport
from stationing.imports import base, run_import
from stationing.imports.workbook import KINDS_BY_KEY
from stationing.models import Assignment
from tests.factories import make_credit_code

ENTERPRISE_HEADER = [
    "企业名称*",
    "统一社会信用代码*",
    "行业门类*",
    "细分行业",
    "经济类型*",
    "企业规模*",
    "所属区域*",
    "地址",
    "法定代表人",
    "联系人",
    "联系电话",
    "职工人数",
    "主要产品",
    "重点企业",
    "上市情况",
]
CADRE_HEADER = ["姓名*", "手机号*", "派出单位*", "职级", "职务"]
ASSIGNMENT_HEADER = [
    "驻企批次*",
    "干部手机号*",
    "企业统一社会信用代码",
    "企业名称",
    "工作组",
    "进驻日期*",
    "撤离日期",
    "角色",
]
INDICATOR_HEADER = [
    "统一社会信用代码*",
    "月份*",
    "工业总产值",
    "工业增加值",
    "营业收入",
    "利润总额",
    "税金",
    "工业投资",
    "从业人数",
]

CODE_1 = make_credit_code(9001)
CODE_2 = make_credit_code(9002)
PROGRAMME = "2026年示范县干部驻企"
MODELS = (Enterprise, Profile, User, Assignment, IndicatorReport)


def excel_date(*args) -> datetime.datetime:
    """Excel keeps dates without a time zone; openpyxl reads and writes them naive."""
    return datetime.datetime(*args)  # noqa: DTZ001


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry: {title: [header, row, row, ...]}."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_sheets(world) -> dict[str, list[list]]:
    return {
        "企业": [
            ENTERPRISE_HEADER,
            # fmt: off
            [
                "丁精密铸造有限公司",
                CODE_1,
                "制造业",
                "金属制品业",
                "民营",
                "中型",
                "城关镇",
                "城关镇工业园3号",
                "丁某",
                "赵某",
                "0591-1234567",
                210,
                "铸件",
                "是",
                "拟上市",
            ],
            [
                "戊新材料科技有限公司",
                CODE_2,
                "C",
                "",
                "股份制",
                "小型",
                "河东镇",
                None,
                None,
                None,
                None,
                "1,050",
                None,
                "否",
                None,
            ],
            # An enterprise already registered: its size changes.
            [world.ent_a.name, world.ent_a.credit_code, "制造业", "", "民营", "大型", "城关镇"],
            # fmt: on
        ],
        "干部": [
            CADRE_HEADER,
            ["周干部", 13800000001, "示范县发展和改革局", "副科级", "科员"],
            ["吴干部", "138-0000-0002", "示范县财政局", "正科级", None],
        ],
        "驻企安排": [
            ASSIGNMENT_HEADER,
            [PROGRAMME, "13800000001", CODE_1, None, "第一工作组", excel_date(2026, 3, 10)],
            [
                PROGRAMME,
                "13800000002",
                None,
                "戊新材料科技有限公司",
                None,
                "2026-03-15",
                None,
                "组长",
            ],
            # An existing cadre stationed at a second enterprise.
            [PROGRAMME, world.cadre_a.profile.phone, CODE_2, None, None, "2026年4月1日"],
        ],
        "月度指标": [
            INDICATOR_HEADER,
            [CODE_1, "2026-03", 1200, 300, "1,150.5", -35.2, 40, 200, 210],
            [CODE_1, "2026年4月", "1,300", None, None, "-12", None, None, None],
            [CODE_1, excel_date(2026, 5, 1), 1250.25],
            [world.ent_a.credit_code, "202606", "2,000.00", 500, 1900, 100, 60, 0, 320],
        ],
    }


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run(content: bytes, user, *, commit=True):
    return run_import(io.BytesIO(content), user=user, commit=commit)


def located(report):
    return {(e.sheet, e.row, e.column): e.message for e in report.errors}


# --- A good file --------------------------------------------------------------------------


def test_good_file_with_all_four_sheets_imports_everything(world):
    before = counts()
    report = run(xlsx(good_sheets(world)), world.office)

    assert report.ok, [str(e) for e in report.errors]
    assert report.committed
    after = counts()
    assert after["Enterprise"] == before["Enterprise"] + 2
    assert after["Profile"] == before["Profile"] + 2
    assert after["User"] == before["User"] + 2
    assert after["Assignment"] == before["Assignment"] + 3
    assert after["IndicatorReport"] == before["IndicatorReport"] + 4
    summary = {item.title: item for item in report.summary()}
    assert (summary["企业"].created, summary["企业"].updated) == (2, 1)
    assert (summary["干部"].created, summary["驻企安排"].created) == (2, 3)
    assert summary["月度指标"].created == 4

    ding = Enterprise.objects.get(credit_code=CODE_1)
    assert (ding.industry, ding.ownership, ding.size) == ("C", "private", "medium")
    assert ding.region == world.town_a and ding.is_key and ding.listing_status == "preparing"
    assert ding.employees == 210 and ding.updated_by == world.office
    wu = Enterprise.objects.get(credit_code=CODE_2)
    assert (wu.industry, wu.ownership, wu.employees, wu.is_key) == ("C", "joint_stock", 1050, False)
    world.ent_a.refresh_from_db()
    assert world.ent_a.size == "large" and world.ent_a.version == 2

    zhou = Profile.objects.get(phone="13800000001")
    assert (
        zhou.has_role("cadre") and zhou.unit == world.dev_bureau and zhou.rank == "deputy_section"
    )
    assert zhou.user.username == "13800000001" and not zhou.user.has_usable_password()
    assert Profile.objects.get(phone="13800000002").unit == world.finance_bureau

    first = Assignment.objects.get(cadre=zhou)
    assert first.enterprise == ding and first.work_group == world.group
    assert first.start_date == datetime.date(2026, 3, 10) and first.role == "member"
    second = Assignment.objects.get(cadre__phone="13800000002")
    assert second.enterprise == wu and second.role == "leader"
    assert Assignment.objects.filter(cadre=world.cadre_a.profile, enterprise=wu).exists()

    march = IndicatorReport.objects.get(enterprise=ding, month=datetime.date(2026, 3, 1))
    assert march.revenue == Decimal("1150.50") and march.profit == Decimal("-35.20")
    assert march.source == "statistics" and march.reported_by == world.office
    assert IndicatorReport.objects.get(enterprise=ding, month="2026-04-01").profit == -12
    may = IndicatorReport.objects.get(enterprise=ding, month="2026-05-01")
    assert may.output_value == Decimal("1250.25") and may.profit is None
    june = IndicatorReport.objects.get(enterprise=world.ent_a, month="2026-06-01")
    assert june.output_value == 2000 and june.investment == 0 and june.employees == 320


def test_same_file_twice_updates_instead_of_duplicating(world):
    content = xlsx(good_sheets(world))
    assert run(content, world.office).committed
    after_first = counts()

    again = run(content, world.office)

    assert again.committed and counts() == after_first
    for item in again.summary():
        assert (item.created, item.updated) == (0, 0), item
        assert item.unchanged > 0
    # A changed cell is an update of that one row, nothing else.
    sheets = good_sheets(world)
    sheets["企业"][1][5] = "大型"
    sheets["月度指标"][1][2] = 1300
    third = run(xlsx(sheets), world.office)
    summary = {item.title: item for item in third.summary()}
    assert (summary["企业"].updated, summary["企业"].unchanged) == (1, 2)
    assert (summary["月度指标"].updated, summary["月度指标"].unchanged) == (1, 3)
    assert counts() == after_first
    assert Enterprise.objects.get(credit_code=CODE_1).size == "large"


def test_statistics_override_a_cadre_figure_but_blank_cells_keep_it(world):
    IndicatorReport.objects.create(
        enterprise=world.ent_a, month=datetime.date(2026, 3, 1), output_value=10, tax=5
    )
    content = xlsx({"月度指标": [INDICATOR_HEADER, [world.ent_a.credit_code, "2026-03", 12]]})
    report = run(content, world.office)
    assert report.committed and report.summary()[0].updated == 1
    figures = IndicatorReport.objects.get(enterprise=world.ent_a)
    assert (figures.output_value, figures.tax, figures.source) == (12, 5, "statistics")


# --- A bad file: nothing saved, every error located ---------------------------------------


def bad_sheets(world) -> dict[str, list[list]]:
    sheets = good_sheets(world)
    bad_code = CODE_1[:-1] + ("0" if CODE_1[-1] != "0" else "1")
    sheets["企业"] += [
        ["坏校验位公司", bad_code, "制造业", "", "民营", "小型", "城关镇"],  # row 5
        ["无此区域公司", make_credit_code(9003), "制造业", "", "民营", "小型", "火星镇"],  # row 6
        ["重复代码公司", CODE_1, "制造业", "", "民营", "小型", "城关镇"],  # row 7
    ]
    sheets["干部"].append(["郑干部", "1380000", "示范县财政局"])  # row 4
    sheets["驻企安排"].append([PROGRAMME + "X", "13800000001", CODE_2, None, None, "2026-03-01"])
    sheets["月度指标"] += [
        [CODE_2, "2026-13", 1],  # row 6
        [CODE_1, "2026-03", 99],  # row 7: same enterprise and month as row 2
    ]
    return sheets


def test_one_bad_row_among_good_ones_saves_nothing_and_reports_every_error(world):
    before = counts()
    report = run(xlsx(bad_sheets(world)), world.office)

    assert not report.ok and not report.committed
    assert counts() == before
    errors = located(report)
    assert "校验位错误" in errors[("企业", 5, "统一社会信用代码")]
    assert "火星镇" in errors[("企业", 6, "所属区域")]
    assert "与工作表“企业”第2行重复" in errors[("企业", 7, "统一社会信用代码")]
    assert "11位" in errors[("干部", 4, "手机号")]
    assert "驻企批次" in errors[("驻企安排", 5, "驻企批次")]
    assert "不是有效的月份" in errors[("月度指标", 6, "月份")]
    assert "与工作表“月度指标”第2行重复" in errors[("月度指标", 7, "月份")]
    assert len(report.errors) == 7
    text = str(next(e for e in report.errors if e.row == 5 and e.sheet == "企业"))
    assert text.startswith("工作表“企业” 第5行 统一社会信用代码：统一社会信用代码校验位错误")


def test_missing_required_cells_and_bad_values_are_all_reported(world):
    sheets = {
        "企业": [
            ENTERPRISE_HEADER,
            ["", make_credit_code(9010), "火箭制造", "", "国企？", "巨型", "城关镇", "", "", "", "",
             "-3", "", "也许", "上市了"],
        ],
        "驻企安排": [
            ASSIGNMENT_HEADER,
            [PROGRAMME, "13900000003", None, None, "第九工作组", "2025-01-01", "2024-12-01"],
            [PROGRAMME, "13912340000", None, "不存在的公司", None, "2026-04-01"],
        ],
    }  # fmt: skip
    report = run(xlsx(sheets), world.office)
    errors = located(report)
    assert errors[("企业", 2, "企业名称")] == "必填项，不能为空。"
    for column in ("行业门类", "经济类型", "企业规模", "职工人数", "重点企业", "上市情况"):
        assert ("企业", 2, column) in errors, column
    assert "工作组" in errors[("驻企安排", 2, "工作组")]
    assert "撤离日期不能早于进驻日期" in errors[("驻企安排", 2, "撤离日期")]
    assert "起止日期" in errors[("驻企安排", 2, "进驻日期")]
    assert "13912340000" in errors[("驻企安排", 3, "干部手机号")]
    assert "不存在的公司" in errors[("驻企安排", 3, "企业名称")]


def test_write_phase_refusal_is_mapped_to_its_cell_and_rolls_back_everything(world, monkeypatch):
    from stationing.imports import enterprise_sheet

    real_create = enterprise_sheet.enterprise_create

    def refuse_second(**fields):
        if fields["credit_code"] == CODE_2:
            raise ValidationError({"address": "地址不规范", "__all__": "整体不通过"})
        return real_create(**fields)

    monkeypatch.setattr(enterprise_sheet, "enterprise_create", refuse_second)
    before = counts()
    report = run(xlsx(good_sheets(world)), world.office)

    assert not report.committed and counts() == before
    errors = located(report)
    assert errors[("企业", 3, "地址")] == "地址不规范"
    assert errors[("企业", 3, "")] == "整体不通过"
    # The assignment that needs the refused enterprise is not attempted (no follow-on errors).
    assert len(report.errors) == 2


def test_office_cannot_import_outside_its_territory(world):
    sheets = {
        "企业": [ENTERPRISE_HEADER, ["外县公司", CODE_1, "C", "", "民营", "小型", "邻县某镇"]],
        "月度指标": [INDICATOR_HEADER, [world.ent_c.credit_code, "2026-03", 1]],
    }
    report = run(xlsx(sheets), world.office)
    errors = located(report)
    assert "管辖范围" in errors[("企业", 2, "所属区域")]
    assert "管理范围" in errors[("月度指标", 2, "统一社会信用代码")]
    # The command without --user is not bound to a territory.
    assert run(xlsx(sheets), None).committed


def test_statistics_bureau_sheet_is_recognised_by_its_header(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["2026年3月规模以上工业企业主要经济指标"])
    sheet.append([])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "月份", "工业总产值（万元）",
                  "利润总额（万元）", "从业人员平均人数"])  # fmt: skip
    sheet.append([1, world.ent_a.name, world.ent_a.credit_code, "2026/3", "12,345.6", "(20)", 300])
    sheet.append([2, world.ent_b.name, world.ent_b.credit_code, "2026.03", "800", "-", None])
    sheet.append([None, "合计", None, None, "13,145.6", "-20", 300])
    notes = workbook.create_sheet("封面")
    notes["A1"] = "某市统计局"
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(buffer.getvalue(), world.office)

    assert report.committed, [str(e) for e in report.errors]
    assert [(item.title, item.label, item.created) for item in report.summary()] == [
        ("Sheet1", "月度指标", 2)
    ]
    assert any("合计行" in warning for warning in report.warnings)
    assert any("封面" in warning for warning in report.warnings)
    a = IndicatorReport.objects.get(enterprise=world.ent_a)
    assert (a.output_value, a.profit, a.employees) == (Decimal("12345.60"), -20, 300)
    b = IndicatorReport.objects.get(enterprise=world.ent_b)
    assert b.month == datetime.date(2026, 3, 1) and b.profit is None


def test_a_workbook_without_importable_sheets_is_an_error(world):
    report = run(xlsx({"Sheet1": [["随便", "什么"], [1, 2]]}), world.office)
    assert not report.ok and "没有可导入的工作表" in report.errors[0].message


def test_named_sheet_missing_a_required_column(world):
    report = run(xlsx({"干部": [["姓名", "手机号"], ["甲", "13800000009"]]}), world.office)
    assert located(report) == {("干部", 1, "派出单位"): "缺少必填列“派出单位”。"}


# --- Cell parsers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2026-03", "2026-3", "2026/03", "2026年3月", "2026年03月份", "202603", 202603,
     excel_date(2026, 3, 1), datetime.date(2026, 3, 17), 2026.03, "2026-03-01"],
)  # fmt: skip
def test_month_formats(value):
    assert base.parse_month(value) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("value", ["2026-13", "三月", "2026", 2026.1, "2026-02-30"])
def test_bad_months(value):
    with pytest.raises(base.CellError):
        base.parse_month(value)


def test_numbers_and_phones():
    money = base.parse_decimal()
    assert money("1,234.567") == Decimal("1234.57")
    assert money(" 12 345 ") == Decimal("12345")
    assert money("—") is None
    with pytest.raises(base.CellError):
        money("-1")
    assert base.parse_decimal(allow_negative=True)("-1,000.5") == Decimal("-1000.50")
    assert base.parse_count("1,200") == 1200
    with pytest.raises(base.CellError):
        base.parse_count("12.5")
    assert base.parse_phone("+86 139 1234 5678") == "13912345678"
    assert base.parse_phone(13912345678) == "13912345678"
    with pytest.raises(base.CellError):
        base.parse_phone("12912345678")
    with pytest.raises(base.CellError, match="文本格式"):
        base.parse_credit_code(9.13501e17)


# --- The command -------------------------------------------------------------------------


def test_command_imports_a_good_file(world, tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(xlsx(good_sheets(world)))
    before = counts()

    out = io.StringIO()
    call_command("import_xlsx", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "新增2条" in out.getvalue() and counts() == before

    out = io.StringIO()
    call_command("import_xlsx", str(path), stdout=out, stderr=io.StringIO())
    assert "企业（工作表“企业”）：新增2条，更新1条，未变化0条" in out.getvalue()
    assert counts()["Enterprise"] == before["Enterprise"] + 2
    assert Enterprise.objects.get(credit_code=CODE_1).updated_by is None


def test_command_with_a_bad_file_prints_every_error_and_fails(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(bad_sheets(world)))
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="7 处错误"):
        call_command("import_xlsx", str(path), stdout=io.StringIO(), stderr=err)
    assert counts() == before
    assert "工作表“干部” 第4行 手机号：" in err.getvalue()
    assert err.getvalue().count("\n") >= 7


def test_command_refuses_a_file_that_is_not_xlsx(world, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("姓名，手机号\n")
    with pytest.raises(CommandError):
        call_command("import_xlsx", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_command_as_a_user_is_bound_to_their_territory(world, tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(
        xlsx(
            {"企业": [ENTERPRISE_HEADER, ["外县公司", CODE_1, "C", "", "民营", "小型", "邻县某镇"]]}
        )
    )
    with pytest.raises(CommandError):
        call_command(
            "import_xlsx", str(path), "--user", "office", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Enterprise.objects.filter(credit_code=CODE_1).exists()


# --- The page ----------------------------------------------------------------------------


def upload(client, content: bytes, name="导入.xlsx"):
    return client.post(reverse("import-upload"), {"file": SimpleUploadedFile(name, content)})


def test_page_flow_upload_preview_confirm(world, client_for, media):
    client = client_for(world.office)
    assert client.get(reverse("import-upload")).status_code == 200
    before = counts()

    response = upload(client, xlsx(good_sheets(world)))
    assert response.status_code == 302
    preview_url = response["Location"]
    upload_id = preview_url.rstrip("/").split("/")[-1]
    assert (media / "imports" / str(world.office.pk) / f"{upload_id}.xlsx").is_file()

    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert counts() == before  # the preview's trial run is rolled back
    summary = {item.title: item for item in preview.context["summary"]}
    assert (summary["企业"].created, summary["企业"].updated) == (2, 1)
    assert "确认导入" in preview.content.decode() and "导入.xlsx" in preview.content.decode()

    confirm_url = reverse("import-confirm", args=[upload_id])
    done = client.post(confirm_url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("import-upload")
    assert "导入完成" in done.content.decode()
    assert counts()["Assignment"] == before["Assignment"] + 3
    assert Enterprise.objects.get(credit_code=CODE_1).updated_by == world.office
    assert SubmissionToken.objects.filter(token=upload_id).count() == 1
    assert not (media / "imports" / str(world.office.pk) / f"{upload_id}.xlsx").exists()

    # A second click on the same confirm button imports nothing more.
    after = counts()
    again = client.post(confirm_url, follow=True)
    assert "已经导入" in again.content.decode()
    assert counts() == after


def test_preview_of_a_bad_file_lists_errors_and_offers_no_confirm(world, client_for, media):
    client = client_for(world.office)
    response = upload(client, xlsx(bad_sheets(world)))
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert preview.context["error_count"] == 7
    assert "校验位错误" in page and "火星镇" in page and "确认导入" not in page
    upload_id = response["Location"].rstrip("/").split("/")[-1]
    before = counts()
    refused = client.post(reverse("import-confirm", args=[upload_id]))
    assert refused.status_code == 200 and counts() == before
    assert not SubmissionToken.objects.filter(token=upload_id).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名单.csv", "姓名，手机号\n".encode(), "只能导入"),
        ("名单.xlsx", b"this is not a workbook", "不是有效的 Excel"),
        ("旧版.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版"),
        ("空.xlsx", b"", "空"),
    ],
)
def test_non_xlsx_upload_is_refused_with_a_message(
    world, client_for, media, name, content, message
):
    client = client_for(world.office)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    # Refused before it is stored: nothing is written.
    assert not (media / "imports").exists()


def test_a_zip_that_is_not_a_workbook_is_refused(world, client_for, media):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    response = upload(client_for(world.office), buffer.getvalue())
    assert "不是 Excel 工作簿" in response.content.decode()


def test_upload_larger_than_the_limit_is_refused(world, client_for, media, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(client_for(world.office), xlsx(good_sheets(world)))
    assert response.status_code == 200 and "文件太大" in response.content.decode()


@pytest.mark.parametrize("who", ["cadre_a", "leader", "department", "enterprise_a", "outsider"])
def test_only_office_staff_may_import(world, client_for, media, who):
    client = client_for(getattr(world, who))
    some_id = "0b7a4a52-3c0d-4c38-9d44-7f4b2a0d7e11"
    assert client.get(reverse("import-upload")).status_code == 403
    assert upload(client, xlsx(good_sheets(world))).status_code == 403
    assert client.get(reverse("import-template", args=["all"])).status_code == 403
    assert client.get(reverse("import-preview", args=[some_id])).status_code == 403
    assert client.post(reverse("import-confirm", args=[some_id])).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("import-upload"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_upload_of_another_user_is_not_found(world, client_for, media):
    office = client_for(world.office)
    preview_url = upload(office, xlsx(good_sheets(world)))["Location"]
    upload_id = preview_url.rstrip("/").split("/")[-1]
    other = User.objects.create_user("office2")
    other.groups.set(world.office.groups.all())
    office.force_login(other)
    response = office.get(preview_url, follow=True)
    assert "已过期或不存在" in response.content.decode()
    office.post(reverse("import-confirm", args=[upload_id]))
    assert not Enterprise.objects.filter(credit_code=CODE_1).exists()


# --- Templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["enterprises", "cadres", "assignments", "indicators"])
def test_template_download_is_an_xlsx_with_the_chinese_headers(world, client_for, kind):
    response = client_for(world.office).get(reverse("import-template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet_kind = KINDS_BY_KEY[kind]
    assert workbook.sheetnames == [sheet_kind.sheet_name, "填写说明"]
    sheet = workbook[sheet_kind.sheet_name]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.title for column in sheet_kind.columns]
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet.max_row == 1  # no example row to be imported by mistake
    notes = workbook["填写说明"]
    described = {row[1] for row in notes.iter_rows(values_only=True)}
    assert {column.header for column in sheet_kind.columns} <= described


def test_combined_template_has_every_sheet_and_imports_once_filled(world, client_for, media):
    client = client_for(world.office)
    response = client.get(reverse("import-template", args=["all"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    # 重点项目: the sheet projects registers with the same import (projects.imports).
    assert workbook.sheetnames == ["企业", "干部", "驻企安排", "月度指标", "重点项目", "填写说明"]
    assert [c.value for c in workbook["企业"][1]][:3] == [
        "企业名称*",
        "统一社会信用代码*",
        "行业门类*",
    ]
    assert [c.value for c in workbook["月度指标"][1]][:2] == ["统一社会信用代码*", "月份*"]
    notes_text = " ".join(
        str(v) for row in workbook["填写说明"].iter_rows(values_only=True) for v in row if v
    )
    assert "城关镇" in notes_text and PROGRAMME in notes_text  # what the user may refer to
    assert "邻县某镇" not in notes_text

    for row in good_sheets(world)["企业"][1:]:
        workbook["企业"].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), world.office)
    assert report.committed, [str(e) for e in report.errors]
    assert [item.title for item in report.summary()] == [
        "企业",
        "干部",
        "驻企安排",
        "月度指标",
        "重点项目",
    ]
    assert report.summary()[0].created == 2


def test_unknown_template_kind_is_404(world, client_for):
    assert client_for(world.office).get(reverse("import-template", args=["x"])).status_code == 404


def test_pages_use_no_missing_template_variable(world, client_for, media):
    # A missing template variable fails the render (tests/strict_templates.py).
    client = client_for(world.office)
    pages = [client.get(reverse("import-upload"))]
    preview_url = upload(client, xlsx(bad_sheets(world)))["Location"]
    pages.append(client.get(preview_url))
    pages.append(client.get(upload(client, xlsx(good_sheets(world)))["Location"]))
    for page in pages:
        assert page.status_code == 200


def test_unnamed_sheet_missing_one_required_column_is_reported_not_skipped(world):
    report = run(
        xlsx({"Sheet1": [["姓名", "手机号", "职务"], ["甲", "13800000009", "科员"]]}), world.office
    )
    assert located(report) == {("Sheet1", 1, "派出单位"): "缺少必填列“派出单位”。"}
    unrelated = run(xlsx({"Sheet1": [["企业名称", "备注"], ["甲公司", "无"]]}), world.office)
    assert "没有可导入的工作表" in unrelated.errors[0].message
    assert any("Sheet1" in warning for warning in unrelated.warnings)


def test_confirm_racing_a_first_confirm_imports_nothing(world, client_for, media, monkeypatch):
    """Two clicks in flight: the second passes the early check but loses the token claim."""
    from stationing.views import imports as import_views

    client = client_for(world.office)
    upload_id = upload(client, xlsx(good_sheets(world)))["Location"].rstrip("/").split("/")[-1]
    # The first request has claimed the token (and, on PostgreSQL, the second one waited for it
    # to commit); the second got past the check at the top of the view before that.
    SubmissionToken.objects.create(token=upload_id, user=world.office, result_url="/import/")
    monkeypatch.setattr(import_views, "_already_imported", lambda request, upload_id: False)
    before = counts()

    response = client.post(reverse("import-confirm", args=[upload_id]), follow=True)

    assert "已经导入" in response.content.decode()
    assert counts() == before


# --- E-mail addresses in the cadre sheet ----------------------------------------------------


def test_cadre_sheet_takes_an_optional_email_column(world):
    sheets = {
        "干部": [
            [*CADRE_HEADER, "电子邮箱"],
            ["周干部", "13800000001", "示范县发展和改革局", "副科级", None, "zhou@example.gov.cn"],
            ["吴干部", "13800000002", "示范县财政局", None, None, None],
            # An existing cadre gets an address; the phone keys the row.
            ["张干部", world.cadre_a.profile.phone, "示范县发展和改革局", None, None,
             " zhang＠example.gov.cn "],
        ]
    }  # fmt: skip
    report = run(xlsx(sheets), world.office)

    assert report.ok and report.committed, [str(e) for e in report.errors]
    assert Profile.objects.get(phone="13800000001").user.email == "zhou@example.gov.cn"
    assert Profile.objects.get(phone="13800000002").user.email == ""
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == "zhang@example.gov.cn"

    # Again with the address cell blank: it is kept, and the row is unchanged.
    sheets["干部"][3][5] = None
    again = run(xlsx(sheets), world.office)
    assert again.summary()[0].unchanged == 3
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == "zhang@example.gov.cn"


def test_cadre_sheet_email_header_aliases():
    sheet = KINDS_BY_KEY["cadres"]
    for header in ("电子邮箱", "邮箱", "电子邮件", "Email"):
        match = sheet.match_header([*CADRE_HEADER, header])
        assert match.headers.get("email") == header, header


def test_a_bad_email_is_a_row_error_and_nothing_is_saved(world):
    before = counts()
    sheets = {
        "干部": [
            [*CADRE_HEADER, "邮箱"],
            ["周干部", "13800000001", "示范县发展和改革局", None, None, "zhou@example.gov.cn"],
            ["吴干部", "13800000002", "示范县财政局", None, None, "wu.example.gov.cn"],
        ]
    }
    report = run(xlsx(sheets), world.office)

    assert not report.ok and not report.committed
    assert counts() == before
    message = located(report)[("干部", 3, "邮箱")]
    assert message == "电子邮箱“wu.example.gov.cn”格式不正确，应如 zhang@example.gov.cn。"
    assert len(report.errors) == 1
