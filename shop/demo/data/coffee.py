"""Coffee: beans and drip bags."""

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

COFFEE = TopSpec(
    slug="coffee",
    name="咖啡",
    description="產地直送、台灣烘焙的精品咖啡豆與濾掛咖啡。",
    leaves=(COFFEE_BEANS, DRIP_BAGS),
    palette=((111, 78, 55), (196, 154, 108), (236, 222, 200), (60, 40, 30)),
)
