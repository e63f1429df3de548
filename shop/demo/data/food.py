"""Coffee, tea and snacks."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

COFFEE_BEANS = LeafSpec(
    slug="coffee-beans",
    name="咖啡豆",
    code="CB",
    description="每週小批次烘焙的單品與綜合咖啡豆，烘焙後 48 小時內出貨。",
    option=Option(
        "重量",
        (
            OptionValue("半磅 227g", "1", 260),
            OptionValue("一磅 454g", "1.8", 500),
        ),
    ),
    weight_grams=260,
    body=(
        "{brand}嚴選{origin}生豆，{process}處理、{roast}，"
        "每週一與週四出爐，烘焙後 48 小時內寄出，收到時正是最佳賞味期。\n\n"
        "沖煮建議：手沖粉水比 1:15、水溫 90–92°C；也適合愛樂壓與法式濾壓壺。\n\n"
        "保存方式：開封後請擠出空氣、密封置於陰涼處，建議一個月內飲用完畢。"
    ),
    products=(
        P(
            "yirgacheffe-g1-washed",
            "衣索比亞 耶加雪菲 G1 水洗咖啡豆",
            "shanlan-coffee",
            450,
            "茉莉花香、檸檬皮與佛手柑，尾韻像一杯清爽的伯爵紅茶。",
            {"origin": "衣索比亞", "roast": "淺焙", "process": "水洗"},
            featured=True,
        ),
        P(
            "guji-hambela-natural",
            "衣索比亞 古吉 罕貝拉 日曬咖啡豆",
            "sunlight-roastery",
            480,
            "熟成草莓、藍莓果醬與可可尾韻，放涼之後甜感更加明顯。",
            {"origin": "衣索比亞", "roast": "淺焙", "process": "日曬"},
        ),
        P(
            "kenya-nyeri-aa",
            "肯亞 涅里 AA 咖啡豆",
            "shanlan-coffee",
            520,
            "黑醋栗與葡萄柚般的明亮酸質，口感厚實多汁，冰鎮後也好喝。",
            {"origin": "肯亞", "roast": "中淺焙", "process": "水洗"},
        ),
        P(
            "colombia-huila-honey",
            "哥倫比亞 薇拉 蜜處理咖啡豆",
            "island-coffee",
            420,
            "焦糖、紅蘋果與黑糖甜感，酸苦平衡好入口，適合每天一杯。",
            {"origin": "哥倫比亞", "roast": "中焙", "process": "蜜處理"},
        ),
        P(
            "panama-geisha",
            "巴拿馬 翡翠莊園 藝伎咖啡豆",
            "sunlight-roastery",
            1680,
            "白花、蜜桃與柑橘香氣層層堆疊，茶感細緻，適合留給特別的早晨。",
            {"origin": "巴拿馬", "roast": "淺焙", "process": "水洗"},
        ),
        P(
            "guatemala-antigua",
            "瓜地馬拉 安提瓜 咖啡豆",
            "island-coffee",
            400,
            "煙燻可可、烤堅果與微微香料感，加入牛奶一樣出色。",
            {"origin": "瓜地馬拉", "roast": "中深焙", "process": "水洗"},
        ),
        P(
            "brazil-cerrado-natural",
            "巴西 喜拉朵 日曬咖啡豆",
            "shanlan-coffee",
            360,
            "花生、牛奶巧克力與低酸度，做義式濃縮或拿鐵都穩定。",
            {"origin": "巴西", "roast": "中深焙", "process": "日曬"},
        ),
        P(
            "alishan-zhuowu-coffee",
            "台灣 阿里山 卓武山咖啡豆",
            "island-coffee",
            880,
            "海拔一千二百公尺的小農批次，甘蔗甜、烏龍茶韻與乾淨的尾韻。",
            {"origin": "台灣", "roast": "中焙", "process": "水洗"},
        ),
        P(
            "sumatra-mandheling",
            "印尼 蘇門答臘 曼特寧咖啡豆",
            "sunlight-roastery",
            400,
            "草本、黑巧克力與雪松氣息，醇厚低酸，冬天最對味。",
            {"origin": "印尼", "roast": "深焙", "process": "濕剝法"},
        ),
        P(
            "house-espresso-blend",
            "山嵐 招牌義式綜合豆",
            "shanlan-coffee",
            380,
            "以巴西與哥倫比亞為基底，榛果、焦糖與黑巧克力，奶泡拉花穩定。",
            {
                "origin": ("巴西", "哥倫比亞"),
                "roast": "深焙",
                "process": ("日曬", "水洗"),
            },
        ),
    ),
)

DRIP_BAGS = LeafSpec(
    slug="drip-bags",
    name="濾掛咖啡",
    code="DB",
    description="掛上杯緣、注入熱水，辦公室與旅途中也能喝到現磨風味。",
    option=Option(
        "入數",
        (
            OptionValue("10 入", "1", 160),
            OptionValue("30 入", "2.6", 450),
        ),
    ),
    weight_grams=160,
    body=(
        "{brand}選用{origin}咖啡豆，{roast}，研磨後立即充氮單包密封，"
        "每包 10 公克，打開就是新鮮香氣。\n\n"
        "沖煮建議：水溫 90°C，分三次注水共約 180ml，全程約兩分鐘。\n\n"
        "保存期限：未開封十二個月，請置於陰涼乾燥處。"
    ),
    products=(
        P(
            "drip-yirgacheffe",
            "耶加雪菲 濾掛咖啡",
            "shanlan-coffee",
            320,
            "花香與柑橘調，熱水一沖就是一杯精品手沖。",
            {"origin": "衣索比亞", "roast": "淺焙"},
            featured=True,
        ),
        P(
            "drip-morning-blend",
            "晨光綜合 濾掛咖啡",
            "island-coffee",
            250,
            "堅果甜感搭配輕柔果酸，早晨醒腦剛剛好。",
            {"origin": ("巴西", "衣索比亞"), "roast": "中焙"},
        ),
        P(
            "drip-midnight-dark",
            "深夜食堂 深焙濾掛咖啡",
            "sunlight-roastery",
            260,
            "黑巧克力與烤吐司香氣，加點牛奶就是自製拿鐵。",
            {"origin": "印尼", "roast": "深焙"},
        ),
        P(
            "drip-kenya-aa",
            "肯亞 AA 濾掛咖啡",
            "shanlan-coffee",
            350,
            "莓果與番茄般的鮮明酸甜，喜歡果酸的人不能錯過。",
            {"origin": "肯亞", "roast": "中淺焙"},
        ),
        P(
            "drip-decaf-swiss-water",
            "低咖啡因 瑞士水處理 濾掛咖啡",
            "island-coffee",
            330,
            "去除 99.9% 咖啡因，仍保留焦糖與可可風味，晚上也能安心喝。",
            {"origin": "哥倫比亞", "roast": "中焙"},
        ),
        P(
            "drip-gukeng",
            "雲林 古坑 濾掛咖啡",
            "island-coffee",
            420,
            "在地烘焙的古坑咖啡，蜂蜜甜與淡淡烏龍茶香，支持台灣小農。",
            {"origin": ("台灣", "雲林古坑"), "roast": "中焙"},
        ),
        P(
            "drip-discovery-box",
            "精品濾掛 產區探索組",
            "sunlight-roastery",
            380,
            "五個產區各兩包，一盒喝遍非洲、中南美洲與亞洲的風土。",
            {"origin": ("衣索比亞", "肯亞", "哥倫比亞"), "roast": ("淺焙", "中焙")},
        ),
        P(
            "drip-panama-geisha",
            "巴拿馬 藝伎 濾掛咖啡",
            "sunlight-roastery",
            680,
            "柑橘花香與蜜桃甜，濾掛也能喝到藝伎的優雅。",
            {"origin": "巴拿馬", "roast": "淺焙"},
        ),
    ),
)

OOLONG = LeafSpec(
    slug="oolong-tea",
    name="烏龍茶",
    code="OL",
    description="台灣各大茶區的高山茶、焙火茶與東方美人，茶農直送。",
    option=Option(
        "容量",
        (
            OptionValue("75g 罐裝", "1", 130),
            OptionValue("150g 罐裝", "1.9", 230),
        ),
    ),
    weight_grams=130,
    body=(
        "產自{origin}的{fermentation}茶，由{brand}與契作茶農合作，"
        "每批茶葉皆通過農藥殘留檢驗。\n\n"
        "沖泡建議：5 公克茶葉、150ml 熱水（95°C），第一泡 50 秒，之後每泡加 10 秒，"
        "可回沖五到七次；夏天也可以冷泡六小時。\n\n"
        "保存方式：開封後密封冷藏，避免陽光與異味。"
    ),
    products=(
        P(
            "alishan-high-mountain-oolong",
            "阿里山 高山烏龍茶",
            "qingtian-tea",
            650,
            "高海拔雲霧孕育的清香型烏龍，蘭花香與奶油般滑順的口感。",
            {"origin": "嘉義阿里山", "fermentation": "輕發酵"},
            featured=True,
        ),
        P(
            "lishan-oolong",
            "梨山 高冷烏龍茶",
            "qingtian-tea",
            980,
            "海拔兩千公尺以上的茶園，冷冽清甜、水蜜桃般的果香，回甘持久。",
            {"origin": "台中梨山", "fermentation": "輕發酵"},
        ),
        P(
            "dongding-charcoal-roasted",
            "凍頂 炭焙烏龍茶",
            "lugu-tea-house",
            580,
            "傳統龍眼木炭焙火，熟果與焦糖香，茶湯琥珀色，耐泡七八回。",
            {"origin": "南投鹿谷", "fermentation": "中發酵"},
        ),
        P(
            "oriental-beauty",
            "北埔 東方美人茶",
            "lugu-tea-house",
            880,
            "小綠葉蟬叮咬帶來的獨特蜜香，熟果與蜂蜜氣息，冷熱皆宜。",
            {"origin": "新竹北埔", "fermentation": "重發酵"},
        ),
        P(
            "shanlinxi-oolong",
            "杉林溪 高山烏龍茶",
            "qingtian-tea",
            720,
            "竹林環繞的茶區，茶湯清澈透亮，帶有幽雅花香與山林氣息。",
            {"origin": "南投杉林溪", "fermentation": "輕發酵"},
        ),
        P(
            "pinglin-baozhong",
            "坪林 文山包種茶",
            "qingtian-tea",
            520,
            "條索狀的輕發酵茶，清新花香如雨後茶園，夏天冷泡最清爽。",
            {"origin": "新北坪林", "fermentation": "輕發酵"},
        ),
        P(
            "muzha-tieguanyin",
            "木柵 正欉鐵觀音",
            "lugu-tea-house",
            620,
            "正欉鐵觀音反覆焙火，帶有熟果酸與岩韻般的喉韻。",
            {"origin": "台北木柵", "fermentation": "中發酵"},
        ),
        P(
            "luye-red-oolong",
            "台東 鹿野 紅烏龍",
            "lugu-tea-house",
            560,
            "以烏龍工藝做出接近紅茶的重發酵，蜜香、果乾與可可調性。",
            {"origin": "台東鹿野", "fermentation": "重發酵"},
        ),
    ),
)

BLACK_TEA = LeafSpec(
    slug="black-tea",
    name="紅茶",
    code="BT",
    description="日月潭紅玉、蜜香紅茶與世界經典產區，茶包與散茶都有。",
    option=Option(
        "包裝",
        (
            OptionValue("原葉茶包 15 入", "1", 90),
            OptionValue("散茶 100g", "1.4", 140),
        ),
    ),
    weight_grams=90,
    body=(
        "{origin}產地直送的{fermentation}紅茶，{brand}以低溫慢速乾燥保留茶葉香氣。"
        "原葉茶包使用可分解玉米纖維，不含漂白劑。\n\n"
        "沖泡建議：一包茶包或 3 公克散茶，300ml 沸水浸泡三分鐘；"
        "加入鮮奶便是香濃奶茶。\n\n"
        "保存期限：二十四個月，開封後請密封保存。"
    ),
    products=(
        P(
            "sun-moon-lake-ruby-t18",
            "日月潭 紅玉紅茶 台茶18號",
            "qingtian-tea",
            680,
            "天然肉桂與薄荷香氣，被譽為「台灣香」，茶湯紅豔明亮。",
            {"origin": "南投魚池", "fermentation": "全發酵"},
            featured=True,
        ),
        P(
            "sun-moon-lake-assam",
            "日月潭 阿薩姆紅茶",
            "qingtian-tea",
            480,
            "麥芽香與濃郁茶湯，加入鮮奶就是一杯道地的台式奶茶。",
            {"origin": "南投魚池", "fermentation": "全發酵"},
        ),
        P(
            "hualien-honey-black-tea",
            "花蓮 瑞穗 蜜香紅茶",
            "lugu-tea-house",
            520,
            "小綠葉蟬著涎帶來天然蜜香，不加糖也有溫潤的甘甜。",
            {"origin": "花蓮瑞穗", "fermentation": "全發酵"},
        ),
        P(
            "sanxia-jinxuan-black-tea",
            "三峽 金萱紅茶",
            "lugu-tea-house",
            460,
            "以金萱品種製成的紅茶，淡淡奶香與焦糖甜，口感圓潤。",
            {"origin": "新北三峽", "fermentation": "全發酵"},
        ),
        P(
            "ceylon-earl-grey",
            "錫蘭 伯爵紅茶",
            "tea-journey",
            420,
            "錫蘭紅茶基底加入天然佛手柑精油，柑橘香氣優雅不嗆。",
            {"origin": "斯里蘭卡", "fermentation": "全發酵"},
        ),
        P(
            "darjeeling-first-flush",
            "大吉嶺 春摘紅茶",
            "tea-journey",
            780,
            "春摘嫩芽帶有麝香葡萄與花香，茶湯淺金色，口感輕盈。",
            {"origin": "印度", "fermentation": "全發酵"},
        ),
        P(
            "ruby-cold-brew-bags",
            "冷泡紅玉 茶包",
            "qingtian-tea",
            420,
            "專為冷泡設計，放進冰箱六小時，清爽回甘沒有苦澀。",
            {"origin": "南投魚池", "fermentation": "全發酵"},
        ),
        P(
            "uva-highland",
            "斯里蘭卡 烏瓦高地紅茶",
            "tea-journey",
            450,
            "烏瓦產區獨特的薄荷醇香氣，茶色明亮，做奶茶也很出色。",
            {"origin": "斯里蘭卡", "fermentation": "全發酵"},
        ),
    ),
)

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

COFFEE = TopSpec(
    slug="coffee",
    name="咖啡",
    description="產地直送、台灣烘焙的精品咖啡豆與濾掛咖啡。",
    leaves=(COFFEE_BEANS, DRIP_BAGS),
    palette=((111, 78, 55), (196, 154, 108), (236, 222, 200), (60, 40, 30)),
)

TEA = TopSpec(
    slug="tea",
    name="茶",
    description="台灣高山茶、焙火烏龍與紅茶，一壺好茶慢慢喝。",
    leaves=(OOLONG, BLACK_TEA),
    palette=((86, 120, 80), (170, 196, 140), (232, 238, 214), (150, 70, 50)),
)

SNACKS = TopSpec(
    slug="snacks",
    name="零食",
    description="伴手禮糕點與果乾堅果，吃得到台灣各地的好味道。",
    leaves=(PASTRIES, DRIED_FRUIT_NUTS),
    palette=((232, 152, 60), (246, 206, 110), (252, 240, 214), (170, 70, 40)),
)
