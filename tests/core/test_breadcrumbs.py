"""Every page below the home has a breadcrumb whose first link is the home page (issue 10)."""

import pytest
from django.urls import reverse

from .html import breadcrumb
from .pages import cadre_pages, office_pages


def check_pages(client, pages):
    missing = []
    for name, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        crumbs = breadcrumb(response.content.decode())
        if crumbs.found != 1 or not crumbs.links or crumbs.links[0] != reverse("home"):
            missing.append(f"{name} {url}: {crumbs.found} nav, links {crumbs.links}")
        elif not crumbs.active or crumbs.labels[0] != "首页" or len(crumbs.labels) < 2:
            missing.append(f"{name} {url}: no current page in {crumbs.labels}")
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_office_pages_have_a_breadcrumb_from_the_home(world, client_for):
    check_pages(client_for(world.office), office_pages(world))


@pytest.mark.django_db
def test_cadre_pages_have_a_breadcrumb_from_the_home(world, client_for, report_problem):
    check_pages(client_for(world.cadre_a), cadre_pages(world, report_problem.report))


@pytest.mark.django_db
def test_the_home_page_has_no_breadcrumb(world, client_for):
    response = client_for(world.office).get(reverse("home"))
    assert breadcrumb(response.content.decode()).found == 0


@pytest.mark.django_db
def test_a_form_page_names_its_parents(world, client_for):
    response = client_for(world.office).get(
        reverse("cadre-update", args=[world.cadre_a.profile.pk])
    )
    crumbs = breadcrumb(response.content.decode())
    assert crumbs.links == [
        reverse("home"),
        reverse("cadre-list"),
        reverse("cadre-detail", args=[world.cadre_a.profile.pk]),
    ]
    assert crumbs.labels == ["首页", "驻企干部", "张干部", "修改驻企干部信息"]
