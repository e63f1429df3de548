"""Coupons in the back office: the form's checks, issuing vouchers, the lists."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from loyalty.coupons.forms import CouponAdminForm, contact_parse
from loyalty.coupons.services import coupon_issue
from loyalty.models import Coupon, CouponRedemption, MemberCoupon
from loyalty.tests.admin_support import merchant_login, queries_of
from loyalty.tests.coupons.support import coupon_create
from loyalty.tests.factories import member_create
from loyalty.tests.prices_fixtures import member_in
from shop.orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

COUPONS = reverse("admin:loyalty_coupon_changelist")
VOUCHERS = reverse("admin:loyalty_membercoupon_changelist")
USES = reverse("admin:loyalty_couponredemption_changelist")

VALID = {
    "name": "Summer sale",
    "code": "summer-10",
    "kind": "percent",
    "value": "10",
    "min_spend": "0",
    "members_only": "on",
    "per_member_limit": "1",
    "combines_with_points": "on",
    "combines_with_member_prices": "on",
    "combines_with_member_day": "on",
    "is_active": "on",
}


@pytest.fixture
def merchant(client):
    return merchant_login(client)


def form_errors(**changes) -> dict:
    data = {**VALID, **changes}
    form = CouponAdminForm(data={k: v for k, v in data.items() if v is not None})
    form.is_valid()
    return {field: list(errors) for field, errors in form.errors.items()}


def test_the_form_keeps_codes_tidy_and_unique():
    form = CouponAdminForm(data=VALID)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "SUMMER-10"
    coupon_create(code="SUMMER-10")
    assert form_errors() == {"code": ["Another coupon already has this code."]}
    assert form_errors(code="summer 10") == {
        "code": ["Use only letters, digits, “-” and “_” (no spaces)."]
    }
    assert form_errors(code="v:12") == {
        "code": ["Use only letters, digits, “-” and “_” (no spaces)."]
    }


def test_the_form_checks_the_kind_against_the_value():
    assert form_errors(code="A", value="150") == {
        "value": ["Enter a percentage above 0 and up to 100."]
    }
    assert form_errors(code="B", kind="fixed", value="0") == {
        "value": ["Enter the amount the coupon takes off."]
    }
    assert form_errors(code="C", kind="shipping", value="60") == {
        "value": ["Leave the value at 0 for free shipping."]
    }
    assert form_errors(code="D", kind="fixed", value="100", max_discount="50") == {
        "max_discount": ["A cap applies to percentage coupons only."]
    }


def test_the_form_checks_who_and_when():
    assert form_errors(code="E", min_tier_code="diamond") == {
        "min_tier_code": ["The tiers in force have no tier “diamond”: choose another."]
    }
    assert form_errors(code="F", members_only=None, min_tier_code="gold") == {
        "members_only": ["A coupon for a tier is for members only."]
    }
    assert form_errors(
        code="G", starts_at="2027-02-01 00:00", ends_at="2027-01-01 00:00"
    ) == {"ends_at": ["The end must come after the start."]}


def test_the_limit_cannot_go_below_the_uses(merchant, client):
    coupon = coupon_create(code="LIMITED", usage_limit=10, times_used=4)
    data = {**VALID, "code": "LIMITED", "usage_limit": "3"}
    response = client.post(
        reverse("admin:loyalty_coupon_change", args=[coupon.pk]), data
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "usage_limit": ["It has been used 4 times already: allow at least that."]
    }


def test_saving_a_coupon_keeps_the_uses_made_meanwhile(merchant, client, monkeypatch):
    coupon = coupon_create(code="LIMITED", usage_limit=10, times_used=4)
    clean = CouponAdminForm.clean

    def redeemed_meanwhile(form):
        # A checkout redeems the coupon after the admin read the row.
        Coupon.objects.filter(pk=coupon.pk).update(times_used=F("times_used") + 1)
        return clean(form)

    monkeypatch.setattr(CouponAdminForm, "clean", redeemed_meanwhile)
    data = {**VALID, "code": "LIMITED", "name": "Renamed", "usage_limit": "10"}
    response = client.post(
        reverse("admin:loyalty_coupon_change", args=[coupon.pk]), data
    )

    assert response.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.name, coupon.times_used) == ("Renamed", 5)


def test_the_change_page_shows_the_uses_read_only(merchant, client):
    coupon = coupon_create(usage_limit=100, times_used=7)
    response = client.get(reverse("admin:loyalty_coupon_change", args=[coupon.pk]))
    html = response.content.decode()
    assert "7 / 100" in html
    assert f"{USES}?coupon__id__exact={coupon.pk}" in html
    assert 'name="times_used"' not in html


def _action(client, action, coupon, **form):
    """The action run from the list, then its page posted with `form`."""
    page = client.post(
        COUPONS,
        {"action": action, "_selected_action": [coupon.pk], "index": "0"},
    )
    assert page.status_code == 200
    key = page.context["form"]["issue_key"].value()
    response = client.post(
        COUPONS,
        {
            "action": action,
            "_selected_action": [coupon.pk],
            "apply": "1",
            "issue_key": key,
            **form,
        },
    )
    return page, key, response


def test_issue_to_a_tier(merchant, client):
    golds = [member_in("gold", email=f"g{n}@example.com") for n in range(2)]
    member_in("silver", email="s@example.com")
    coupon = coupon_create(code="", name="Gold gift", valid_days=14)

    page, key, response = _action(client, "issue_to_tier", coupon, tier="gold")

    assert "Gold gift — valid for 14 days after issue" in page.content.decode()
    assert response.status_code == 302 and response.url == COUPONS
    assert sorted(MemberCoupon.objects.values_list("user", flat=True)) == sorted(
        u.pk for u in golds
    )
    note = f"Issued 2 vouchers to members of Gold ({key})."
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Gold gift: {note}"
    ]
    assert LogEntry.objects.get(object_id=str(coupon.pk)).get_change_message() == note

    # The same page sent again issues nothing twice.
    client.post(
        COUPONS,
        {
            "action": "issue_to_tier",
            "_selected_action": [coupon.pk],
            "apply": "1",
            "issue_key": key,
            "tier": "gold",
        },
    )
    assert MemberCoupon.objects.count() == 2


def test_issue_to_a_pasted_list(merchant, client):
    by_mail = member_create(email="mail@example.com")
    by_phone = member_create(email="phone@example.com", phone="+886912345678")
    coupon = coupon_create(code="", name="VIP gift")

    _page, _key, response = _action(
        client,
        "issue_to_members",
        coupon,
        recipients="MAIL@example.com\n0912-345-678, nobody@example.com",
    )

    assert response.status_code == 302
    assert sorted(MemberCoupon.objects.values_list("user", flat=True)) == sorted(
        [by_mail.pk, by_phone.pk]
    )
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "No customer has these, so they got nothing: nobody@example.com"
    )


def test_a_list_with_a_typo_is_shown_again(merchant, client):
    coupon = coupon_create(code="")
    _page, _key, response = _action(
        client, "issue_to_members", coupon, recipients="someone@, 12"
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "recipients": [
            "These are neither an email address nor a phone number: someone@, 12"
        ]
    }
    assert MemberCoupon.objects.count() == 0


def test_an_ended_coupon_is_not_issued(merchant, client):
    member_in("gold", email="g@example.com")
    coupon = coupon_create(code="", ends_at=timezone.now())
    _page, _key, response = _action(client, "issue_to_tier", coupon, tier="gold")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "“Summer sale” has ended: vouchers of it could not be used."
    ]


def test_contact_parse():
    assert contact_parse(" A@Example.com ;\n\n0912 345 678,a@example.com") == (
        ["a@example.com", "+886912345678"],
        [],
    )


# --- Lists ----------------------------------------------------------------------


def _fill(count: int, start: int) -> None:
    for n in range(start, start + count):
        user = member_create(email=f"m{n}@example.com")
        coupon = coupon_create(code=f"C{n}", name=f"Coupon {n}")
        voucher = coupon_issue(coupon=coupon, user=user, issue_key="k", source="t")
        CouponRedemption.objects.create(
            coupon=coupon,
            member_coupon=voucher,
            user=user,
            order=OrderFactory(user=user),
            amount=Decimal("100"),
        )


@pytest.mark.parametrize("url", [COUPONS, VOUCHERS, USES])
def test_the_lists_read_a_page_in_the_same_queries(merchant, client, url):
    _fill(2, 0)
    queries_of(client, url)  # warms the session and the caches
    two = queries_of(client, url)
    _fill(1, 2)
    assert queries_of(client, url) == two


def test_the_ledgers_are_read_only_and_searchable(merchant, client):
    _fill(2, 0)
    response = client.get(VOUCHERS, {"q": "m1@example.com"})
    assert response.status_code == 200
    assert [row.user.email for row in response.context["cl"].result_list] == [
        "m1@example.com"
    ]
    voucher = MemberCoupon.objects.first()
    change = client.get(reverse("admin:loyalty_membercoupon_change", args=[voucher.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:loyalty_couponredemption_add")).status_code == 403
