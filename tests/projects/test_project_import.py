"""The 重点项目 sheet of the one Excel import: all-or-nothing with every row's error located,
re-import updates by programme + name, the stage only moves forward; the page and template."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.choices import Role
from projects.models import KeyProject
from stationing.imports import run_import
from tests.factories import UnitFactory, make_person

HEADER = [
    "驻企批次",
    "项目名称",
    "类别",
    "总投资（万元）",
    "本年计划投资（万元）",
    "投资企业",
    "包项领导（手机号）",
    "牵头单位",
    "协办单位",
    "所在区域",
    "当前阶段",
    "计划开工日期",
]


@pytest.fixture(autouse=True)
def resources_bureau(world):
    return UnitFactory(name="示范县自然资源局", parent=world.county)


def xlsx(rows, title="重点项目") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows(world):
    p = world.programme.name
    return [
        HEADER,
        [p, "新材料产业园", "产业", "50,000", 12000, world.ent_a.credit_code, "13900000002",
         "示范县发展和改革局", "示范县财政局、示范县自然资源局", "城关镇", "签约", "2026-04-01"],
        [p, "河东污水处理厂", "基础设施", 8000, 3000, "", "13900000002",
         "示范县财政局", "", "河东镇", "", "2026年5月1日"],
    ]  # fmt: skip


def run(world, data, commit=True):
    return run_import(io.BytesIO(data), user=world.office, commit=commit)


def test_import_creates_then_updates_by_name(world):
    report = run(world, xlsx(rows(world)))
    assert report.committed, [str(e) for e in report.errors]
    park = KeyProject.objects.get(name="新材料产业园")
    assert park.programme == world.programme and park.enterprise == world.ent_a
    assert (park.total_investment, park.year_planned_investment) == (
        Decimal("50000"),
        Decimal("12000"),
    )
    assert park.leader == world.leader and park.lead_unit == world.dev_bureau
    assert {u.name for u in park.co_units.all()} == {"示范县财政局", "示范县自然资源局"}
    assert (park.region, park.stage, park.category) == (world.town_a, "sign", "industry")
    plant = KeyProject.objects.get(name="河东污水处理厂")
    assert plant.enterprise is None and plant.stage == "attract"  # the chain's first
    assert str(plant.start_date) == "2026-05-01"

    # The same file again: nothing changes.
    again = run(world, xlsx(rows(world)))
    assert again.committed
    assert [(s.created, s.updated, s.unchanged) for s in again.summary()] == [(0, 0, 2)]
    assert KeyProject.objects.count() == 2

    # The office's next list: more money, a stage further on, blank cells keep what is there.
    data = rows(world)
    data[1][3] = 60000
    data[1][10] = "建设"
    data[1][8] = ""
    again = run(world, xlsx(data))
    assert again.committed, [str(e) for e in again.errors]
    assert [(s.created, s.updated, s.unchanged) for s in again.summary()] == [(0, 1, 1)]
    park.refresh_from_db()
    assert (park.total_investment, park.stage) == (Decimal("60000"), "construction")
    assert park.co_units.count() == 2
    assert park.stage_moves.get().to_stage == "construction"


def test_all_or_nothing_with_row_errors(world):
    make_person("cadre_x", [Role.CADRE], name="某干部", phone="13911112222")
    data = rows(world)
    data[2][6] = "13911112222"  # a cadre, not a leader
    data[2][7] = "不存在的局"
    data.append([world.programme.name, "新材料产业园", "产业", 1, 1, "", "13900000002",
                 "示范县财政局", "", "", "", ""])  # fmt: skip
    data.append(["没有的批次", "某项目", "工业园", "abc", "", "", "", "", "", "", "", ""])
    report = run(world, xlsx(data))
    assert not report.committed
    assert KeyProject.objects.count() == 0  # the good row is not saved either
    errors = {(e.row, e.column) for e in report.errors}
    assert (3, "包项领导（手机号）") in errors
    assert (3, "牵头单位") in errors
    assert (4, "项目名称") in errors  # the same name twice in one programme
    for column in ("驻企批次", "类别", "总投资（万元）", "包项领导（手机号）"):
        assert (5, column) in errors
    assert any("第3行" in str(e) and "13911112222" in str(e) for e in report.errors)


def test_stage_is_never_moved_back_by_an_import(world):
    assert run(world, xlsx(rows(world))).committed
    data = rows(world)
    data[1][10] = "招商"
    report = run(world, xlsx(data))
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(2, "当前阶段")]
    assert KeyProject.objects.get(name="新材料产业园").stage == "sign"


def test_page_and_template(world, client_for, media):
    client = client_for(world.office)
    template = client.get(reverse("import-template", args=["projects"]))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    headers = [cell.value for cell in book["重点项目"][1]]
    assert headers[:4] == ["驻企批次*", "项目名称*", "类别*", "总投资*"]
    assert "重点项目" in client.get(reverse("import-upload")).content.decode()
    response = client.post(
        reverse("import-upload"), {"file": SimpleUploadedFile("项目.xlsx", xlsx(rows(world)))}
    )
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert [(s.label, s.created) for s in preview.context["summary"]] == [("重点项目", 2)]
    upload_id = response["Location"].rstrip("/").split("/")[-1]
    client.post(reverse("import-confirm", args=[upload_id]))
    assert KeyProject.objects.count() == 2


def test_command_line_import_needs_an_office_user(world):
    report = run_import(io.BytesIO(xlsx(rows(world))), user=None)
    assert not report.committed
    assert {e.row for e in report.errors} == {2, 3}
    assert "--user" in str(report.errors[0])
