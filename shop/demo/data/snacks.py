"""Snacks: pastries, dried fruit and nuts."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

PASTRIES = LeafSpec(
    slug="pastries",
    name="餅乾糕點",
    code="PS",
    description="鳳梨酥、太陽餅、牛軋餅，伴手禮與下午茶的台灣味。",
    weight_grams=450,
    body=(
        "{brand}每日少量手工製作，{diet}，不添加防腐劑，"
        "出爐後當天包裝寄出。\n\n"
        "保存方式：常溫保存十四天，開封後請盡快食用；夏季建議冷藏。\n\n"
        "禮盒附提袋，送禮自用兩相宜。"
    ),
    products=(
        P(
            "native-pineapple-cake",
            "土鳳梨酥 十入禮盒",
            "good-times",
            450,
            "台南關廟土鳳梨熬煮的內餡，酸甜帶果纖，酥皮奶香濃郁。",
            {"flavor": "原味", "diet": "奶蛋素", "origin": "台南"},
            featured=True,
        ),
        P(
            "taichung-sun-cake",
            "台中 太陽餅 六入",
            "grandmas-kitchen",
            280,
            "老店配方的麥芽糖內餡，層層酥皮輕輕一咬就化開，配熱茶剛剛好。",
            {"flavor": "甜味", "diet": "奶蛋素", "origin": "台灣"},
        ),
        P(
            "scallion-nougat-crackers",
            "蔥香 牛軋餅 二十入",
            "good-times",
            320,
            "蘇打餅夾入手工牛軋糖與三星蔥，鹹甜交織，一口接一口。",
            {"flavor": "鹹甜", "diet": "奶蛋素", "origin": "宜蘭"},
        ),
        P(
            "handmade-egg-rolls",
            "手工 雞蛋捲 禮盒",
            "grandmas-kitchen",
            380,
            "新鮮雞蛋與奶油手工捲製，酥脆不油膩，是阿嬤家的味道。",
            {"flavor": "原味", "diet": "奶蛋素", "origin": "台灣"},
        ),
        P(
            "mung-bean-pastry",
            "滷肉 綠豆椪 六入",
            "grandmas-kitchen",
            420,
            "綿密綠豆沙包裹油蔥滷肉，酥皮雪白，中秋節的經典。",
            {"flavor": "鹹甜", "diet": "葷食", "origin": "台灣"},
        ),
        P(
            "brown-sugar-cake",
            "古早味 黑糖糕",
            "grandmas-kitchen",
            260,
            "澎湖風味黑糖糕，Q 彈有嚼勁，撒上白芝麻香氣更足。",
            {"flavor": "甜味", "diet": "全素", "origin": "台灣"},
        ),
        P(
            "black-sesame-crisps",
            "黑芝麻 薄餅",
            "good-times",
            240,
            "薄脆如紙的芝麻薄餅，香氣濃郁，追劇時的好夥伴。",
            {"flavor": "原味", "diet": "全素", "origin": "台灣"},
        ),
        P(
            "red-bean-mochi",
            "紅豆 麻糬 六入",
            "good-times",
            300,
            "屏東萬丹紅豆慢火熬煮，外皮軟 Q，甜度剛好不膩口。",
            {"flavor": "甜味", "diet": "全素", "origin": "屏東"},
        ),
    ),
)

DRIED_FRUIT_NUTS = LeafSpec(
    slug="dried-fruit-nuts",
    name="果乾堅果",
    code="DN",
    description="台灣在地水果低溫烘乾，與每日堅果一起當作健康零嘴。",
    option=Option(
        "包裝",
        (
            OptionValue("隨手包 100g", "1", 120),
            OptionValue("家庭號 300g", "2.6", 330),
        ),
    ),
    weight_grams=120,
    body=(
        "{brand}向{origin}產地直接採購，{flavor}，{diet}。"
        "低溫慢烘保留果香與營養，無人工色素。\n\n"
        "保存方式：開封後請密封，置於陰涼乾燥處或冷藏，建議一個月內食用完畢。"
    ),
    products=(
        P(
            "irwin-dried-mango",
            "玉井 愛文芒果乾",
            "good-times",
            320,
            "玉井愛文芒果低溫烘乾，不加糖也酸甜多汁。",
            {"origin": "台南", "flavor": "原味", "diet": "全素"},
            featured=True,
        ),
        P(
            "red-guava-chips",
            "紅心芭樂乾",
            "good-times",
            220,
            "整顆紅心芭樂切片烘乾，帶著微酸果香，口感酥脆。",
            {"origin": "台南", "flavor": "原味", "diet": "全素"},
        ),
        P(
            "garlic-peanuts",
            "雲林 蒜味花生",
            "grandmas-kitchen",
            180,
            "雲林土豆配上蒜片慢火炒香，配茶配啤酒都對味。",
            {"origin": "台灣", "flavor": "蒜味", "diet": "全素"},
        ),
        P(
            "daily-mixed-nuts",
            "每日堅果 隨手包",
            "good-times",
            380,
            "核桃、杏仁、腰果與蔓越莓的黃金比例，一天一包剛剛好。",
            {"origin": "台灣", "flavor": "原味", "diet": "全素"},
        ),
        P(
            "golden-pineapple-dried",
            "金鑽鳳梨乾",
            "good-times",
            260,
            "屏東金鑽鳳梨切片低溫烘焙，酸甜濃郁，帶有焦糖香。",
            {"origin": "屏東", "flavor": "原味", "diet": "全素"},
        ),
        P(
            "yilan-kumquat-candy",
            "宜蘭 金棗糕",
            "grandmas-kitchen",
            300,
            "宜蘭金棗熬煮成軟糕，酸甜帶微苦，是宜蘭人的古早味。",
            {"origin": "宜蘭", "flavor": "甜味", "diet": "全素"},
        ),
        P(
            "spicy-anchovy-almonds",
            "小魚乾 杏仁果",
            "grandmas-kitchen",
            280,
            "酥脆丁香魚與杏仁果，微辣涮嘴，是經典的台式下酒菜。",
            {"origin": "台灣", "flavor": "辣味", "diet": "葷食"},
        ),
        P(
            "dongshan-dried-longan",
            "東山 柴燒龍眼乾",
            "grandmas-kitchen",
            380,
            "台南東山龍眼木柴燒焙五天五夜，煙燻甜香，泡茶煮粥都好用。",
            {"origin": "台南", "flavor": "甜味", "diet": "全素"},
        ),
    ),
)

SNACKS = TopSpec(
    slug="snacks",
    name="零食",
    description="伴手禮糕點與果乾堅果，吃得到台灣各地的好味道。",
    leaves=(PASTRIES, DRIED_FRUIT_NUTS),
    palette=((232, 152, 60), (246, 206, 110), (252, 240, 214), (170, 70, 40)),
)
