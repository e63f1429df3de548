"""The analytics dashboard in the back office: who sees it, what it says,
and a query count that does not grow with the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import ReturnReason, SerialReturner
from returns.services import return_policy_update
from returns.services.serial import serial_returners_flag
from returns.tests.analytics.conftest import variant
from returns.tests.factories import delivered_order, login, return_request_make
from shop.accounts.tests.factories import StaffFactory

URL = "/admin/returns/analytics/"


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_returns_permission_are_refused(client, db):
    login(client, StaffFactory(email="catalogue@example.com"))
    assert client.get(URL).status_code == 403


def test_returns_staff_see_members_against_non_members(client, shop, desk):
    login(client, desk)
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Members return 44.4% of the units they buy, non-members 12.5%." in page
    assert "By tier:" in page and "60.0%" in page and "25.0%" in page
    assert '<svg role="img" aria-labelledby="ra-membership-title' in page
    assert "Linen shirt" in page and "Tea mug" in page
    assert f'href="/admin/catalog/product/{shop.mug.product_id}/change/"' in page
    # Returns staff may look, not clear flags.
    assert "Clear the flag" not in page


def test_the_period_selector(client, shop, desk):
    login(client, desk)

    year = client.get(URL, {"days": 365})
    assert year.context["dashboard"].period.days == 365
    assert "Members return 50.0% of the units they buy" in year.content.decode()
    assert b'aria-current="page">Last 365 days' in year.content
    assert client.get(URL, {"days": "abc"}).context["dashboard"].period.days == 30


def test_the_admin_index_links_the_dashboard(client, db, desk):
    login(client, desk)
    page = client.get("/admin/").content.decode()
    assert f'href="{URL}"' in page
    assert "Return analytics" in page
    assert f'href="{URL}"' in client.get("/admin/returns/").content.decode()


def test_the_index_hides_the_link_from_staff_without_the_permission(client, db):
    login(client, StaffFactory(email="catalogue@example.com", is_superuser=False))
    assert URL.encode() not in client.get("/admin/").content


def test_the_merchant_clears_a_flag_from_the_dashboard(client, shop, merchant):
    serial_returners_flag(now=shop.now)
    row = SerialReturner.objects.get()
    login(client, merchant)
    page = client.get(URL).content.decode()
    assert "Clear the flag" in page
    clear = f"{URL}serial/{row.pk}/clear/"

    assert client.get(clear).status_code == 405
    response = client.post(clear, {"days": "90"})

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?days=90"
    row.refresh_from_db()
    assert row.cleared_by == merchant
    assert "Nobody is flagged." in client.get(URL).content.decode()


def test_returns_staff_cannot_clear_a_flag(client, shop, desk):
    serial_returners_flag(now=shop.now)
    row = SerialReturner.objects.get()
    login(client, desk)

    assert client.post(f"{URL}serial/{row.pk}/clear/").status_code == 403
    row.refresh_from_db()
    assert row.cleared_at is None


def _one_more_return(n: int):
    """A new customer, product and category, with a delivered order and a return."""
    item = variant(f"Product {n}", f"Category {n}", "800")
    order = delivered_order(items=[(item, 6)])
    return_request_make(order=order, quantity=3, reason=ReturnReason.WRONG_SIZE)
    serial_returners_flag(now=order.delivered_at)


def test_query_count_does_not_grow_with_the_data(client, shop, desk):
    # Every new customer's one return of 3 in 6 units flags them.
    return_policy_update(serial_returner_min_returns=1)
    login(client, desk)
    client.get(URL)  # warm the per-process caches (policy, tiers)

    counts = []
    for n in range(2):
        _one_more_return(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
        dashboard = response.context["dashboard"]
        assert len(dashboard.products) == 2 + n
        assert len(dashboard.customers) == 3 + n
        assert len(dashboard.serial_returners) == 2 + n
    assert counts[0] == counts[1], counts
