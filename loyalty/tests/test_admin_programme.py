"""The programme settings page: one row, edited in place, cache cleared."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from loyalty.models import LoyaltyProgramme, PointsExpiryRule
from loyalty.selectors.programme import programme
from loyalty.tests.admin_support import (
    change_form_data,
    customer_service_login,
    merchant_login,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:loyalty_loyaltyprogramme_changelist")
CHANGE = reverse("admin:loyalty_loyaltyprogramme_change", args=[1])


@pytest.fixture
def merchant(client):
    return merchant_login(client)


def test_the_list_goes_straight_to_the_settings(client, merchant):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"] == CHANGE


def test_the_settings_row_is_made_when_missing(client, merchant):
    LoyaltyProgramme.objects.all().delete()

    response = client.get(CHANGELIST, follow=True)

    assert response.redirect_chain[-1][0] == CHANGE
    assert LoyaltyProgramme.objects.get().pk == 1


def test_settings_page_in_four_sections(client, merchant):
    response = client.get(CHANGE)

    assert response.status_code == 200
    assert [fieldset.name for fieldset in response.context["adminform"]][:4] == [
        "Earning",
        "Spending",
        "Expiry",
        "Tiers",
    ]
    body = response.content.decode()
    assert "e.g. 1 point for every NT$100 paid." in body
    assert 'name="_addanother"' not in body
    assert client.get(reverse("admin:loyalty_loyaltyprogramme_add")).status_code == 403
    delete = reverse("admin:loyalty_loyaltyprogramme_delete", args=[1])
    assert client.get(delete).status_code == 403


def test_saving_clears_the_cached_settings(client, merchant):
    assert programme().earn_per_amount == Decimal("100")  # now cached
    data = change_form_data(client.get(CHANGE))
    data["earn_per_amount"] = "50"
    data["redeem_max_percent"] = "30"

    response = client.post(CHANGE, data, follow=True)

    assert response.redirect_chain[-1][0] == CHANGE
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The programme settings were saved. They apply from now on."
    ]
    settings = programme()
    assert (settings.earn_per_amount, settings.redeem_max_percent) == (
        Decimal("50"),
        30,
    )


def test_a_yearly_expiry_day_must_exist_every_year(client, merchant):
    data = change_form_data(client.get(CHANGE))
    data.update(
        expiry_rule=PointsExpiryRule.FIXED_DATE, expiry_month="2", expiry_day="29"
    )

    response = client.post(CHANGE, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "expiry_day": ["This month has no such day every year; choose 28 or earlier."]
    }
    assert LoyaltyProgramme.objects.get().expiry_rule == PointsExpiryRule.END_OF_MONTH


def test_customer_service_cannot_see_the_settings(client):
    customer_service_login(client)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(CHANGE).status_code == 403
