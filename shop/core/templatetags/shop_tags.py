from django import template

from shop.core.money import Money, format_money

register = template.Library()


@register.filter
def money(value, currency=None):
    """`{{ price|money }}` → `NT$1,280`: a Money, or an amount in the shop currency."""
    if value is None or value == "":
        return ""
    if isinstance(value, Money):
        return format_money(value.amount, value.currency)
    return format_money(value, currency)
