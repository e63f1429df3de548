from shop.catalog.selectors import category_tree


def catalog(request):
    # The function itself, not its result: templates call it only when they
    # render the category navigation, so pages without it pay nothing.
    return {"category_nav": category_tree}
