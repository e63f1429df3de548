"""The back office: member-day and birthday settings, and the tiers' new benefits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import Coupon, SchemeStatus, TierScheme
from loyalty.selectors.programme import programme
from loyalty.tests.admin_support import change_form_data, merchant_login

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:loyalty_loyaltyprogramme_change", args=[1])
NEW_DRAFT = reverse("admin:loyalty_tierscheme_new_draft")


@pytest.fixture
def merchant(client):
    return merchant_login(client)


def test_the_settings_have_member_day_and_birthday_sections(client, merchant):
    response = client.get(CHANGE)

    sections = {
        fieldset.name: tuple(fieldset.fields)
        for fieldset in response.context["adminform"]
    }
    assert sections["Member day"] == (
        "member_day_dates",
        "member_day_weekday",
        "member_day_reminders",
    )
    assert sections["Birthday gifts"] == (
        "birthday_gift_day",
        "birthday_gift_valid_days",
        "birthday_change_lock_days",
        "birthday_new_account_days",
    )
    body = response.content.decode()
    for names in (sections["Member day"], sections["Birthday gifts"]):
        for name in names:
            assert f'name="{name}"' in body


def test_member_days_are_saved_tidy(client, merchant):
    data = change_form_data(client.get(CHANGE))
    data.update(member_day_dates="18, 8", member_day_weekday="2")

    response = client.post(CHANGE, data)

    assert response.status_code == 302
    settings_row = programme()
    assert (settings_row.member_day_dates, settings_row.member_day_weekday) == (
        "8,18",
        2,
    )


def test_a_day_that_is_not_a_day_of_the_month_is_refused(client, merchant):
    data = change_form_data(client.get(CHANGE))
    data["member_day_dates"] = "8,32"

    response = client.post(CHANGE, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "member_day_dates": [
            "“32” is not a day of the month. Enter days from 1 to 31 separated "
            "by commas, e.g. 8,18."
        ]
    }
    assert programme().member_day_dates == ""


def test_a_birthday_gift_is_valid_for_at_least_a_day(client, merchant):
    data = change_form_data(client.get(CHANGE))
    data["birthday_gift_valid_days"] = "0"

    response = client.post(CHANGE, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "birthday_gift_valid_days": ["Ensure this value is greater than or equal to 1."]
    }
    assert programme().birthday_gift_valid_days == 30


def test_a_draft_tier_takes_a_birthday_coupon_and_a_member_day_multiplier(
    client, merchant
):
    coupon = Coupon.objects.create(name="生日券")
    client.post(NEW_DRAFT)
    draft = TierScheme.objects.get(status=SchemeStatus.DRAFT)
    url = reverse("admin:loyalty_tierscheme_change", args=[draft.pk])
    page = client.get(url)
    data = change_form_data(page)
    gold = next(
        key[: -len("-code")]
        for key, value in data.items()
        if key.endswith("-code") and value == "gold"
    )
    data[f"{gold}-birthday_coupon"] = str(coupon.pk)
    data[f"{gold}-member_day_points_multiplier"] = "2.5"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    tier = draft.tiers.get(code="gold")
    assert (tier.birthday_coupon, tier.member_day_points_multiplier) == (
        coupon,
        Decimal("2.5"),
    )
