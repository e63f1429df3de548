"""Taiwan's counties and cities, for the address book's first level."""

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
