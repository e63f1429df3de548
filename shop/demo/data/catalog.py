"""The demo catalogue: the category tree in menu order, and the brands."""

from shop.demo.data.apparel import APPAREL
from shop.demo.data.bags import BAGS
from shop.demo.data.coffee import COFFEE
from shop.demo.data.home import HOME
from shop.demo.data.skincare import SKINCARE
from shop.demo.data.snacks import SNACKS
from shop.demo.data.stationery import STATIONERY
from shop.demo.data.tea import TEA

TOP_CATEGORIES = (COFFEE, TEA, SKINCARE, APPAREL, HOME, SNACKS, STATIONERY, BAGS)

# (slug, name)
BRANDS = (
    ("shanlan-coffee", "山嵐咖啡"),
    ("sunlight-roastery", "日光烘焙所"),
    ("island-coffee", "小島咖啡"),
    ("qingtian-tea", "青田茶行"),
    ("lugu-tea-house", "鹿谷茶坊"),
    ("tea-journey", "茶旅 Tea Journey"),
    ("morning-dew", "晨露 Morning Dew"),
    ("camellia-lab", "山茶花研究室"),
    ("weave-days", "織日"),
    ("cotton-works", "棉作 Cotton Works"),
    ("island-life", "島嶼生活"),
    ("white-kiln", "白瓷窯"),
    ("mokume", "木目 Mokume"),
    ("lamplight", "燈下香氛"),
    ("good-times", "好食光"),
    ("grandmas-kitchen", "阿嬤的灶腳"),
    ("paper-days", "紙本生活"),
    ("wayfarer", "行旅 Wayfarer"),
)

# Editions that tell apart the extra products of a benchmark-sized catalogue
# (`seed_demo --products 2000`), which repeats the written products.
EDITIONS = (
    "經典款",
    "限定版",
    "新包裝",
    "季節限定",
    "禮盒版",
    "門市人氣款",
    "二代",
    "聯名款",
    "典藏版",
    "輕巧版",
    "升級版",
    "週年紀念版",
    "小資組",
    "熱銷回歸",
    "職人款",
    "旅行版",
)
