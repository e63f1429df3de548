"""Skincare, home goods, stationery and bags."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

FACE_CARE = LeafSpec(
    slug="face-care",
    name="臉部保養",
    code="FC",
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

NOTEBOOKS = LeafSpec(
    slug="notebooks",
    name="筆記本",
    code="NB",
    description="台灣製紙與裝訂的筆記本與手帳，鋼筆書寫不透墨。",
    option=Option(
        "內頁",
        (
            OptionValue("空白", "1"),
            OptionValue("橫線", "1"),
            OptionValue("點格", "1"),
        ),
    ),
    weight_grams=300,
    body=(
        "{brand}的{title}，{format} 尺寸，內頁使用 100 磅道林紙，"
        "鋼筆、代針筆書寫都不暈染、不透墨。\n\n"
        "台灣傳統裝訂廠線裝製作，可 180 度完全攤平，書寫不卡手。"
    ),
    products=(
        P(
            "a5-dot-grid-notebook",
            "台灣製 A5 點格筆記本",
            "paper-days",
            280,
            "淡灰點格不搶眼，畫表格、做子彈筆記都方便。",
            {"format": "A5", "material": "紙"},
            featured=True,
        ),
        P(
            "b6-travelers-notebook",
            "旅人 B6 皮革筆記本",
            "paper-days",
            1280,
            "植鞣牛皮封套可替換內頁，陪著你越用越有味道。",
            {"format": "B6", "material": ("皮革", "紙")},
        ),
        P(
            "weekly-planner",
            "週計畫 手帳",
            "paper-days",
            420,
            "左頁一週計畫、右頁自由筆記，附月計畫與年度回顧。",
            {"format": "A5", "material": "紙"},
        ),
        P(
            "kraft-notebook-trio",
            "牛皮紙 筆記本 三入",
            "paper-days",
            180,
            "樸實牛皮紙封面，輕薄好攜帶，一次備齊三本。",
            {"format": "A6", "material": "紙"},
        ),
        P(
            "watercolor-sketchbook",
            "水彩 素描本 A4",
            "wayfarer",
            380,
            "300 磅水彩紙，疊色不起毛，適合寫生與手繪。",
            {"format": "A4", "material": "紙"},
        ),
        P(
            "old-town-memo-pad",
            "台灣老城風景 便條紙",
            "paper-days",
            150,
            "台南、鹿港、九份的街景插畫，每一張都是小小明信片。",
            {"format": "A6", "material": "紙"},
        ),
        P(
            "linen-bound-journal",
            "布面 精裝日記本",
            "wayfarer",
            580,
            "亞麻布面精裝，附緞帶書籤，記下每一天的小事。",
            {"format": "A5", "material": ("亞麻", "紙")},
        ),
        P(
            "pocket-field-notes",
            "口袋 田野筆記 三入",
            "wayfarer",
            260,
            "放進口袋就能走，記下旅途的靈感與路線。",
            {"format": "A6", "material": "紙"},
        ),
    ),
)

WRITING = LeafSpec(
    slug="writing-tools",
    name="書寫工具",
    code="PN",
    description="黃銅筆、鋼筆與墨水，讓寫字成為一件享受的事。",
    weight_grams=120,
    body=(
        "{brand}的{title}，材質為{material}。"
        "每一支出貨前皆經過試寫檢查，享一年保固。\n\n"
        "附原廠紙盒，可加購刻字服務，送禮自用都合適。"
    ),
    products=(
        P(
            "brass-ballpoint-pen",
            "黃銅 原子筆",
            "wayfarer",
            880,
            "實心黃銅筆身，越用越有溫潤的光澤，可替換通用筆芯。",
            {"material": "黃銅"},
            featured=True,
        ),
        P(
            "starter-fountain-pen",
            "入門 鋼筆 F尖",
            "wayfarer",
            680,
            "書寫滑順的細字尖，附吸墨器與兩支卡式墨水。",
            {"material": "黃銅", "format": "F尖"},
            colors=("墨黑", "森林綠", "酒紅"),
        ),
        P(
            "gel-pen-ten-colours",
            "0.5mm 中性筆 十色組",
            "paper-days",
            220,
            "快乾不沾手的中性墨水，寫手帳、做筆記都好用。",
            {"format": "0.5mm", "material": "紙"},
        ),
        P(
            "washi-tape-set",
            "和紙膠帶 五入組",
            "paper-days",
            250,
            "台灣花磚圖樣，可手撕、可重貼，拼貼手帳的好幫手。",
            {"material": "紙"},
        ),
        P(
            "taiwan-colours-fountain-ink",
            "台灣色彩 鋼筆墨水 30ml",
            "wayfarer",
            380,
            "以台灣山海命名的顏色，書寫有濃淡變化。",
            {"material": "玻璃"},
            colors=("玉山藍", "太魯閣灰", "墾丁綠"),
        ),
        P(
            "drafting-mechanical-pencil",
            "製圖 自動鉛筆 0.5",
            "paper-days",
            450,
            "金屬握位與低重心設計，長時間書寫也不累。",
            {"format": "0.5mm", "material": "黃銅"},
        ),
        P(
            "canvas-pencil-case",
            "帆布 筆袋",
            "wayfarer",
            390,
            "台南老帆布製作，內有分隔層，筆與小物不再亂成一團。",
            {"material": "帆布"},
            colors=("米白", "墨綠"),
        ),
        P(
            "fineliner-trio",
            "代針筆 三入",
            "paper-days",
            180,
            "0.1、0.3、0.5 三種粗細，畫線稿與寫小字都精準。",
            {"format": "0.5mm", "material": "紙"},
        ),
    ),
)

TOTES = LeafSpec(
    slug="bags",
    name="包袋",
    code="BG",
    description="帆布托特、通勤後背包與斜背包，耐用好搭的每日提袋。",
    weight_grams=600,
    body=(
        "{brand}的{title}，材質為{material}，"
        "關鍵受力處皆加固車縫，保固一年。\n\n"
        "清潔方式：局部沾濕輕刷，請勿整個浸泡或放入洗衣機。"
    ),
    products=(
        P(
            "tainan-canvas-tote",
            "台南 帆布托特包",
            "wayfarer",
            980,
            "台南老帆布行手工車縫，耐重耐磨，裝得下筆電與一週的菜。",
            {"material": "帆布"},
            colors=("米白", "黑", "軍綠"),
            featured=True,
        ),
        P(
            "foldable-nylon-shopper",
            "輕量 摺疊購物袋",
            "island-life",
            390,
            "摺起來只有手掌大，放進包包隨時響應減塑。",
            {"material": "尼龍"},
            colors=("黑", "芥末黃"),
        ),
        P(
            "vegetable-tanned-leather-tote",
            "植鞣牛皮 托特包",
            "wayfarer",
            3980,
            "義大利植鞣牛皮，隨使用者的習慣慢慢養出光澤。",
            {"material": "皮革"},
            colors=("原色", "深咖啡"),
        ),
        P(
            "retro-market-bag",
            "復古 茄芷袋",
            "island-life",
            250,
            "菜市場的經典紅白藍條紋，耐重防水，越用越有味道。",
            {"material": "塑膠編織"},
        ),
        P(
            "commuter-backpack",
            "防潑水 通勤後背包",
            "wayfarer",
            1880,
            "獨立筆電夾層與側邊水壺袋，下雨騎車也不怕。",
            {"material": "尼龍"},
            colors=("黑", "深灰"),
        ),
        P(
            "canvas-crossbody",
            "帆布 斜背包",
            "wayfarer",
            880,
            "輕巧容量剛好放手機、錢包與鑰匙，逛市集最方便。",
            {"material": "帆布"},
            colors=("米白", "卡其"),
        ),
        P(
            "insulated-lunch-bag",
            "保冷 便當袋",
            "island-life",
            450,
            "鋁箔保冷內襯，便當和飲料一起帶也不怕退冰。",
            {"material": "尼龍"},
        ),
        P(
            "felt-laptop-sleeve",
            "羊毛氈 筆電包 14吋",
            "wayfarer",
            780,
            "厚實羊毛氈防撞，搭配皮革扣帶，簡潔有質感。",
            {"material": ("羊毛", "皮革")},
        ),
    ),
)

ACCESSORIES = LeafSpec(
    slug="accessories",
    name="隨行小物",
    code="AC",
    description="保溫瓶、環保杯套與皮件小物，出門必備的隨身好物。",
    weight_grams=200,
    body=(
        "{brand}的{title}，材質為{material}，"
        "小巧耐用，是日常出門與送禮的好選擇。\n\n"
        "享七天鑑賞期與一年保固，保固期間非人為損壞免費維修。"
    ),
    products=(
        P(
            "leather-coin-purse",
            "皮革 零錢包",
            "wayfarer",
            580,
            "一片皮革摺出的零錢包，打開一目了然。",
            {"material": "皮革"},
            colors=("原色", "深咖啡"),
        ),
        P(
            "leather-card-holder",
            "植鞣皮 卡夾",
            "wayfarer",
            680,
            "可放四張卡片與摺好的紙鈔，薄到放進口袋也沒感覺。",
            {"material": "皮革"},
        ),
        P(
            "vacuum-tumbler-500",
            "不鏽鋼 保溫瓶 500ml",
            "mokume",
            890,
            "雙層真空保溫保冷十二小時，手搖飲也能裝。",
            {"material": "不鏽鋼", "capacity": "500ml"},
            colors=("霧白", "墨綠", "黑"),
            featured=True,
        ),
        P(
            "auto-umbrella",
            "晴雨兩用 自動傘",
            "island-life",
            690,
            "一鍵自動開收，抗 UV 塗層，午後雷陣雨與大太陽都能擋。",
            {"material": "聚酯纖維"},
            colors=("黑", "海軍藍"),
        ),
        P(
            "drink-carrier-sleeve",
            "環保 飲料提袋",
            "island-life",
            220,
            "手搖飲專用提袋，可掛在機車掛勾上，少用一個塑膠袋。",
            {"material": "帆布"},
            colors=("米白", "芥末黃"),
        ),
        P(
            "stainless-straw-set",
            "不鏽鋼 吸管組",
            "mokume",
            180,
            "粗細兩種吸管，附清潔刷與收納袋，珍奶也適用。",
            {"material": "不鏽鋼"},
        ),
        P(
            "waterproof-cosmetic-pouch",
            "防水 化妝包",
            "island-life",
            420,
            "防水內裡好清潔，立體收納讓瓶瓶罐罐站得直。",
            {"material": "尼龍"},
        ),
        P(
            "brass-key-ring",
            "黃銅 鑰匙圈",
            "wayfarer",
            320,
            "手工切割的黃銅鑰匙圈，可加購刻字，小巧的紀念禮物。",
            {"material": "黃銅"},
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

HOME = TopSpec(
    slug="home",
    name="居家",
    description="職人餐具與居家香氛，把日子過得好一點。",
    leaves=(TABLEWARE, FRAGRANCE),
    palette=((184, 98, 70), (150, 168, 130), (240, 230, 214), (80, 70, 60)),
)

STATIONERY = TopSpec(
    slug="stationery",
    name="文具",
    description="好寫的筆記本與書寫工具，記錄生活的每一刻。",
    leaves=(NOTEBOOKS, WRITING),
    palette=((40, 60, 96), (220, 180, 70), (242, 238, 226), (160, 60, 60)),
)

BAGS = TopSpec(
    slug="bags-accessories",
    name="包袋配件",
    description="帆布包、後背包與隨行小物，出門帶著剛剛好。",
    leaves=(TOTES, ACCESSORIES),
    palette=((100, 110, 70), (200, 186, 150), (244, 238, 222), (60, 60, 50)),
)
