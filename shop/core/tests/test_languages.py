"""The shop speaks Traditional Chinese first, and Simplified Chinese and English too."""

import pytest
from django.conf import settings as live_settings
from django.urls import reverse

import shop.settings as shop_settings

pytestmark = pytest.mark.django_db


def test_the_shop_default_is_traditional_chinese_in_taipei():
    assert shop_settings.LANGUAGE_CODE == "zh-hant"
    assert shop_settings.TIME_ZONE == "Asia/Taipei"
    assert [code for code, _name in live_settings.LANGUAGES] == [
        "zh-hant",
        "zh-hans",
        "en",
    ]


@pytest.mark.parametrize(
    ("accept_language", "lang", "cart_label"),
    [
        ("", "zh-hant", "購物車"),
        ("zh-TW", "zh-hant", "購物車"),
        ("zh-CN", "zh-hans", "购物车"),
        ("en-GB", "en", "Cart"),
    ],
)
def test_pages_come_in_the_visitors_language(
    client, settings, accept_language, lang, cart_label
):
    settings.LANGUAGE_CODE = "zh-hant"
    response = client.get(reverse("catalog:home"), HTTP_ACCEPT_LANGUAGE=accept_language)
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert cart_label in html


def test_the_language_switcher_remembers_the_choice(client, settings):
    settings.LANGUAGE_CODE = "zh-hant"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
