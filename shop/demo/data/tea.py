"""Tea: oolong and black tea."""

from shop.demo.data.specs import LeafSpec, Option, OptionValue, ProductSpec, TopSpec

P = ProductSpec

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

TEA = TopSpec(
    slug="tea",
    name="茶",
    description="台灣高山茶、焙火烏龍與紅茶，一壺好茶慢慢喝。",
    leaves=(OOLONG, BLACK_TEA),
    palette=((86, 120, 80), (170, 196, 140), (232, 238, 214), (150, 70, 50)),
)
