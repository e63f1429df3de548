"""The return policy (one row), the refunds ledger and the serial returners."""

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.tests.factories import member_create
from returns.models import Refund, ReturnStatus, SerialReturner
from returns.selectors import return_policy
from returns.tests.factories import login, return_request_make
from returns.tests.staff.support import queries_of

pytestmark = pytest.mark.django_db

POLICY = {
    "merchant_window_days": "45",
    "restocking_fee_percent": "10",
    "return_shipping_fee": "60",
    "shipping_refund_rule": "cooling_off",
    "credit_bonus_percent": "5",
    "refund_deadline_days": "15",
    "ship_within_days": "14",
    "reversed_points_rule": "deduct",
    "serial_returner_rate": "40",
    "serial_returner_min_returns": "3",
}


@pytest.fixture
def owner_client(client, merchant):
    login(client, merchant)
    return client


def test_the_policy_list_goes_to_the_one_policy(owner_client):
    response = owner_client.get(reverse("admin:returns_returnpolicy_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:returns_returnpolicy_change", args=[1]
    )
    assert owner_client.get(reverse("admin:returns_returnpolicy_add")).status_code == (
        403
    )


def test_the_policy_is_saved_through_the_service(owner_client):
    url = reverse("admin:returns_returnpolicy_change", args=[return_policy().pk])

    response = owner_client.post(url, POLICY)

    assert response.status_code == 302
    policy = return_policy()
    assert (policy.merchant_window_days, policy.reversed_points_rule) == (45, "deduct")
    assert str(policy.restocking_fee_percent) == "10.00"


def test_a_window_shorter_than_the_cooling_off_period_is_refused(owner_client):
    url = reverse("admin:returns_returnpolicy_change", args=[return_policy().pk])

    response = owner_client.post(url, {**POLICY, "merchant_window_days": "5"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "merchant_window_days": [
            "The return window cannot be shorter than the 7-day cooling-off period."
        ]
    }
    assert return_policy().merchant_window_days == 30


def test_the_refunds_ledger_is_read_only_and_its_list_flat(owner_client):
    return_request_make(status=ReturnStatus.RESOLVED)
    url = reverse("admin:returns_refund_changelist")
    before = queries_of(owner_client, url)
    refund = Refund.objects.get()
    return_request_make(status=ReturnStatus.RESOLVED)

    assert queries_of(owner_client, url) == before
    change = reverse("admin:returns_refund_change", args=[refund.pk])
    page = owner_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert owner_client.post(change, {"total": "0"}).status_code == 403
    assert owner_client.get(reverse("admin:returns_refund_add")).status_code == 403


def test_serial_returners_are_listed_with_their_rate(owner_client):
    SerialReturner.objects.create(
        user=member_create(email="often@example.com"),
        units_bought=10,
        units_returned=6,
        returns_count=4,
        flagged_at=timezone.now(),
    )

    response = owner_client.get(reverse("admin:returns_serialreturner_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "often@example.com" in html
    assert "60.0%" in html
