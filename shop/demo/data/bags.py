"""Bags and accessories: totes and carry-along accessories."""

from shop.demo.data.specs import LeafSpec, ProductSpec, TopSpec

P = ProductSpec

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

BAGS = TopSpec(
    slug="bags-accessories",
    name="包袋配件",
    description="帆布包、後背包與隨行小物，出門帶著剛剛好。",
    leaves=(TOTES, ACCESSORIES),
    palette=((100, 110, 70), (200, 186, 150), (244, 238, 222), (60, 60, 50)),
)
