"""Taiwan's counties and cities, for the address book's first level."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

TAIWAN_CITIES = [
    ("臺北市", _("Taipei City")),
    ("新北市", _("New Taipei City")),
    ("基隆市", _("Keelung City")),
    ("桃園市", _("Taoyuan City")),
    ("新竹市", _("Hsinchu City")),
    ("新竹縣", _("Hsinchu County")),
    ("苗栗縣", _("Miaoli County")),
    ("臺中市", _("Taichung City")),
    ("彰化縣", _("Changhua County")),
    ("南投縣", _("Nantou County")),
    ("雲林縣", _("Yunlin County")),
    ("嘉義市", _("Chiayi City")),
    ("嘉義縣", _("Chiayi County")),
    ("臺南市", _("Tainan City")),
    ("高雄市", _("Kaohsiung City")),
    ("屏東縣", _("Pingtung County")),
    ("宜蘭縣", _("Yilan County")),
    ("花蓮縣", _("Hualien County")),
    ("臺東縣", _("Taitung County")),
    ("澎湖縣", _("Penghu County")),
    ("金門縣", _("Kinmen County")),
    ("連江縣", _("Lienchiang County")),
]
TAIWAN_CITY_NAMES = {name for name, _label in TAIWAN_CITIES}

# Destinations the address book offers. A shop narrows or reorders them with the
# setting SHOP_ADDRESS_COUNTRIES (a list of codes); the first one is the default.
COUNTRY_NAMES = {
    "TW": _("Taiwan"),
    "HK": _("Hong Kong"),
    "MO": _("Macau"),
    "CN": _("China"),
    "SG": _("Singapore"),
    "MY": _("Malaysia"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "US": _("United States"),
    "CA": _("Canada"),
    "AU": _("Australia"),
    "GB": _("United Kingdom"),
}
DEFAULT_ADDRESS_COUNTRIES = ["TW", "HK", "MO", "SG", "MY", "JP", "US"]


def address_countries() -> list[tuple[str, str]]:
    """The (code, name) pairs a customer may pick for an address."""
    codes = (
        getattr(settings, "SHOP_ADDRESS_COUNTRIES", None) or DEFAULT_ADDRESS_COUNTRIES
    )
    return [(code, COUNTRY_NAMES.get(code, code)) for code in codes]
