import datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.accounts.admin import AddressAdmin, CustomerAdmin
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.services import address_create, user_consent_set
from shop.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TAIPEI = {
    "recipient_name": "王小明",
    "phone": "0912-345-678",
    "country": "TW",
    "postal_code": "106",
    "city": "臺北市",
    "district": "大安區",
    "street": "復興南路一段1號",
}


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser(email="boss@example.com", password="x")
    )
    return client


def _customer(n: int) -> User:
    user = UserFactory(phone=f"+88691234{n:04d}")
    address_create(user=user, **TAIPEI)
    user_consent_set(user=user, channel="email", granted=True, source="signup")
    return user


def _change_data(user: User, **overrides) -> dict:
    """What the customer change form posts when nothing is edited."""
    data = {
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "birthday": user.birthday.isoformat() if user.birthday else "",
        "is_active": "on" if user.is_active else "",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "consent_records-TOTAL_FORMS": "0",
        "consent_records-INITIAL_FORMS": "0",
    }
    if user.accepts_email_marketing:
        data["accepts_email_marketing"] = "on"
    if user.accepts_sms_marketing:
        data["accepts_sms_marketing"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_customer_changelist_query_count_does_not_grow(admin_client):
    url = reverse("admin:accounts_user_changelist")
    for n in range(3):
        _customer(n)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as n_rows:
        response = admin_client.get(url)
    assert response.status_code == 200
    _customer(3)
    with CaptureQueriesContext(connection) as n_plus_one:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5  # 4 customers + the admin
    assert len(n_plus_one) == len(n_rows)


def test_address_changelist_query_count_does_not_grow(admin_client):
    url = reverse("admin:accounts_address_changelist")
    for n in range(3):
        _customer(n)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as n_rows:
        admin_client.get(url)
    _customer(3)
    with CaptureQueriesContext(connection) as n_plus_one:
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 4
    assert len(n_plus_one) == len(n_rows)


def test_customer_admin_configuration():
    assert CustomerAdmin.show_full_result_count is False
    assert CustomerAdmin.search_fields == ("email", "name", "phone")
    assert AddressAdmin.autocomplete_fields == ("user",)
    assert AddressAdmin.list_select_related == ("user",)


@pytest.mark.parametrize("query", ["mei@example", "陳美", "+886987654321"])
def test_search_customers_by_email_name_or_phone(admin_client, query):
    UserFactory(email="mei@example.com", name="陳美麗", phone="+886987654321")
    UserFactory(email="other@example.com", name="林", phone="+886911111111")
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": query})
    assert [u.email for u in response.context["cl"].result_list] == ["mei@example.com"]


def test_filter_customers_by_consent(admin_client):
    consenting = _customer(1)
    UserFactory()
    response = admin_client.get(
        reverse("admin:accounts_user_changelist"),
        {"accepts_email_marketing__exact": "1"},
    )
    assert list(response.context["cl"].result_list) == [consenting]


def test_change_page_shows_addresses_and_consent_history(admin_client):
    user = _customer(1)
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "復興南路一段1號" in html
    assert "../password/" in html
    consent_inline = response.context["inline_admin_formsets"][1]
    assert consent_inline.opts.model is ConsentRecord
    assert consent_inline.has_add_permission is False
    assert consent_inline.has_change_permission is False
    assert consent_inline.has_delete_permission is False


def test_add_customer_with_email_and_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Customer@Example.com",
            "name": "新客人",
            "usable_password": "true",
            "password1": "sunny-oolong-77",
            "password2": "sunny-oolong-77",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.customer@example.com")
    assert user.name == "新客人"
    assert user.check_password("sunny-oolong-77")
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary")
    ) == [("new.customer@example.com", True)]


def test_add_customer_refuses_an_email_in_use_in_another_case(admin_client):
    UserFactory(email="taken@example.com")
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Taken@Example.com",
            "usable_password": "true",
            "password1": "sunny-oolong-77",
            "password2": "sunny-oolong-77",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A customer with this email address already exists."
    ]


def test_staff_correct_birthday_and_it_is_recorded(admin_client):
    user = UserFactory(birthday=datetime.date(1990, 1, 1))
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_data(user, birthday="1990-02-01"),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.birthday == datetime.date(1990, 2, 1)
    assert user.birthday_set_at is not None


def test_staff_consent_change_is_recorded_with_source_admin(admin_client):
    user = _customer(1)
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_data(user, accepts_email_marketing=None, phone="0912 000 111"),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.accepts_email_marketing is False
    assert user.phone == "+886912000111"
    assert [(r.granted, r.source) for r in ConsentRecord.objects.filter(user=user)] == [
        (False, "admin"),
        (True, "signup"),
    ]


def test_staff_email_change_replaces_the_login_address(admin_client):
    user = UserFactory(email="old@example.com")
    EmailAddress.objects.create(
        user=user, email="old@example.com", primary=True, verified=True
    )
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_data(user, email="new@example.com"),
    )
    assert response.status_code == 302
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    ) == ["new@example.com"]


def test_admin_rejects_a_bad_phone_with_a_form_error(admin_client):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_data(user, phone="12345"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"] == [
        "Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."
    ]


def test_addresses_added_in_the_inline_keep_one_default(admin_client):
    user = UserFactory()
    data = _change_data(user)
    data.update({"addresses-TOTAL_FORMS": "2"})
    for index, street in enumerate(["一號", "二號"]):
        for key, value in {**TAIPEI, "street": street}.items():
            data[f"addresses-{index}-{key}"] = value
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), data
    )
    assert response.status_code == 302
    assert list(
        Address.objects.filter(user=user)
        .order_by("street")
        .values_list("street", "is_default", "phone")
    ) == [("一號", True, "+886912345678"), ("二號", False, "+886912345678")]


def test_address_admin_add_goes_through_the_rules(admin_client):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_address_add"),
        {**TAIPEI, "user": user.pk, "city": "台中市"},
    )
    assert response.status_code == 302
    address = Address.objects.get(user=user)
    assert (address.city, address.is_default) == ("臺中市", True)


def test_address_admin_shows_rule_errors(admin_client):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_address_add"),
        {**TAIPEI, "user": user.pk, "postal_code": "12"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["postal_code"] == [
        "Enter a Taiwan postal code of 3, 5 or 6 digits, e.g. 106 or 106024."
    ]


def test_address_admin_action_and_delete_keep_one_default(admin_client):
    user = UserFactory()
    first = address_create(user=user, **TAIPEI)
    second = address_create(user=user, **{**TAIPEI, "street": "二號"})
    url = reverse("admin:accounts_address_changelist")
    admin_client.post(url, {"action": "make_default", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.is_default is True

    response = admin_client.post(
        reverse("admin:accounts_address_delete", args=[second.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_default is True


def test_address_autocomplete_finds_customers(admin_client):
    UserFactory(email="mei@example.com")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "address",
            "field_name": "user",
            "term": "mei",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        User.objects.get(email="mei@example.com").name
    ]


def _staff_with_role(role: str) -> User:
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name=role))
    return user


def test_customer_service_cannot_grant_itself_back_office_rights(client):
    from django.contrib.auth.models import Group

    from shop.core.roles import CUSTOMER_SERVICE

    agent = _staff_with_role(CUSTOMER_SERVICE)
    customer = UserFactory()
    client.force_login(agent)
    everything = [group.pk for group in Group.objects.all()]

    own = client.post(
        reverse("admin:accounts_user_change", args=[agent.pk]),
        _change_data(agent, is_staff="on", is_superuser="on", groups=everything),
    )
    other = client.post(
        reverse("admin:accounts_user_change", args=[customer.pk]),
        _change_data(customer, name="新名字", is_staff="on", is_superuser="on"),
    )

    agent.refresh_from_db()
    customer.refresh_from_db()
    assert own.status_code == 403
    assert agent.is_superuser is False
    assert list(agent.groups.values_list("name", flat=True)) == [CUSTOMER_SERVICE]
    assert other.status_code == 302
    assert customer.name == "新名字"
    assert customer.is_staff is False
    assert customer.is_superuser is False


def test_customer_service_cannot_reset_a_superusers_password(client):
    from shop.core.roles import CUSTOMER_SERVICE

    client.force_login(_staff_with_role(CUSTOMER_SERVICE))
    boss = User.objects.create_superuser(email="boss@example.com", password="x")

    page = client.get(reverse("admin:auth_user_password_change", args=[boss.pk]))
    post = client.post(
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        {"password1": "taken-over-1", "password2": "taken-over-1"},
    )

    boss.refresh_from_db()
    assert page.status_code == 403
    assert post.status_code == 403
    assert boss.check_password("x") is True


def test_merchant_manages_staff_but_cannot_make_a_superuser(client):
    from django.contrib.auth.models import Group

    from shop.core.roles import CUSTOMER_SERVICE, MERCHANT

    merchant = _staff_with_role(MERCHANT)
    colleague = UserFactory()
    client.force_login(merchant)

    response = client.post(
        reverse("admin:accounts_user_change", args=[colleague.pk]),
        _change_data(
            colleague,
            is_staff="on",
            is_superuser="on",
            groups=[Group.objects.get(name=CUSTOMER_SERVICE).pk],
        ),
    )

    colleague.refresh_from_db()
    assert response.status_code == 302
    assert colleague.is_staff is True
    assert colleague.is_superuser is False
    assert list(colleague.groups.values_list("name", flat=True)) == [CUSTOMER_SERVICE]
