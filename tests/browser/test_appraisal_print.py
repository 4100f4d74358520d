"""The appraisal's print views on A4 (issue 11): the office prints a draft run's ranked table,
a cadre their own published result with what was counted; chromium prints each to PDF and
pdftotext reads the Chinese back."""

import pytest
from django.urls import reverse

from supervision.services import appraisal_publish
from tests.supervision.test_appraisal import moment, run_as_of, scenario  # noqa: F401

from .conftest import DESKTOP
from .test_print import open_print, squeeze

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_run_and_result_print_to_a4(scenario, at, new_page, sign_in, live_server, artifacts):  # noqa: F811
    w = scenario
    run = run_as_of(at, w.programme, by=w.office)
    page = sign_in(new_page(viewport=DESKTOP), "office")
    text = open_print(
        page, live_server, reverse("appraisal-detail", args=[run.pk]), artifacts, "appraisal-run"
    )
    flat = squeeze(text)
    assert squeeze(f"{w.programme.name}考核结果") in flat
    for expected in ("第1版", "草稿（未发布，不作为考核结论）", "2026-04-20", "张干部", "李干部"):
        assert expected in flat, expected
    for expected in ("80.71", "良好", "10.26", "不合格"):
        assert expected in flat, expected
    page.close()

    at(moment(5, 7), appraisal_publish, run=run, by=w.office)
    mine = run.cadres.get(cadre=w.cadre_a.profile)
    page = sign_in(new_page(viewport=DESKTOP), "cadre_a")
    text = open_print(
        page,
        live_server,
        reverse("appraisal-result", args=[mine.pk]),
        artifacts,
        "appraisal-result",
    )
    flat = squeeze(text)
    for expected in (
        "张干部的考核结果",
        "已发布",
        "得分构成",
        "80.71",
        "2026年3月下半月",
        "逾期",
        "用电增容",
        "截止日期时已超期未办结（红牌）",
        "甲公司财务",
        "打印时间",
    ):
        assert squeeze(expected) in flat, expected
    assert "草稿（未发布" not in flat
