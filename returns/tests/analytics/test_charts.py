"""The inline SVG bar charts: scaling, labels, and what a screen reader gets."""

from decimal import Decimal

from django.template.loader import render_to_string

from returns.analytics.charts import (
    LABEL_WIDTH,
    VALUE_WIDTH,
    WIDTH,
    bar_chart,
    short_label,
)
from returns.analytics.rates import RateRow


def test_bars_scale_to_the_largest_rate_and_a_zero_is_a_hairline():
    rows = [
        RateRow(key="a", label="Members", sold=10, returned=1),
        RateRow(key="b", label="Non-members", sold=10, returned=4),
        RateRow(key="c", label="金卡", sold=10, returned=0, level=1),
    ]
    chart = bar_chart(key="k", title="T", description="D", rows=rows)

    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [bar.width for bar in chart.bars] == [plot // 4, plot, 1]
    assert [bar.value_text for bar in chart.bars] == ["10.0%", "40.0%", "0.0%"]
    assert [bar.muted for bar in chart.bars] == [False, False, True]
    assert chart.height == 2 * 8 + 3 * 30


def test_long_labels_are_cut_counting_wide_characters_twice():
    assert short_label("Tea mug") == "Tea mug"
    tea = "阿里山 高山烏龍茶 150g 罐裝 禮盒組"
    assert short_label(tea) == "阿里山 高山烏龍茶 150g…"
    assert short_label("x" * 30) == "x" * 23 + "…"


def test_the_svg_has_a_title_a_description_and_a_title_per_bar():
    rows = [RateRow(key="a", label="Linen shirt", sold=8, returned=2)]
    chart = bar_chart(
        key="products",
        title="Products",
        description="Units returned per 100 sold",
        rows=rows,
        note=lambda row: f"{row.returned} of {row.sold}",
    )
    html = render_to_string("returns/analytics/_bar_chart.html", {"chart": chart})

    assert 'role="img" aria-labelledby="ra-products-title ra-products-desc"' in html
    assert '<title id="ra-products-title">Products</title>' in html
    assert "<title>Linen shirt: 25.0% (2 of 8)</title>" in html
    empty = bar_chart(key="e", title="E", description="", rows=[])
    assert "<svg" not in render_to_string(
        "returns/analytics/_bar_chart.html", {"chart": empty}
    )
    assert Decimal(rows[0].rate) == Decimal("25.0")
