"""Skincare: face and body care."""

from shop.demo.data.specs import LeafSpec, ProductSpec, TopSpec

P = ProductSpec

FACE_CARE = LeafSpec(
    slug="face-care",
    name="臉部保養",
    code="FC",
    non_returnable_reason="臉部保養品拆封後恕不退貨（瑕疵品除外）。",
    description="溫和潔淨、保濕修護與防曬，為台灣濕熱氣候設計的臉部保養。",
    weight_grams=180,
    body=(
        "{brand}的{title}，容量 {capacity}，適合{skin-type}。"
        "無酒精、無人工色素，通過皮膚科醫師測試。\n\n"
        "使用方式：早晚潔膚後取適量於掌心，由內而外輕推至全臉。"
        "初次使用請先在耳後測試。\n\n"
        "保存期限：未開封三年，開封後請於十二個月內使用完畢。"
    ),
    products=(
        P(
            "camellia-cleansing-oil",
            "山茶花 溫和卸妝油",
            "camellia-lab",
            580,
            "以冷壓山茶花籽油溫和溶解彩妝與防曬，乳化後輕鬆沖淨，不緊繃。",
            {"skin-type": ("一般肌", "乾性肌"), "capacity": "200ml"},
        ),
        P(
            "amino-acid-foam-cleanser",
            "胺基酸 洗顏慕斯",
            "morning-dew",
            420,
            "弱酸性胺基酸潔淨成分，綿密泡沫洗淨不乾澀。",
            {"skin-type": ("敏感肌", "混合肌"), "capacity": "150ml"},
        ),
        P(
            "hyaluronic-hydrating-toner",
            "玻尿酸 保濕化妝水",
            "morning-dew",
            680,
            "三重分子玻尿酸層層補水，拍上後肌膚柔軟有彈性。",
            {"skin-type": ("乾性肌", "一般肌"), "capacity": "200ml"},
            featured=True,
        ),
        P(
            "niacinamide-brightening-serum",
            "5% 菸鹼醯胺 亮白精華",
            "camellia-lab",
            980,
            "淡化暗沉、調理膚色不均，清爽質地不黏膩。",
            {"skin-type": ("一般肌", "油性肌", "混合肌"), "capacity": "30ml"},
        ),
        P(
            "centella-repair-cream",
            "積雪草 舒緩修護霜",
            "camellia-lab",
            880,
            "積雪草與神經醯胺修護肌膚屏障，泛紅乾癢時的急救保養。",
            {"skin-type": "敏感肌", "capacity": "50ml"},
        ),
        P(
            "mineral-sunscreen-spf50",
            "輕透 物理防曬乳 SPF50+",
            "morning-dew",
            750,
            "零酒精零香料的物理性防曬，不泛白，適合每天通勤與戶外。",
            {
                "skin-type": ("一般肌", "乾性肌", "油性肌", "混合肌", "敏感肌"),
                "capacity": "50ml",
            },
        ),
        P(
            "green-tea-oil-control-gel",
            "綠茶 控油保濕凝露",
            "morning-dew",
            520,
            "綠茶萃取調理油脂，水凝質地一抹即化，夏天也清爽。",
            {"skin-type": ("油性肌", "混合肌"), "capacity": "100ml"},
        ),
        P(
            "magnolia-sleeping-mask",
            "白玉蘭 晚安凍膜",
            "camellia-lab",
            820,
            "睡前厚敷一層，隔天起床膚況透亮，免沖洗。",
            {"skin-type": ("乾性肌", "一般肌"), "capacity": "80ml"},
        ),
    ),
)

BODY_CARE = LeafSpec(
    slug="body-care",
    name="身體保養",
    code="BC",
    description="沐浴、身體乳與護手霜，用台灣植物香氣照顧全身。",
    weight_grams=450,
    body=(
        "{brand}以台灣在地植物調香，{scent}，容量 {capacity}。"
        "不含矽靈與塑膠微粒，瓶身使用再生塑料。\n\n"
        "使用方式：沐浴或洗手後，取適量均勻塗抹，輕輕按摩至吸收。\n\n"
        "保存期限：未開封三年，請避免陽光直射。"
    ),
    products=(
        P(
            "yuzu-shower-gel",
            "文旦柚 沐浴露",
            "morning-dew",
            450,
            "麻豆文旦與柚子皮萃取，清新果香讓每天洗澡都像小旅行。",
            {"scent": "柑橘調", "capacity": "500ml"},
        ),
        P(
            "osmanthus-body-lotion",
            "桂花 保濕身體乳",
            "morning-dew",
            520,
            "淡淡桂花香，乳木果油深層滋潤，秋冬乾燥肌的好朋友。",
            {"scent": "花香調", "capacity": "250ml"},
        ),
        P(
            "oolong-hand-cream",
            "烏龍茶香 護手霜",
            "camellia-lab",
            280,
            "以台灣烏龍茶萃取調香，吸收快、不黏手，辦公桌必備。",
            {"scent": "茶香調", "capacity": "50ml"},
            featured=True,
        ),
        P(
            "brown-sugar-body-scrub",
            "黑糖 身體磨砂膏",
            "camellia-lab",
            480,
            "細緻黑糖顆粒溫和去角質，洗後肌膚光滑透亮。",
            {"scent": "草本調", "capacity": "300g"},
        ),
        P(
            "ginger-scalp-shampoo",
            "老薑 控油洗髮精",
            "morning-dew",
            520,
            "老薑與茶樹精油洗去頭皮油脂，洗完清涼舒爽。",
            {"scent": "草本調", "capacity": "500ml"},
        ),
        P(
            "beeswax-lip-balm",
            "蜂蠟 護唇膏",
            "camellia-lab",
            180,
            "台灣蜂蠟與乳油木果脂，無香料，孕婦與小朋友也能用。",
            {"scent": "無香", "capacity": "4.5g"},
        ),
        P(
            "hinoki-bath-salt",
            "檜木 泡澡鹽",
            "island-life",
            580,
            "台灣檜木精油與海鹽，一泡就像走進阿里山森林。",
            {"scent": "木質調", "capacity": "500g"},
        ),
        P(
            "lavender-massage-oil",
            "薰衣草 舒眠按摩油",
            "morning-dew",
            650,
            "真正薰衣草與甜杏仁油，睡前按摩肩頸，放鬆一整天的疲憊。",
            {"scent": "花香調", "capacity": "100ml"},
        ),
    ),
)

SKINCARE = TopSpec(
    slug="skincare",
    name="保養",
    description="溫和有效、適合台灣氣候的臉部與身體保養。",
    leaves=(FACE_CARE, BODY_CARE),
    palette=((214, 150, 150), (240, 200, 190), (252, 240, 236), (150, 90, 110)),
)
