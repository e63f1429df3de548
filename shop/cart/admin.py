from django.contrib import admin

from shop.cart.models import Cart, CartLine


class CartLineInline(admin.TabularInline):
    model = CartLine
    raw_id_fields = ["variant"]
    extra = 0
    readonly_fields = ["added_at"]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    """Members' saved carts, to help a customer on the phone.

    Visitors' carts live in their sessions and are not listed here.
    """

    list_display = ["user", "updated_at"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    inlines = [CartLineInline]
    show_full_result_count = False
