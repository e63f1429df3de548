"""Stationery: notebooks and writing tools."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

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

STATIONERY = TopSpec(
    slug="stationery",
    name="文具",
    description="好寫的筆記本與書寫工具，記錄生活的每一刻。",
    leaves=(NOTEBOOKS, WRITING),
    palette=((40, 60, 96), (220, 180, 70), (242, 238, 226), (160, 60, 60)),
)
