import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from shop.accounts.errors import AccountsError
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.selectors import address_default, address_list, consent_history
from shop.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
    address_validate,
    user_birthday_correct,
    user_consent_set,
    user_email_sync,
    user_profile_update,
)
from shop.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TAIPEI = {
    "recipient_name": "王小明",
    "phone": "0912-345-678",
    "postal_code": "106",
    "city": "臺北市",
    "district": "大安區",
    "street": "復興南路一段1號",
}


def _new_address(user, **overrides):
    return address_create(user=user, **{**TAIPEI, **overrides})


# --- Profile ----------------------------------------------------------------


def test_profile_update_normalises_phone_and_sets_birthday_once():
    user = UserFactory(name="old")
    user_profile_update(
        user=user,
        name="  陳美麗 ",
        phone="0912 345 678",
        birthday=datetime.date(1990, 5, 17),
    )
    user.refresh_from_db()
    assert user.name == "陳美麗"
    assert user.phone == "+886912345678"
    assert user.birthday == datetime.date(1990, 5, 17)
    assert user.birthday_set_at is not None
    assert timezone.now() - user.birthday_set_at < datetime.timedelta(minutes=1)


def test_member_cannot_change_birthday_a_second_time():
    user = UserFactory()
    user_profile_update(
        user=user, name="A", phone="", birthday=datetime.date(1990, 5, 17)
    )
    set_at = User.objects.get(pk=user.pk).birthday_set_at

    with pytest.raises(AccountsError) as caught:
        user_profile_update(
            user=user, name="A", phone="", birthday=datetime.date(1990, 6, 17)
        )
    assert caught.value.field == "birthday"
    assert caught.value.code == "birthday_locked"
    assert "contact us" in caught.value.message

    with pytest.raises(AccountsError):
        user_profile_update(user=user, name="A", phone="", birthday=None)

    stored = User.objects.get(pk=user.pk)
    assert stored.birthday == datetime.date(1990, 5, 17)
    assert stored.birthday_set_at == set_at


def test_same_birthday_again_is_not_a_change():
    user = UserFactory()
    user_profile_update(
        user=user, name="A", phone="", birthday=datetime.date(1990, 5, 1)
    )
    set_at = User.objects.get(pk=user.pk).birthday_set_at
    user_profile_update(
        user=user, name="B", phone="", birthday=datetime.date(1990, 5, 1)
    )
    stored = User.objects.get(pk=user.pk)
    assert stored.name == "B"
    assert stored.birthday_set_at == set_at


@pytest.mark.parametrize(
    ("birthday", "message"),
    [
        (datetime.date(2999, 1, 1), "Your birthday cannot be in the future."),
        (datetime.date(1899, 12, 31), "Enter a birthday after 1900."),
    ],
)
def test_impossible_birthdays_are_refused(birthday, message):
    user = UserFactory()
    with pytest.raises(AccountsError) as caught:
        user_profile_update(user=user, name="A", phone="", birthday=birthday)
    assert (caught.value.field, caught.value.message) == ("birthday", message)
    assert User.objects.get(pk=user.pk).birthday is None


def test_profile_update_rejects_bad_phone_and_empty_name():
    user = UserFactory(name="Keep")
    with pytest.raises(AccountsError) as caught:
        user_profile_update(user=user, name="Keep", phone="12345", birthday=None)
    assert caught.value.field == "phone"
    with pytest.raises(AccountsError) as caught:
        user_profile_update(user=user, name="  ", phone="", birthday=None)
    assert caught.value.field == "name"
    assert User.objects.get(pk=user.pk).phone == ""


def test_sms_consent_needs_a_phone():
    user = UserFactory()
    with pytest.raises(AccountsError) as caught:
        user_profile_update(
            user=user, name="A", phone="", birthday=None, accepts_sms_marketing=True
        )
    assert caught.value.field == "phone"
    assert not User.objects.get(pk=user.pk).accepts_sms_marketing
    assert ConsentRecord.objects.count() == 0


def test_profile_update_records_consent_changes_with_source():
    user = UserFactory()
    user_profile_update(
        user=user,
        name="A",
        phone="0912345678",
        birthday=None,
        accepts_email_marketing=True,
        accepts_sms_marketing=False,
    )
    records = list(
        ConsentRecord.objects.filter(user=user).values_list(
            "channel", "granted", "source"
        )
    )
    assert records == [("email", True, "profile")]


def test_staff_correction_moves_birthday_and_records_when():
    user = UserFactory()
    user_profile_update(
        user=user, name="A", phone="", birthday=datetime.date(1990, 1, 1)
    )
    first_set_at = User.objects.get(pk=user.pk).birthday_set_at

    user_birthday_correct(user=user, birthday=datetime.date(1991, 2, 2))

    stored = User.objects.get(pk=user.pk)
    assert stored.birthday == datetime.date(1991, 2, 2)
    assert stored.birthday_set_at > first_set_at


# --- Consents ---------------------------------------------------------------


def test_consent_set_updates_flag_time_and_history():
    user = UserFactory()
    record = user_consent_set(user=user, channel="email", granted=True, source="signup")

    stored = User.objects.get(pk=user.pk)
    assert stored.accepts_email_marketing is True
    assert stored.email_marketing_changed_at == record.recorded_at
    assert stored.accepts_sms_marketing is False
    assert stored.sms_marketing_changed_at is None
    assert (record.channel, record.granted, record.source) == ("email", True, "signup")

    withdrawn = user_consent_set(
        user=user, channel="email", granted=False, source="profile"
    )
    stored.refresh_from_db()
    assert stored.accepts_email_marketing is False
    assert stored.email_marketing_changed_at == withdrawn.recorded_at
    assert [(r.granted, r.source) for r in consent_history(user=user)] == [
        (False, "profile"),
        (True, "signup"),
    ]


def test_consent_set_writes_nothing_when_unchanged():
    user = UserFactory()
    assert (
        user_consent_set(user=user, channel="sms", granted=False, source="signup")
        is None
    )
    user_consent_set(user=user, channel="sms", granted=True, source="profile")
    changed_at = User.objects.get(pk=user.pk).sms_marketing_changed_at
    assert (
        user_consent_set(user=user, channel="sms", granted=True, source="profile")
        is None
    )
    assert ConsentRecord.objects.filter(user=user).count() == 1
    assert User.objects.get(pk=user.pk).sms_marketing_changed_at == changed_at


def test_consent_history_filters_by_channel():
    user = UserFactory()
    user_consent_set(user=user, channel="email", granted=True, source="signup")
    user_consent_set(user=user, channel="sms", granted=True, source="signup")
    assert [r.channel for r in consent_history(user=user, channel="sms")] == ["sms"]
    assert consent_history(user=UserFactory()).count() == 0


def test_unknown_consent_channel_is_refused():
    with pytest.raises(AccountsError) as caught:
        user_consent_set(user=UserFactory(), channel="fax", granted=True, source="x")
    assert caught.value.field == "channel"


def test_email_sync_replaces_the_address_allauth_logs_in_with():
    user = UserFactory(email="old@example.com")
    EmailAddress.objects.create(
        user=user, email="old@example.com", primary=True, verified=True
    )
    user.email = "new@example.com"
    user.save()
    user_email_sync(user=user)
    assert list(
        EmailAddress.objects.filter(user=user).values_list(
            "email", "primary", "verified"
        )
    ) == [("new@example.com", True, False)]


# --- Addresses --------------------------------------------------------------


def test_first_address_becomes_default_and_values_are_normalised():
    user = UserFactory()
    first = _new_address(user, city="台北市", postal_code="106-024", is_default=False)
    assert first.is_default is True
    assert first.phone == "+886912345678"
    assert first.city == "臺北市"
    assert first.postal_code == "106024"
    assert first.country == "TW"

    second = _new_address(user, street="忠孝東路四段2號")
    assert second.is_default is False
    assert address_default(user=user) == first


def test_creating_a_default_address_switches_the_default():
    user = UserFactory()
    first = _new_address(user)
    second = _new_address(user, street="二號", is_default=True)
    assert list(
        Address.objects.filter(user=user, is_default=True).values_list("pk", flat=True)
    ) == [second.pk]
    first.refresh_from_db()
    assert first.is_default is False


def test_set_default_keeps_exactly_one():
    user = UserFactory()
    first = _new_address(user)
    second = _new_address(user, street="二號")
    third = _new_address(user, street="三號")

    address_set_default(address=third)
    assert address_default(user=user) == third
    address_set_default(address=second)
    assert address_default(user=user) == second
    assert Address.objects.filter(user=user, is_default=True).count() == 1
    address_set_default(address=second)
    assert Address.objects.filter(user=user, is_default=True).count() == 1
    first.refresh_from_db()
    assert first.is_default is False


def test_deleting_the_default_promotes_the_newest():
    user = UserFactory()
    first = _new_address(user)
    second = _new_address(user, street="二號")
    third = _new_address(user, street="三號")
    # Same timestamps would tie; the newest is the one created last.
    Address.objects.filter(pk=second.pk).update(
        created_at=timezone.now() + datetime.timedelta(seconds=5)
    )

    promoted = address_delete(address=first)

    assert promoted == second
    assert address_default(user=user) == second
    assert set(address_list(user=user)) == {second, third}


def test_deleting_another_address_keeps_the_default():
    user = UserFactory()
    first = _new_address(user)
    second = _new_address(user, street="二號")
    assert address_delete(address=second) == first
    assert address_default(user=user) == first


def test_deleting_the_last_address_leaves_an_empty_book():
    user = UserFactory()
    only = _new_address(user)
    assert address_delete(address=only) is None
    assert address_list(user=user).count() == 0


def test_address_update_changes_fields_and_can_take_the_default():
    user = UserFactory()
    first = _new_address(user)
    second = _new_address(user, street="二號")

    address_update(address=second, city="新北市", district="板橋區", is_default=True)

    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.city, second.district, second.street) == ("新北市", "板橋區", "二號")
    assert second.is_default is True
    assert first.is_default is False


def test_address_update_cannot_take_the_default_away():
    user = UserFactory()
    first = _new_address(user)
    address_update(address=first, street="新地址", is_default=False)
    first.refresh_from_db()
    assert (first.street, first.is_default) == ("新地址", True)


def test_addresses_of_other_customers_are_untouched():
    mine, theirs = UserFactory(), UserFactory()
    their_address = _new_address(theirs)
    _new_address(mine)
    _new_address(mine, street="二號", is_default=True)
    their_address.refresh_from_db()
    assert their_address.is_default is True
    assert list(address_list(user=mine).values_list("street", flat=True)) == [
        "二號",
        "復興南路一段1號",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient_name": " "}, "recipient_name"),
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"postal_code": "1234"}, "postal_code"),
        ({"city": "東京都"}, "city"),
        ({"district": ""}, "district"),
        ({"street": ""}, "street"),
        ({"country": "XX"}, "country"),
        ({"street": "路" * 201}, "street"),
    ],
)
def test_bad_addresses_are_refused_naming_the_field(overrides, field):
    user = UserFactory()
    with pytest.raises(AccountsError) as caught:
        _new_address(user, **overrides)
    assert caught.value.field == field
    assert Address.objects.count() == 0


def test_foreign_address_has_free_city_and_postal_code():
    cleaned = address_validate(
        recipient_name="Sato",
        phone="+81 90 1234 5678",
        country="jp",
        postal_code="150-0001",
        city="Tokyo",
        district="",
        street="1-2-3 Jingumae, Shibuya",
    )
    assert cleaned == {
        "recipient_name": "Sato",
        "phone": "+819012345678",
        "country": "JP",
        "postal_code": "150-0001",
        "city": "Tokyo",
        "district": "",
        "street": "1-2-3 Jingumae, Shibuya",
    }


def test_address_countries_follow_the_setting(settings):
    settings.SHOP_ADDRESS_COUNTRIES = ["TW"]
    with pytest.raises(AccountsError) as caught:
        _new_address(UserFactory(), country="JP", city="Tokyo")
    assert caught.value.field == "country"
