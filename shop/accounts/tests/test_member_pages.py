import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.accounts.member_area import (
    DashboardCard,
    MenuLink,
    _cards,
    _menu,
    register_card,
    register_menu_link,
)
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.services import address_create
from shop.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TAIPEI = {
    "recipient_name": "王小明",
    "phone": "0912-345-678",
    "country": "TW",
    "postal_code": "106",
    "city": "臺北市",
    "district": "大安區",
    "street": "復興南路一段1號",
}


def _address(user, **overrides):
    return address_create(user=user, **{**TAIPEI, **overrides})


@pytest.fixture
def member(client):
    user = UserFactory(name="陳美麗", email="mei@example.com")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("accounts:dashboard", []),
        ("accounts:profile", []),
        ("accounts:addresses", []),
        ("accounts:address_add", []),
        ("accounts:address_edit", [1]),
        ("accounts:address_delete", [1]),
    ],
)
def test_member_pages_need_login(client, url_name, args):
    url = reverse(url_name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_set_default_needs_login_and_post(client, member):
    address = _address(member)
    url = reverse("accounts:address_default", args=[address.pk])
    assert client.get(url).status_code == 405
    client.logout()
    assert client.post(url).status_code == 302


def test_dashboard_greets_and_summarises(client, member):
    _address(member, street="忠孝東路四段2號")
    response = client.get(reverse("accounts:dashboard"), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hello, 陳美麗" in html
    assert "mei@example.com" in html
    assert "106 臺北市大安區忠孝東路四段2號" in html
    keys = [card.key for card, _context in response.context["cards"]]
    # Other apps (orders, loyalty) add their own cards around these.
    assert [key for key in keys if key in {"profile", "address"}] == [
        "profile",
        "address",
    ]


def test_dashboard_without_address_offers_to_add_one(client, member):
    html = client.get(reverse("accounts:dashboard"), **EN).content.decode()
    assert "You have not saved an address yet." in html
    assert f'href="{reverse("accounts:address_add")}"' in html


def test_other_apps_can_add_cards_and_menu_links(client, member, monkeypatch):
    monkeypatch.setattr("shop.accounts.member_area._cards", dict(_cards))
    monkeypatch.setattr("shop.accounts.member_area._menu", dict(_menu))
    register_card(
        DashboardCard(
            key="points",
            template_name="accounts/cards/profile.html",
            order=-1,
            context=lambda request: {"user": request.user},
        )
    )
    register_card(
        DashboardCard(
            key="hidden",
            template_name="accounts/cards/profile.html",
            context=lambda request: None,
        )
    )
    register_menu_link(MenuLink("points", "Points", "accounts:profile", 40))

    response = client.get(reverse("accounts:dashboard"))

    keys = [card.key for card, _context in response.context["cards"]]
    assert keys[0] == "points"
    assert "hidden" not in keys
    assert keys.index("profile") < keys.index("address")
    assert ">Points</a>" in response.content.decode()


def test_profile_saves_name_phone_birthday_and_consents(client, member):
    response = client.post(
        reverse("accounts:profile"),
        {
            "name": "陳美美",
            "phone": "0912 345 678",
            "birthday": "1992-03-04",
            "accepts_email_marketing": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "陳美美"
    assert member.phone == "+886912345678"
    assert member.birthday == datetime.date(1992, 3, 4)
    assert member.birthday_set_at is not None
    assert member.accepts_email_marketing is True
    assert list(
        ConsentRecord.objects.filter(user=member).values_list(
            "channel", "granted", "source"
        )
    ) == [("email", True, "profile")]


def test_profile_shows_error_for_bad_phone(client, member):
    response = client.post(
        reverse("accounts:profile"), {"name": "陳美麗", "phone": "0812-345"}, **EN
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."
    ]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_phone_error"' in html
    member.refresh_from_db()
    assert member.phone == ""


def test_birthday_is_read_only_once_set(client, member):
    member.birthday = datetime.date(1990, 1, 1)
    member.save()

    response = client.get(reverse("accounts:profile"), **EN)
    html = response.content.decode()
    assert 'name="birthday"' in html
    assert "disabled" in html.split('name="birthday"')[1].split(">")[0]
    assert "Your birthday is set. To correct it, please contact us." in html

    response = client.post(
        reverse("accounts:profile"),
        {"name": "陳美麗", "phone": "", "birthday": "1999-09-09"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.birthday == datetime.date(1990, 1, 1)


def test_profile_lists_consent_history(client, member):
    client.post(
        reverse("accounts:profile"),
        {"name": "陳美麗", "phone": "0912345678", "accepts_sms_marketing": "on"},
    )
    response = client.get(reverse("accounts:profile"), **EN)
    assert [r.channel for r in response.context["consent_records"]] == ["sms"]
    assert "Your consent history" in response.content.decode()


def test_address_book_lists_only_my_addresses(client, member):
    mine = _address(member)
    theirs = _address(UserFactory(), street="別人的地址")
    response = client.get(reverse("accounts:addresses"))
    assert list(response.context["addresses"]) == [mine]
    assert theirs.street not in response.content.decode()


def test_address_book_query_count_does_not_grow(client, member):
    for n in range(3):
        _address(member, street=f"{n}號")
    url = reverse("accounts:addresses")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    _address(member, street="4號")
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(three)


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "accounts:address_edit"),
        ("post", "accounts:address_edit"),
        ("get", "accounts:address_delete"),
        ("post", "accounts:address_delete"),
        ("post", "accounts:address_default"),
    ],
)
def test_another_members_address_is_not_found(client, member, method, url_name):
    other = UserFactory()
    theirs = _address(other)
    _address(other, street="二號")
    response = getattr(client, method)(reverse(url_name, args=[theirs.pk]), TAIPEI)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.street == "復興南路一段1號"
    assert theirs.is_default is True


def test_add_address_with_taiwan_county_select(client, member):
    response = client.get(reverse("accounts:address_add"))
    html = response.content.decode()
    assert '<select name="city"' in html
    assert '<option value="臺北市">' in html

    response = client.post(
        reverse("accounts:address_add"), {**TAIPEI, "postal_code": "106-024"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:addresses")
    address = Address.objects.get(user=member)
    assert address.postal_code == "106024"
    assert address.phone == "+886912345678"
    assert address.is_default is True


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"postal_code": "1234"},
            "postal_code",
            "Enter a Taiwan postal code of 3, 5 or 6 digits, e.g. 106 or 106024.",
        ),
        (
            {"phone": "12345"},
            "phone",
            "Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678.",
        ),
        (
            {"city": "東京都"},
            "city",
            "Select a valid choice. 東京都 is not one of the available choices.",
        ),
        ({"district": ""}, "district", "This field is required."),
    ],
)
def test_add_address_shows_field_errors(client, member, overrides, field, message):
    response = client.post(
        reverse("accounts:address_add"), {**TAIPEI, **overrides}, **EN
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Address.objects.count() == 0


def test_foreign_address_uses_a_free_city(client, member):
    response = client.post(
        reverse("accounts:address_add"),
        {**TAIPEI, "country": "JP", "change_country": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="text" name="city"' in html
    assert response.context["form"].errors == {}
    assert Address.objects.count() == 0

    response = client.post(
        reverse("accounts:address_add"),
        {
            **TAIPEI,
            "phone": "+81 90 1234 5678",
            "country": "JP",
            "postal_code": "150-0001",
            "city": "Tokyo",
            "district": "",
            "street": "1-2-3 Jingumae",
        },
    )
    assert response.status_code == 302
    address = Address.objects.get()
    assert (address.country, address.city, address.postal_code) == (
        "JP",
        "Tokyo",
        "150-0001",
    )


def test_edit_address_and_make_it_default(client, member):
    first = _address(member)
    second = _address(member, street="二號")
    response = client.get(reverse("accounts:address_edit", args=[second.pk]))
    assert response.context["form"].initial["phone"] == "0912-345-678"

    response = client.post(
        reverse("accounts:address_edit", args=[second.pk]),
        {**TAIPEI, "street": "改過的地址", "is_default": "on"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.street, second.is_default, first.is_default) == (
        "改過的地址",
        True,
        False,
    )


def test_default_address_form_has_no_untick_box(client, member):
    default = _address(member)
    response = client.get(reverse("accounts:address_edit", args=[default.pk]))
    assert "is_default" not in response.context["form"].fields


def test_set_default_from_the_list(client, member):
    first = _address(member)
    second = _address(member, street="二號")
    response = client.post(reverse("accounts:address_default", args=[second.pk]))
    assert response.status_code == 302
    assert list(
        Address.objects.filter(user=member, is_default=True).values_list(
            "pk", flat=True
        )
    ) == [second.pk]
    first.refresh_from_db()
    assert first.is_default is False


def test_delete_asks_then_deletes_and_promotes(client, member):
    first = _address(member)
    second = _address(member, street="二號")
    response = client.get(reverse("accounts:address_delete", args=[first.pk]))
    assert response.status_code == 200
    assert Address.objects.filter(pk=first.pk).exists()

    response = client.post(reverse("accounts:address_delete", args=[first.pk]))
    assert response.status_code == 302
    assert not Address.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.is_default is True


def test_menu_marks_the_current_page(client, member):
    address = _address(member)
    html = client.get(
        reverse("accounts:address_edit", args=[address.pk])
    ).content.decode()
    assert f'href="{reverse("accounts:addresses")}" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse("account_email")}"' in html
    assert f'href="{reverse("account_change_password")}"' in html


def test_logging_out_from_the_menu(client, member):
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(pk=member.pk).exists()
