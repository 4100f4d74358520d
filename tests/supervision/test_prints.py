"""The print view of a ticket with its timeline (issue 10): the detail page's scoping, a 打印
link on the detail page, every step of the timeline on the printed page."""

import pytest
from django.urls import reverse

from tests.printables import TICKET_TITLE, printable_ticket


@pytest.fixture
def ticket(world):
    return printable_ticket(world)


def test_ticket_print(client_for, world, ticket):
    url = reverse("ticket-print", args=[ticket.pk])
    detail = client_for(world.cadre_a).get(reverse("ticket-detail", args=[ticket.pk]))
    assert f'href="{url}"' in detail.content.decode()
    for user in (world.cadre_a, world.office, world.department, world.enterprise_a):
        page = client_for(user).get(url)
        assert page.status_code == 200, user
        html = page.content.decode()
        assert "企业诉求办理单" in html and ticket.number in html and TICKET_TITLE in html
        assert world.ent_a.name in html and world.finance_bureau.name in html
        timeline = html.split('data-testid="print-timeline"')[1]
        for step in ("提交诉求", "受理", "交办", "办理进展", "答复"):
            assert step in timeline, (user, step)
        assert "已对接" in timeline and "已办结" in timeline


@pytest.mark.parametrize("username", ["cadre_b", "outsider"])
def test_ticket_print_is_scoped_like_the_detail_page(client_for, world, ticket, username):
    client = client_for(getattr(world, username))
    assert client.get(reverse("ticket-detail", args=[ticket.pk])).status_code == 404
    assert client.get(reverse("ticket-print", args=[ticket.pk])).status_code == 404
