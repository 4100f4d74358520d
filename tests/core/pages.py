"""The main pages of each role, for the tests that walk every page (breadcrumbs, empty choices).

`main_pages(world, user)` gives (name, url) for the pages `user` has in the navigation and the
objects below them; a few objects (a ticket, a plan, a report) are made here for the detail pages.
"""

from django.urls import reverse

from stationing.services import work_plan_get_or_create

from ..factories import IndicatorFactory, make_ticket


def office_pages(world) -> list[tuple[str, str]]:
    ticket = make_ticket(world)
    indicator = IndicatorFactory(enterprise=world.ent_a)
    pk = {
        "ent": world.ent_a.pk,
        "cadre": world.cadre_a.profile.pk,
        "programme": world.programme.pk,
        "group": world.group.pk,
        "assignment": world.assignment_a.pk,
    }
    names = [
        ("enterprise-list", []),
        ("enterprise-create", []),
        ("enterprise-detail", [pk["ent"]]),
        ("enterprise-update", [pk["ent"]]),
        ("survey-create", [pk["ent"]]),
        ("indicator-create", [pk["ent"]]),
        ("indicator-update", [indicator.pk]),
        ("cadre-list", []),
        ("cadre-create", []),
        ("cadre-detail", [pk["cadre"]]),
        ("cadre-update", [pk["cadre"]]),
        ("programme-list", []),
        ("programme-create", []),
        ("programme-detail", [pk["programme"]]),
        ("programme-update", [pk["programme"]]),
        ("work-group-create", [pk["programme"]]),
        ("work-group-update", [pk["group"]]),
        ("assignment-create", [pk["programme"]]),
        ("assignment-update", [pk["assignment"]]),
        ("assignment-reports", [pk["assignment"]]),
        ("report-matrix", [pk["programme"]]),
        ("plan-queue", []),
        ("report-queue", []),
        ("import-upload", []),
        ("ticket-list", []),
        ("ticket-detail", [ticket.pk]),
        ("calendar-settings", []),
        ("notification-list", []),
        ("notification-settings", []),
        ("notification-failures", []),
        ("password_change", []),
    ]
    return [(name, reverse(name, args=args)) for name, args in names]


def cadre_pages(world, report) -> list[tuple[str, str]]:
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    ticket = make_ticket(world)
    names = [
        ("enterprise-list", []),
        ("enterprise-detail", [world.ent_a.pk]),
        ("survey-create", [world.ent_a.pk]),
        ("indicator-create", [world.ent_a.pk]),
        ("assignment-reports", [world.assignment_a.pk]),
        ("plan-detail", [plan.pk]),
        ("plan-edit", [plan.pk]),
        ("report-detail", [report.pk]),
        ("report-edit", [report.pk]),
        ("ticket-list", []),
        ("ticket-create", []),
        ("ticket-detail", [ticket.pk]),
        ("notification-list", []),
        ("notification-settings", []),
        ("password_change", []),
    ]
    return [(name, reverse(name, args=args)) for name, args in names]
