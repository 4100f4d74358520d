"""A project team member files the monthly progress on a phone (375 px), then sees it on the
project page with the investment curve drawn; screenshots of both."""

import pytest

from projects.models import ProjectProgress
from tests.projects.project_helpers import create_project

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def project(world):
    return create_project(world)


def test_team_member_files_progress_on_a_phone(
    transactional_db, world, project, new_page, sign_in, live_server, artifacts
):
    page = sign_in(new_page(viewport=PHONE), "cadre_b")
    page.goto(f"{live_server.url}/projects/mine/")
    page.get_by_role("link", name=project.name).click()
    page.get_by_test_id("file-progress").click()
    page.fill("#id_investment_month", "350.5")
    page.select_option("#id_stage_reached", "filing")
    page.fill("#id_work_done", "完成项目备案，正在办理用地预审。")
    page.fill("#id_problems", "施工用电尚未接通\n进场道路需要拓宽")
    page.screenshot(path=str(artifacts / "project-progress-form-375.png"), full_page=True)
    page.click(".form-page form button[type=submit]")
    page.wait_for_selector("[data-testid=progress-row]")
    page.wait_for_selector("[data-chart='investment'] svg path", state="attached")
    page.screenshot(path=str(artifacts / "project-detail-375.png"), full_page=True)
    progress = ProjectProgress.objects.get(project=project)
    assert str(progress.investment_month) == "350.50"
    assert progress.problems.count() == 2
    project.refresh_from_db()
    assert project.stage == "filing"
    assert page.get_by_test_id("to-date").inner_text() == "350.50"
    # No horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.problems, page.problems
