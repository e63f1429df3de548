from django import template

from shop.accounts.member_area import menu_for
from shop.accounts.validators import display_phone

register = template.Library()


@register.inclusion_tag("accounts/_menu.html", takes_context=True)
def account_menu(context):
    """The member area's menu; allauth's email and password pages show it too."""
    request = context.get("request")
    return {"links": menu_for(request) if request is not None else []}


@register.filter
def phone(value: str) -> str:
    """`+886912345678` → `0912-345-678`, as Taiwanese write it; others unchanged."""
    return display_phone(value) if value else ""
