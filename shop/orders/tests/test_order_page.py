"""The order page's panels: the seam other apps (returns) add sections through."""

import copy

import pytest

from shop.accounts.tests.factories import UserFactory
from shop.orders import order_page
from shop.orders.order_page import OrderPanel, order_panels_for, register_order_panel
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels(monkeypatch):
    """An empty registry for the test; the apps' own panels come back after it."""
    monkeypatch.setattr(order_page, "_panels", {})
    return order_page._panels


def test_panels_come_in_order_and_may_stay_out(panels, rf):
    seen = []

    def shown(request, order, guest):
        seen.append((order.number, guest))
        return {"n": 1}

    register_order_panel(OrderPanel("b", "b.html", 20, shown))
    register_order_panel(OrderPanel("a", "a.html", 20, lambda r, o, g: None))
    register_order_panel(OrderPanel("c", "c.html", 10))
    order = order_with_lines()

    found = order_panels_for(rf.get("/"), order=order, guest=True)

    assert [(panel.key, context) for panel, context in found] == [
        ("c", {}),
        ("b", {"n": 1}),
    ]
    assert seen == [(order.number, True)]


def test_the_member_and_guest_pages_render_the_panels(
    panels, client, tmp_path, settings
):
    (tmp_path / "panel.html").write_text(
        "<p>PANEL {{ panel.word }} {{ order.number }} {{ guest }}</p>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], str(tmp_path)]
    settings.TEMPLATES = templates
    register_order_panel(
        OrderPanel(
            "test",
            "panel.html",
            context=lambda request, order, guest: {"word": "hello"},
        )
    )
    user = UserFactory()
    order = order_with_lines(user=user)
    client.force_login(user)

    member_page = client.get(order.get_absolute_url()).content.decode()
    client.logout()
    client.post("/orders/lookup/", {"number": order.number, "email": order.email})
    guest_page = client.get(f"/orders/lookup/{order.number}/").content.decode()

    assert f"<p>PANEL hello {order.number} </p>" in member_page
    assert f"<p>PANEL hello {order.number} True</p>" in guest_page
