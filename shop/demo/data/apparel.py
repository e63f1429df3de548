"""Apparel: sizes S–XL in several colours, with size guides."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

SIZES = Option(
    "尺寸",
    (
        OptionValue("S", "1", 220),
        OptionValue("M", "1", 240),
        OptionValue("L", "1", 260),
        OptionValue("XL", "1", 280),
    ),
)

TOPS_SIZE_GUIDE = """尺寸（公分）  胸寬  衣長  肩寬  袖長
S            50    66    44    20
M            53    69    46    21
L            56    72    48    22
XL           59    74    50    23

平放測量，手工測量誤差約 1–2 公分。
模特兒身高 170 公分、體重 58 公斤，穿著 M。
版型偏寬鬆；介於兩個尺寸之間、喜歡合身穿著者建議選小一號。
棉質衣物第一次洗滌可能縮水約 2–3%，請冷水洗、平放晾乾。"""

BOTTOMS_SIZE_GUIDE = """尺寸（公分）  腰圍  臀圍  褲長  褲口
S            66    96    96    20
M            70    100   98    21
L            74    104   100   22
XL           78    108   102   23

平放測量後乘以二為圍度，手工測量誤差約 1–2 公分。
腰頭後片為鬆緊設計，可伸展約 6 公分。
模特兒身高 165 公分、腰圍 64 公分，穿著 S。
褲長可免費修改，請於訂單備註填寫需要的長度。"""

TOPS = LeafSpec(
    slug="tops",
    name="上衣",
    code="TP",
    description="T恤、襯衫與針織衫，適合台灣四季的透氣好穿搭。",
    option=SIZES,
    weight_grams=240,
    size_guide=TOPS_SIZE_GUIDE,
    body=(
        "{brand}的{title}，材質為{material}，{fit}版型。"
        "台灣織布、台灣車縫，每一件都經過縮水與色牢度測試。\n\n"
        "洗滌方式：請翻面冷水手洗或放入洗衣袋，勿漂白、勿烘乾，低溫熨燙。\n\n"
        "選購前請參考尺寸表；收到後七天鑑賞期內，未下水、吊牌完整可免費換尺寸。"
    ),
    products=(
        P(
            "linen-relaxed-shirt",
            "亞麻 寬版襯衫",
            "weave-days",
            1480,
            "百分之百法國亞麻，越洗越柔軟，台灣夏天穿也透氣不悶熱。",
            {"material": "亞麻", "fit": "寬鬆"},
            colors=("白", "燕麥", "霧藍"),
            featured=True,
        ),
        P(
            "organic-cotton-tee",
            "有機棉 素色T恤",
            "cotton-works",
            590,
            "有機棉紗編織，厚度恰好不透膚，領口加固不易變形。",
            {"material": "棉", "fit": "合身"},
            colors=("白", "黑", "麻灰"),
        ),
        P(
            "heavyweight-oversized-tee",
            "落肩 重磅T恤",
            "cotton-works",
            780,
            "280 克重磅棉布，挺度十足，落肩剪裁修飾肩線。",
            {"material": "棉", "fit": "寬鬆"},
            colors=("白", "墨綠", "卡其"),
        ),
        P(
            "waffle-long-sleeve",
            "鬆餅格 長袖上衣",
            "island-life",
            890,
            "立體鬆餅格紋理，保暖又透氣，秋天單穿、冬天當內搭。",
            {"material": "棉", "fit": "合身"},
            colors=("米白", "灰藍"),
        ),
        P(
            "merino-crew-knit",
            "美麗諾羊毛 圓領針織衫",
            "weave-days",
            1980,
            "細緻美麗諾羊毛不刺癢，冷氣房與寒流來時都好穿。",
            {"material": "羊毛", "fit": "合身"},
            colors=("炭灰", "駝色", "海軍藍"),
        ),
        P(
            "pique-polo",
            "網眼 Polo 衫",
            "cotton-works",
            880,
            "經典網眼布透氣快乾，上班休閒都得體。",
            {"material": "棉", "fit": "合身"},
            colors=("白", "海軍藍"),
        ),
        P(
            "fleece-hoodie",
            "刷毛 連帽上衣",
            "island-life",
            1280,
            "內裡刷毛柔軟保暖，寬鬆版型好搭配，男女都能穿。",
            {"material": ("棉", "聚酯纖維"), "fit": "寬鬆"},
            colors=("麻灰", "黑", "燕麥"),
        ),
        P(
            "cooling-tech-tee",
            "涼感 機能T恤",
            "island-life",
            490,
            "台灣製涼感紗，吸濕排汗快乾，騎車通勤也不黏身。",
            {"material": "聚酯纖維", "fit": "合身"},
            colors=("黑", "白", "天藍"),
        ),
    ),
)

BOTTOMS = LeafSpec(
    slug="bottoms",
    name="褲裝",
    code="PT",
    description="寬褲、卡其褲與牛仔褲，舒適剪裁的日常下著。",
    option=SIZES,
    weight_grams=420,
    size_guide=BOTTOMS_SIZE_GUIDE,
    body=(
        "{brand}的{title}，材質為{material}，{fit}剪裁，"
        "腰頭內側加縫止滑帶，久坐也舒適。\n\n"
        "洗滌方式：請翻面冷水洗滌，深色與淺色分開，勿烘乾。\n\n"
        "選購前請參考尺寸表；收到後七天鑑賞期內，未下水、吊牌完整可免費換尺寸。"
    ),
    products=(
        P(
            "linen-wide-pants",
            "亞麻 寬褲",
            "weave-days",
            1380,
            "垂墜的亞麻寬褲，走路有風，夏天最涼快的選擇。",
            {"material": "亞麻", "fit": "寬鬆"},
            colors=("燕麥", "黑"),
        ),
        P(
            "stretch-chinos",
            "彈性 卡其褲",
            "cotton-works",
            1280,
            "加入少量彈性纖維，蹲下坐下都不緊繃，上班也得體。",
            {"material": "棉", "fit": "直筒"},
            colors=("卡其", "海軍藍", "黑"),
            featured=True,
        ),
        P(
            "cotton-joggers",
            "棉質 束口褲",
            "island-life",
            980,
            "毛圈棉布吸汗舒適，束口設計俐落，居家外出都好穿。",
            {"material": "棉", "fit": "錐形"},
            colors=("麻灰", "黑"),
        ),
        P(
            "selvedge-straight-jeans",
            "日本丹寧 直筒牛仔褲",
            "weave-days",
            1980,
            "岡山赤耳丹寧布，越穿越有自己的刷色痕跡。",
            {"material": "棉", "fit": "直筒"},
            colors=("原色", "淺藍"),
        ),
        P(
            "quick-dry-shorts",
            "機能 快乾短褲",
            "island-life",
            690,
            "輕量快乾布料，防潑水處理，爬山、海邊、健身都適合。",
            {"material": "聚酯纖維", "fit": "寬鬆"},
            colors=("黑", "軍綠"),
        ),
        P(
            "pleated-midi-skirt",
            "百褶 長裙",
            "weave-days",
            1180,
            "細百褶隨步伐擺動，鬆緊腰頭好穿脫，搭球鞋也好看。",
            {"material": "聚酯纖維", "fit": "寬鬆"},
            colors=("黑", "霧粉"),
        ),
        P(
            "corduroy-wide-pants",
            "燈芯絨 寬褲",
            "cotton-works",
            1480,
            "細條燈芯絨溫暖有質感，秋冬的百搭寬褲。",
            {"material": "棉", "fit": "寬鬆"},
            colors=("焦糖", "墨綠"),
        ),
        P(
            "high-rise-leggings",
            "高腰 瑜珈褲",
            "island-life",
            890,
            "高腰包覆不下滑，四面彈性布料，蹲舉不透膚。",
            {"material": "聚酯纖維", "fit": "合身"},
            colors=("黑", "深灰"),
        ),
    ),
)

APPAREL = TopSpec(
    slug="apparel",
    name="服飾",
    description="台灣織造、舒適透氣的日常服飾，尺寸 S 到 XL。",
    leaves=(TOPS, BOTTOMS),
    palette=((52, 78, 110), (140, 170, 200), (228, 234, 240), (200, 110, 80)),
)
