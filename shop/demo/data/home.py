"""Home goods: tableware and home fragrance."""

from shop.demo.data.specs import LeafSpec, ProductSpec, TopSpec

P = ProductSpec

TABLEWARE = LeafSpec(
    slug="tableware",
    name="餐具",
    code="TW",
    description="鶯歌陶瓷、手作木器與玻璃杯，讓日常餐桌多一點溫度。",
    weight_grams=450,
    body=(
        "{brand}的{title}，材質為{material}，由台灣職人手工製作，"
        "每一件的釉色與紋理都略有不同，是手作的痕跡。\n\n"
        "使用與清潔：陶瓷與玻璃可用洗碗機；木製品請手洗、擦乾後陰乾，"
        "偶爾塗上食用油保養。\n\n"
        "運送：以蜂巢紙與氣泡袋多層包裝，如有破損請於七天內拍照聯繫客服。"
    ),
    products=(
        P(
            "celadon-rice-bowl",
            "青瓷 飯碗",
            "white-kiln",
            380,
            "鶯歌窯燒青瓷，釉色溫潤如玉，可微波、可用洗碗機。",
            {"material": "陶瓷"},
            colors=("青瓷", "月白"),
            featured=True,
        ),
        P(
            "walnut-chopsticks-set",
            "胡桃木 筷子 五雙組",
            "mokume",
            520,
            "北美胡桃木手工打磨，天然蜂蠟保養，不上漆。",
            {"material": "木"},
        ),
        P(
            "stoneware-dinner-plate",
            "粗陶 平盤 24cm",
            "white-kiln",
            680,
            "粗陶土手拉成形，霧面釉色讓料理更上相。",
            {"material": "陶瓷"},
            colors=("霧黑", "燕麥白"),
        ),
        P(
            "hand-blown-tumbler",
            "手吹 玻璃杯 350ml",
            "white-kiln",
            450,
            "新竹玻璃工坊手吹製作，杯身輕薄，裝冰茶最好看。",
            {"material": "玻璃", "capacity": "350ml"},
        ),
        P(
            "stainless-lunch-box",
            "316 不鏽鋼 便當盒",
            "mokume",
            880,
            "316 不鏽鋼，可直接放進電鍋加熱，上班族帶便當首選。",
            {"material": "不鏽鋼"},
        ),
        P(
            "white-porcelain-teacups",
            "白瓷 品茗杯 四入組",
            "white-kiln",
            980,
            "薄胎白瓷透光，最能看清茶湯顏色，附桐木收納盒。",
            {"material": "陶瓷"},
        ),
        P(
            "bamboo-serving-tray",
            "竹製 托盤",
            "mokume",
            580,
            "南投孟宗竹拼接，輕巧耐用，端茶、擺盤兩相宜。",
            {"material": "竹"},
        ),
        P(
            "enamel-mug",
            "琺瑯 馬克杯 300ml",
            "island-life",
            480,
            "輕巧耐摔的琺瑯杯，露營、辦公室、居家都適合。",
            {"material": "琺瑯", "capacity": "300ml"},
            colors=("白", "海軍藍", "芥末黃"),
        ),
    ),
)

FRAGRANCE = LeafSpec(
    slug="home-fragrance",
    name="香氛",
    code="FR",
    description="蠟燭、擴香與線香，用台灣的氣味佈置家。",
    weight_grams=350,
    body=(
        "{brand}調香師以台灣植物為靈感，{scent}，"
        "使用天然大豆蠟與不含鄰苯二甲酸酯的香精。\n\n"
        "使用建議：蠟燭每次點燃不超過四小時，第一次請燃燒至表面完全融化；"
        "擴香請放在通風處，避免陽光直射。\n\n"
        "請放在兒童與寵物無法觸及的地方。"
    ),
    products=(
        P(
            "hinoki-soy-candle",
            "台灣檜木 大豆蠟燭",
            "lamplight",
            880,
            "手工倒製的大豆蠟燭，燃燒約四十小時，檜木香讓房間像森林。",
            {"scent": "木質調", "capacity": "200g"},
            featured=True,
        ),
        P(
            "osmanthus-oolong-diffuser",
            "桂花烏龍 擴香瓶",
            "lamplight",
            980,
            "桂花的甜與烏龍茶的溫潤，玄關一放，回家就被香氣迎接。",
            {"scent": ("花香調", "茶香調"), "capacity": "100ml"},
        ),
        P(
            "grapefruit-basil-candle",
            "葡萄柚羅勒 香氛蠟燭",
            "lamplight",
            780,
            "清新葡萄柚搭配羅勒葉，廚房與工作桌的提神香氣。",
            {"scent": "柑橘調", "capacity": "200g"},
        ),
        P(
            "agarwood-incense",
            "沉香 線香 一百支",
            "island-life",
            450,
            "天然沉香粉手工製作，香氣沉穩，靜心冥想時點一支。",
            {"scent": "木質調"},
        ),
        P(
            "mint-eucalyptus-spray",
            "薄荷尤加利 室內噴霧",
            "lamplight",
            520,
            "一噴驅散悶味，梅雨季的房間與衣櫃都清爽。",
            {"scent": "草本調", "capacity": "100ml"},
        ),
        P(
            "jasmine-green-tea-diffuser",
            "茉莉綠茶 擴香瓶",
            "lamplight",
            1280,
            "茉莉花與綠茶的清雅香氣，大容量可使用約三個月。",
            {"scent": ("花香調", "茶香調"), "capacity": "200ml"},
        ),
        P(
            "citrus-car-diffuser",
            "柑橘 車用香氛夾",
            "island-life",
            380,
            "夾在出風口就能使用，清新柑橘味讓塞車也不煩躁。",
            {"scent": "柑橘調"},
        ),
        P(
            "wardrobe-sachets",
            "衣櫥香包 三入",
            "island-life",
            360,
            "香氛石與棉布袋，放進衣櫥與抽屜，衣服帶著淡淡花香。",
            {"scent": "花香調"},
        ),
    ),
)

HOME = TopSpec(
    slug="home",
    name="居家",
    description="職人餐具與居家香氛，把日子過得好一點。",
    leaves=(TABLEWARE, FRAGRANCE),
    palette=((184, 98, 70), (150, 168, 130), (240, 230, 214), (80, 70, 60)),
)
