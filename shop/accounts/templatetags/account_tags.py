from django import template

from shop.accounts.member_area import menu_for

register = template.Library()


@register.inclusion_tag("accounts/_menu.html", takes_context=True)
def account_menu(context):
    """The member area's menu; allauth's email and password pages show it too."""
    request = context.get("request")
    return {"links": menu_for(request) if request is not None else []}
